// The record types in src/records.ts are written by hand, for their names
// and comments; this test derives each one from the lexicon JSON (fields,
// which are required, their types, the $type) and has the TypeScript
// compiler prove the two identical. A field added to a lexicon and not to its
// type, a required field typed optional, or a changed type fails here.
import type { LexiconDoc } from "@atproto/lexicon";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { collections, lexiconDir } from "../src/index.ts";

type Def = { type: string; [key: string]: unknown };
type ObjectDef = { type: "object"; required?: string[]; properties?: Record<string, Def> };

const docs = readdirSync(lexiconDir, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
  .map((entry) => JSON.parse(readFileSync(join(entry.parentPath, entry.name), "utf8")) as LexiconDoc);

const pascal = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** space.atbb.post → PostRecord, space.atbb.post#forumRef → PostForumRef, com.atproto.repo.strongRef → StrongRef. */
function typeName(nsid: string, def: string): string {
  const base = pascal(nsid.split(".").at(-1)!);
  if (def !== "main") return base + pascal(def);
  const main = docs.find((doc) => doc.id === nsid)?.defs.main;
  return main?.type === "record" ? `${base}Record` : base;
}

function typeOf(nsid: string, def: Def): string {
  switch (def.type) {
    case "string": {
      const known = def.knownValues as string[] | undefined;
      return known ? [...known.map((value) => JSON.stringify(value)), "(string & {})"].join(" | ") : "string";
    }
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `(${typeOf(nsid, def.items as Def)})[]`;
    case "ref": {
      const [refNsid, refDef] = (def.ref as string).split("#") as [string, string | undefined];
      return `R.${typeName(refNsid === "" ? nsid : refNsid, refDef ?? "main")}`;
    }
    default:
      throw new Error(`${nsid}: no TypeScript type for lexicon type ${def.type}; extend this test`);
  }
}

function objectType(nsid: string, defName: string, def: ObjectDef): string {
  const fields = [`$type?: ${JSON.stringify(defName === "main" ? nsid : `${nsid}#${defName}`)}`];
  for (const [field, property] of Object.entries(def.properties ?? {})) {
    fields.push(`${field}${def.required?.includes(field) ? "" : "?"}: ${typeOf(nsid, property)}`);
  }
  return `{ ${fields.join("; ")} }`;
}

/** Every record and object def of the lexicons, as the type it means. */
const expected = docs.flatMap((doc) =>
  Object.entries(doc.defs).flatMap(([defName, def]) => {
    const object =
      def.type === "record" ? (def.record as ObjectDef) : def.type === "object" ? (def as ObjectDef) : null;
    return object ? [{ name: typeName(doc.id, defName), type: objectType(doc.id, defName, object) }] : [];
  }),
);

/** Type-checks `checks` against src/records.ts; the diagnostics, by line. */
function compile(checks: string[]): { line: number; message: string }[] {
  const file = join(import.meta.dirname, "record-types.check.ts");
  const source = [
    `import type * as R from "../src/records.ts";`,
    "type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends (<T>() => T extends Y ? 1 : 2) ? true : false;",
    "type Expect<T extends true> = T;",
    ...checks,
  ].join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - 3 : -1,
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}

const checks = [
  ...expected.map(({ name, type }) => `export type Check${name} = Expect<Equal<R.${name}, ${type}>>;`),
  `export type CheckCollections = Expect<Equal<keyof R.PublishedRecordTypes, ${collections.map((c) => JSON.stringify(c)).join(" | ")}>>;`,
  ...collections.map(
    (c, i) =>
      `export type CheckCollection${i} = Expect<Equal<R.PublishedRecordTypes[${JSON.stringify(c)}], R.${typeName(c, "main")}>>;`,
  ),
];

describe("the record types", () => {
  it("are derived from every record and object of the lexicons", () => {
    expect(expected.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        "PostRecord",
        "PostForumRef",
        "PostQuoteRef",
        "BoardCategoryRef",
        "RoleAssignmentRecord",
        "ModActionSubject",
        "StrongRef",
        "ForumRoleRef",
      ]),
    );
    expect(expected.length).toBe(19);
  });

  it("are exactly what the lexicon JSON defines", () => {
    const problems = compile(checks).map(({ line, message }) => `${checks[line] ?? "(setup)"}\n  ${message}`);
    expect(problems).toEqual([]);
  }, 30_000);

  it("would catch a field whose optionality differs from its lexicon", () => {
    const post = expected.find((e) => e.name === "PostRecord")!;
    const loosened = post.type.replace("text: string", "text?: string");
    expect(loosened).not.toBe(post.type);
    const diagnostics = compile([`export type Loosened = Expect<Equal<R.PostRecord, ${loosened}>>;`]);
    expect(diagnostics.map((d) => d.line)).toEqual([0]);
  }, 30_000);
});
