// pnpm bundle --out DIR
//
// Builds the workspace and assembles the installable AppView:
//   DIR/bin/atbb                  wrapper: finds a suitable Node, runs the compiled CLI
//   DIR/lib/atbb/                 the compiled app with production dependencies only
//   DIR/share/atbb/drizzle        PostgreSQL migrations
//   DIR/share/atbb/drizzle-sqlite SQLite migrations
// Works offline once `pnpm install` has filled the store; nix/package.nix runs it too.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { NODE_FLAGS } from "../apps/appview/src/node-flags.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Store entries (node_modules/.pnpm/<name>@<version>…) that must never ship: test/cli/bundle.test.ts checks the same list. */
const DEVELOPMENT_ONLY =
  /^(typescript|vitest|vite|drizzle-kit|esbuild|@esbuild\+[^@]+|tsx|@atbb\+testing|better-sqlite3|ts-morph|@ts-morph\+common|prettier|@atproto\+lex-builder|@atproto\+lex-installer|@types\+[^@]+)@/;
/** The oldest Node the compiled app runs on (module.registerHooks, as root package.json's engines says). */
const NODE_MINIMUM = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } }
).engines.node.replace(/^>=\s*/, "");
const { values } = parseArgs({
  options: { out: { type: "string" }, node: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help || !values.out) {
  console.log(
    "Usage: pnpm bundle --out DIR [--node /path/to/node]\n\nBuilds and assembles bin/atbb, lib/atbb and share/atbb under DIR.",
  );
  process.exit(values.help ? 0 : 2);
}
const out = resolve(values.out);
const node = values.node ?? process.execPath;
const step = (what: string) => console.log(`bundle: ${what}`);
const run = (command: string, args: string[], cwd = root) => execFileSync(command, args, { cwd, stdio: "inherit" });

step("compiling the workspace (tsc -b)");
run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.json"]);

step(`assembling production dependencies into ${out}/lib/atbb`);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "bin"), { recursive: true });
run("pnpm", [
  "--filter",
  "@atbb/appview",
  "--prod",
  "--offline",
  "--config.inject-workspace-packages=true",
  "deploy",
  join(out, "lib/atbb"),
]);

step("migrations into share/atbb");
for (const folder of ["drizzle", "drizzle-sqlite"]) {
  cpSync(join(root, "apps/appview", folder), join(out, "share/atbb", folder), { recursive: true });
}

