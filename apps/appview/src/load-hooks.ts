// Imported first by cli.ts, before anything that loads drizzle-orm.
//
// For every file it loads, Node 24's ES module loader asks the file's
// package.json for the module format, and while answering re-parses that
// package's whole "exports" map (getPackageScopeConfig spreads an object whose
// `exports` is parsed on first read, so every call parses it again).
// drizzle-orm's map is 178 KB and the app loads some 300 of its files:
// measured on Node 24.21, importing its entry points took 1.1–1.3 s and
// raised a process's peak RSS from 47 to ~390 MB, nearly all of it parsed JSON
// waiting for a full GC. With this hook: 0.2 s and 83 MB.
//
// So the hook answers two questions itself:
// - drizzle-orm's relative imports of its own .js files: drizzle-orm's
//   package.json says "type": "module" and the package holds no other
//   package.json, so they are ES modules;
// - `drizzle-orm` and `drizzle-orm/…` from our own files, which Node resolves
//   anew (parsing the map twice) for each importing file: the answer depends
//   only on the importer's directory, so it is asked once per directory.
// Every other import resolves as Node would.
//
// It also compiles the pages' .tsx files (apps/web) when atbb runs from its
// sources: Node strips TypeScript's types but does not transform JSX. The
// compiled build (dist/, what ships) has no .tsx files, so there this part
// never runs, and TypeScript, a development tool, is loaded only here.
import { readFileSync } from "node:fs";
import { createRequire, registerHooks, type ResolveFnOutput } from "node:module";
import { fileURLToPath } from "node:url";

const DRIZZLE = "/node_modules/drizzle-orm/";
const resolvedDrizzle = new Map<string, ResolveFnOutput>();

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (
      parent?.includes(DRIZZLE) &&
      (specifier.startsWith("./") || specifier.startsWith("../")) &&
      specifier.endsWith(".js")
    ) {
      const url = new URL(specifier, parent).href;
      if (url.includes(DRIZZLE)) return { url, format: "module", shortCircuit: true };
    }
    if (parent && (specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/"))) {
      const key = `${new URL(".", parent).href}\0${context.conditions.join()}\0${specifier}`;
      let resolved = resolvedDrizzle.get(key);
      if (!resolved) resolvedDrizzle.set(key, (resolved = { ...nextResolve(specifier, context), shortCircuit: true }));
      return resolved;
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!url.startsWith("file:") || !url.endsWith(".tsx")) return nextLoad(url, context);
    const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
    const { outputText } = ts.transpileModule(readFileSync(fileURLToPath(url), "utf8"), {
      fileName: fileURLToPath(url),
      compilerOptions: {
        jsx: ts.JsxEmit.ReactJSX,
        jsxImportSource: "hono/jsx",
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        verbatimModuleSyntax: true,
      },
    });
    return { format: "module", source: outputText, shortCircuit: true };
  },
});
