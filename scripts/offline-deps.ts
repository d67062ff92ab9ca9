// Offline dependency assembly, pinned by the lockfile itself.
//
//   node scripts/offline-deps.ts list                 pnpm-lock.yaml → nix/pnpm-deps.json (committed)
//   node scripts/offline-deps.ts check                fail if nix/pnpm-deps.json is out of date
//   node scripts/offline-deps.ts download DIR         fetch every tarball by URL, verify its lockfile integrity
//   node scripts/offline-deps.ts fill-store DIR STORE put DIR's tarballs into a pnpm store, network-free
//
// fill-store serves DIR as a registry on 127.0.0.1 for `pnpm fetch` (which
// checks every tarball against the lockfile's integrity), so afterwards
// `pnpm install --offline --frozen-lockfile --store-dir STORE` needs no network.
// nix/package.nix runs fill-store on tarballs Nix fetched by the same integrity.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const listing = join(root, "nix/pnpm-deps.json");

export interface LockedTarball {
  name: string;
  version: string;
  url: string;
  integrity: string;
  /** Platform constraints from the lockfile, for prebuilt binaries (libsql). */
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** The `packages:` section of a pnpm v9 lockfile, read line by line (no YAML dependency). */
export function lockedTarballs(lockfile: string): LockedTarball[] {
  const section = lockfile.split(/^packages:\s*$/m)[1]?.split(/^snapshots:\s*$/m)[0] ?? "";
  const tarballs: LockedTarball[] = [];
  let current: Partial<LockedTarball> | null = null;
  const flush = () => {
    if (current?.name && current.integrity) tarballs.push(current as LockedTarball);
    current = null;
  };
  for (const line of section.split("\n")) {
    const key = /^ {2}'?([^'\s][^']*?)'?:\s*$/.exec(line);
    if (key) {
      flush();
      const spec = key[1]!;
      const at = spec.lastIndexOf("@");
      const name = spec.slice(0, at);
      const version = spec.slice(at + 1);
      if (at <= 0 || /[()]/.test(version)) continue;
      const base = name.split("/").at(-1)!;
      current = { name, version, url: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz` };
      continue;
    }
    if (!current) continue;
    const integrity = /^ {4}resolution: \{integrity: (sha\d+-[A-Za-z0-9+/=]+)/.exec(line);
    if (integrity) current.integrity = integrity[1]!;
    const tarball = /^ {4}resolution: \{.*tarball: ([^,}\s]+)/.exec(line);
    if (tarball) current.url = tarball[1]!;
    const list = /^ {4}(os|cpu|libc): \[(.*)\]/.exec(line);
    if (list)
      current[list[1] as "os" | "cpu" | "libc"] = list[2]!.split(",").map((s) => s.trim().replace(/^'|'$/g, ""));
  }
  flush();
  return tarballs.sort((a, b) => (`${a.name}@${a.version}` < `${b.name}@${b.version}` ? -1 : 1));
}

const fileFor = (t: LockedTarball) => `${createHash("sha256").update(t.integrity).digest("hex").slice(0, 32)}.tgz`;

function verify(bytes: Buffer, integrity: string): boolean {
  const [algorithm, expected] = [
    integrity.slice(0, integrity.indexOf("-")),
    integrity.slice(integrity.indexOf("-") + 1),
  ];
  return createHash(algorithm!).update(bytes).digest("base64") === expected;
}

/** Whether a tarball is for this machine (prebuilt binaries name their os, cpu and libc). */
function forThisPlatform(t: LockedTarball): boolean {
  const glibc = Boolean(
    (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime,
  );
  const matches = (allowed: string[] | undefined, value: string) =>
    !allowed || allowed.some((a) => (a.startsWith("!") ? a.slice(1) !== value : a === value));
  return matches(t.os, process.platform) && matches(t.cpu, process.arch) && matches(t.libc, glibc ? "glibc" : "musl");
}

async function download(dir: string) {
  mkdirSync(dir, { recursive: true });
  const tarballs = (JSON.parse(readFileSync(listing, "utf8")) as LockedTarball[]).filter(forThisPlatform);
  let next = 0;
  const worker = async () => {
    while (next < tarballs.length) {
      const t = tarballs[next++]!;
      const path = join(dir, fileFor(t));
      if (existsSync(path) && verify(readFileSync(path), t.integrity)) continue;
      const response = await fetch(t.url);
      if (!response.ok) throw new Error(`${t.name}@${t.version}: HTTP ${response.status} from ${t.url}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (!verify(bytes, t.integrity))
        throw new Error(`${t.name}@${t.version}: integrity mismatch (lockfile says ${t.integrity})`);
      writeFileSync(path, bytes);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(`offline-deps: ${tarballs.length} tarballs in ${dir}, each verified against pnpm-lock.yaml`);
}

async function fillStore(dir: string, store: string) {
  const tarballs: LockedTarball[] = JSON.parse(readFileSync(listing, "utf8"));
  const byPath = new Map(tarballs.map((t) => [new URL(t.url).pathname, join(dir, fileFor(t))]));
  const server = createServer((request, response) => {
    const file = byPath.get(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    // Async so the server above keeps answering while pnpm runs.
    await new Promise<void>((done, fail) => {
      const child = execFileAsync("pnpm", [
        "fetch",
        "--frozen-lockfile",
        `--registry=${registry}`,
        `--store-dir=${store}`,
      ]);
      child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`pnpm fetch exited ${code}`))));
    });
  } finally {
    server.close();
  }
  console.log(`offline-deps: pnpm store at ${store} filled from ${dir} without the network`);
}

/** pnpm fetch needs only the lockfile (and the patches it names); it runs in a scratch dir so no node_modules is touched. */
function execFileAsync(command: string, args: string[]) {
  const scratch = mkdtempSync(join(tmpdir(), "atbb-fetch-"));
  for (const file of ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"])
    copyFileSync(join(root, file), join(scratch, file));
  // The workspace's patchedDependencies name these files; pnpm reads them even to fetch.
  cpSync(join(root, "patches"), join(scratch, "patches"), { recursive: true });
  return spawn(command, args, { cwd: scratch, stdio: "inherit", env: { ...process.env, CI: "true" } });
}

const [command, ...args] = process.argv.slice(2);
const listed = () => `${JSON.stringify(lockedTarballs(readFileSync(join(root, "pnpm-lock.yaml"), "utf8")), null, 1)}\n`;
switch (command) {
  case "list":
    writeFileSync(listing, listed());
    console.log(`offline-deps: wrote ${listing}`);
    break;
  case "check":
    if (!existsSync(listing) || readFileSync(listing, "utf8") !== listed()) {
      console.error(
        "nix/pnpm-deps.json is out of date with pnpm-lock.yaml: run `node scripts/offline-deps.ts list` and commit it.",
      );
      process.exit(1);
    }
    console.log("offline-deps: nix/pnpm-deps.json matches pnpm-lock.yaml");
    break;
  case "download":
    await download(resolve(args[0] ?? "."));
    break;
  case "fill-store":
    if (args.length !== 2) throw new Error("usage: offline-deps.ts fill-store TARBALL_DIR STORE_DIR");
    await fillStore(resolve(args[0]!), resolve(args[1]!));
    break;
  default:
    console.log(
      readFileSync(fileURLToPath(import.meta.url), "utf8")
        .split("\n")
        .slice(0, 11)
        .join("\n"),
    );
    process.exit(command ? 2 : 0);
}