// libsql's prebuilt addons come one package per platform; keep only this one's.
const glibc = Boolean(
  (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime,
);
const platform = `${process.platform}-${process.arch}${process.platform === "linux" ? (glibc ? "-gnu" : "-musl") : ""}`;
for (const name of existsSync(join(out, "lib/atbb/node_modules/.pnpm"))
  ? readdirSync(join(out, "lib/atbb/node_modules/.pnpm"))
  : []) {
  const addon = /^@libsql\+((?:linux|darwin|win32)-[a-z0-9]+(?:-gnu|-musl|-msvc)?)@/.exec(name);
  if (addon && addon[1] !== platform)
    rmSync(join(out, "lib/atbb/node_modules/.pnpm", name), { recursive: true, force: true });
}

// Dependencies of production packages that atbb never loads, and the
// packages only they bring (measured on the first bundle: 160 MB, of which
// these were ~70 MB):
// - @atproto/lex (through @atproto/sync) depends on its code generator and
//   lexicon installer, for its `lex` command: they bring ts-morph (with a
//   TypeScript inside) and prettier. Its runtime entry imports neither. (core-js ships:
//   @atproto/oauth-client loads its Symbol.dispose polyfill.)
// - drizzle-orm's optional peer better-sqlite3 is linked because the dev tools
//   have it; atbb talks to SQLite through libsql.
// - type declarations (@types/*) are never loaded.
const NEVER_LOADED = (name: string) =>
  ["@atproto/lex-builder", "@atproto/lex-installer", "better-sqlite3"].includes(name) || name.startsWith("@types/");
const modules = join(out, "lib/atbb/node_modules");
const store = join(modules, ".pnpm");
pruneNeverLoaded(modules, store);

// Nothing from the dev toolchain may ship.
const shipped = existsSync(store) ? readdirSync(store) : [];
const forbidden = shipped.filter((name) => DEVELOPMENT_ONLY.test(name));
if (forbidden.length > 0) throw new Error(`bundle would ship development packages: ${forbidden.join(", ")}`);

const [minMajor, minMinor] = NODE_MINIMUM.split(".").map(Number);
writeFileSync(
  join(out, "bin/atbb"),
  `#!/bin/sh
# atbb, assembled by scripts/bundle.ts. It runs on Node.js >= ${NODE_MINIMUM}: $ATBB_NODE
# when set, else the Node it was built with while that is still there, else
# \`node\` on PATH.
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
export ATBB_MIGRATIONS_DIR="\${ATBB_MIGRATIONS_DIR:-$here/share/atbb}"
built=${JSON.stringify(node)}
suitable() {
  version=$("$1" --version 2>/dev/null) || return 1
  version=\${version#v}; major=\${version%%.*}; minor=\${version#*.}; minor=\${minor%%.*}
  [ "$major" -gt ${minMajor} ] 2>/dev/null || { [ "$major" -eq ${minMajor} ] && [ "$minor" -ge ${minMinor} ]; } 2>/dev/null
}
describe() { printf '%s (%s)' "$1" "$("$1" --version 2>/dev/null || echo 'does not run')"; }
if [ -n "\${ATBB_NODE:-}" ]; then
  node=$ATBB_NODE
  suitable "$node" || { echo "atbb: ATBB_NODE is $(describe "$node"), but atbb needs Node.js >= ${NODE_MINIMUM}. Point ATBB_NODE at a newer Node." >&2; exit 1; }
elif [ -x "$built" ]; then
  node=$built
else
  node=$(command -v node || true)
  if [ -z "$node" ] || ! suitable "$node"; then
    found=\${node:+: PATH has $(describe "$node")}
    echo "atbb: needs Node.js >= ${NODE_MINIMUM}, and found none (the Node it was built with, $built, is gone\${found:-, and PATH has no node}). Install Node.js 24 (https://nodejs.org), or set ATBB_NODE to a Node >= ${NODE_MINIMUM}." >&2
    exit 1
  fi
fi
exec "$node" ${NODE_FLAGS.join(" ")} "$here/lib/atbb/dist/cli.js" "$@"
`,
);
chmodSync(join(out, "bin/atbb"), 0o755);
step(`done: ${join(out, "bin/atbb")}`);

/**
 * Removes the never-loaded packages and whatever only they bring. A package
 * still reachable from the app by any other path stays, and so does anything
 * the walk does not reach at all (pnpm's hoisting may serve it).
 */
function pruneNeverLoaded(modules: string, store: string): void {
  if (!existsSync(store)) return;
  const entryOf = (path: string) => /\/\.pnpm\/([^/]+)\//.exec(path)?.[1] ?? null;
  const namesIn = (dir: string) =>
    readdirSync(dir)
      .filter((name) => !name.startsWith("."))
      .flatMap((name) =>
        name.startsWith("@") ? readdirSync(join(dir, name)).map((scoped) => `${name}/${scoped}`) : [name],
      );
  /** pnpm links a package's dependencies beside it, in its store entry's node_modules. */
  const linksIn = (dir: string): [string, string][] =>
    existsSync(dir)
      ? namesIn(dir)
          .filter((name) => lstatSync(join(dir, name)).isSymbolicLink())
          .map((name) => [name, join(dir, name)])
      : [];
  const linksOf = (entry: string) => linksIn(join(store, entry, "node_modules"));
  const reach = (starts: [string, string][], follow: (name: string) => boolean): Set<string> => {
    const seen = new Set<string>();
    const queue = starts.filter(([name]) => follow(name)).map(([, link]) => link);
    for (let link = queue.pop(); link !== undefined; link = queue.pop()) {
      const entry = existsSync(link) ? entryOf(realpathSync(link)) : null;
      if (entry === null || seen.has(entry)) continue;
      seen.add(entry);
      for (const [name, next] of linksOf(entry)) if (follow(name)) queue.push(next);
    }
    return seen;
  };
  const app = linksIn(modules);
  const kept = reach(app, (name) => !NEVER_LOADED(name));
  const cutLinks = [...reach(app, () => true)].flatMap(linksOf).filter(([name]) => NEVER_LOADED(name));
  for (const entry of reach(cutLinks, () => true))
    if (!kept.has(entry)) rmSync(join(store, entry), { recursive: true, force: true });
  // Links to what was removed would dangle: in the store entries, and in pnpm's hoisting directory (.pnpm/node_modules).
  for (const dir of [
    join(store, "node_modules"),
    ...readdirSync(store).map((entry) => join(store, entry, "node_modules")),
  ]) {
    for (const [, link] of linksIn(dir)) if (!existsSync(link)) rmSync(link);
  }
}
