// pnpm bundle --out DIR
//
// Builds the workspace and assembles the installable AppView:
//   DIR/bin/atbb                  wrapper: the Node it was built with, the compiled CLI
//   DIR/lib/atbb/                 the compiled app with production dependencies only
//   DIR/share/atbb/drizzle        PostgreSQL migrations
//   DIR/share/atbb/drizzle-sqlite SQLite migrations
// Works offline once `pnpm install` has filled the store; nix/package.nix runs it too.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { NODE_FLAGS } from "../apps/appview/src/node-flags.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { out: { type: "string" }, node: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help || !values.out) {
  console.log("Usage: pnpm bundle --out DIR [--node /path/to/node]\n\nBuilds and assembles bin/atbb, lib/atbb and share/atbb under DIR.");
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
run("pnpm", ["--filter", "@atbb/appview", "--prod", "--offline", "--config.inject-workspace-packages=true", "deploy", join(out, "lib/atbb")]);

step("migrations into share/atbb");
for (const folder of ["drizzle", "drizzle-sqlite"]) {
  cpSync(join(root, "apps/appview", folder), join(out, "share/atbb", folder), { recursive: true });
}

// libsql's prebuilt addons come one package per platform; keep only this one's.
const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
const platform = `${process.platform}-${process.arch}${process.platform === "linux" ? (glibc ? "-gnu" : "-musl") : ""}`;
for (const name of existsSync(join(out, "lib/atbb/node_modules/.pnpm")) ? readdirSync(join(out, "lib/atbb/node_modules/.pnpm")) : []) {
  const addon = /^@libsql\+((?:linux|darwin|win32)-[a-z0-9]+(?:-gnu|-musl|-msvc)?)@/.exec(name);
  if (addon && addon[1] !== platform) rmSync(join(out, "lib/atbb/node_modules/.pnpm", name), { recursive: true, force: true });
}

// Nothing from the dev toolchain may ship.
const store = join(out, "lib/atbb/node_modules/.pnpm");
const shipped = existsSync(store) ? readdirSync(store) : [];
const forbidden = shipped.filter((name) => /^(typescript|vitest|vite|drizzle-kit|esbuild|@esbuild|tsx|@atbb\+testing)@/.test(name));
if (forbidden.length > 0) throw new Error(`bundle would ship development packages: ${forbidden.join(", ")}`);

writeFileSync(
  join(out, "bin/atbb"),
  `#!/bin/sh
# atbb, assembled by scripts/bundle.ts. ATBB_NODE overrides the Node it runs on.
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
export ATBB_MIGRATIONS_DIR="\${ATBB_MIGRATIONS_DIR:-$here/share/atbb}"
exec "\${ATBB_NODE:-${node}}" ${NODE_FLAGS.join(" ")} "$here/lib/atbb/dist/cli.js" "$@"
`,
);
chmodSync(join(out, "bin/atbb"), 0o755);
step(`done: ${join(out, "bin/atbb")}`);
