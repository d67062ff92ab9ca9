// The installable bundle (what nix/package.nix ships), built into a temp dir
// and run from there with a clean environment, on both databases.
import { createTestDatabase, dialect, repoRoot, type TestDatabase } from "@atbb/testing";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe } from "../support/cli.ts";

// One build serves both dialects; it runs in one project so the two never
// compile into the same dist/ at once.
describe.runIf(dialect === "postgresql")("the bundle (pnpm bundle --out DIR)", () => {
  let out: string;
  /** The Node the bundle is built with: a link that the last test removes, as deleting a checkout's .tools/ would. */
  let builtWith: string;
  const databases: TestDatabase[] = [];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "atbb-bundle-"));
    out = join(dir, "atbb");
    mkdirSync(join(dir, "node-bin"));
    builtWith = join(dir, "node-bin", "node");
    symlinkSync(process.execPath, builtWith);
    execFileSync("pnpm", ["bundle", "--out", out, "--node", builtWith], { cwd: repoRoot, stdio: "pipe" });
  }, 300_000);
  afterAll(async () => Promise.all(databases.map((d) => d.drop())));

  it("holds bin/atbb, both migration sets, and no development package", () => {
    expect(existsSync(join(out, "bin/atbb"))).toBe(true);
    expect(readdirSync(join(out, "share/atbb/drizzle")).filter((f) => f.endsWith(".sql")).length).toBeGreaterThan(3);
    expect(
      readdirSync(join(out, "share/atbb/drizzle-sqlite")).filter((f) => f.endsWith(".sql")).length,
    ).toBeGreaterThan(0);
    const shipped = readdirSync(join(out, "lib/atbb/node_modules/.pnpm"));
    // The dev toolchain, and what production packages bring that atbb never loads
    // (@atproto/lex's code generator with ts-morph and prettier; drizzle's better-sqlite3 peer; type declarations).
    // core-js ships: @atproto/oauth-client, which members' login uses, loads a polyfill from it.
    const neverLoaded = [
      "better-sqlite3@",
      "ts-morph@",
      "@ts-morph+common@",
      "prettier@",
      "@atproto+lex-builder@",
      "@atproto+lex-installer@",
      "@types+node@",
    ];
    for (const dev of [
      "typescript@",
      "vitest@",
      "vite@",
      "drizzle-kit@",
      "esbuild@",
      "tsx@",
      "autocannon@",
      "@atbb+testing@",
      ...neverLoaded,
    ]) {
      expect(shipped.filter((name) => name.startsWith(dev))).toEqual([]);
    }
  });

  for (const of of ["sqlite", "postgresql"] as const) {
    it(`migrates and serves a ${of} database from a temp dir with a clean environment`, async () => {
      const database = await createTestDatabase(of);
      databases.push(database);
      const cwd = mkdtempSync(join(tmpdir(), "atbb-run-"));
      const bin = [join(out, "bin/atbb")];
      // No workspace node_modules anywhere on the way: cwd is a temp dir, PATH is the system's.
      const env = { DATABASE_URL: database.url, CWD: cwd, PATH: "/usr/bin:/bin" };
      const migrated = await runCli(["migrate"], env, bin);
      expect(migrated).toMatchObject({ code: 0, stdout: expect.stringContaining("applied") });
      const served = await startServe(env, ["--no-indexer"], bin);
      try {
        const response = await fetch(`http://127.0.0.1:${served.port}/api/health`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: "healthy", database: { status: "up", dialect: of } });
        // The pages ship too, with their stylesheet and HTMX: without a forum record, / is the first-run page.
        const firstRun = await fetch(`http://127.0.0.1:${served.port}/`);
        expect(firstRun.status).toBe(503);
        const html = await firstRun.text();
        expect(html).toContain("atbb init");
        for (const asset of html.match(/\/static\/[^"]+/g) ?? [])
          expect((await fetch(`http://127.0.0.1:${served.port}${asset}`)).status, asset).toBe(200);
        expect(html.match(/\/static\/(atbb|htmx|icon)\.[^"]+/g)).toHaveLength(3);
      } finally {
        served.child.kill("SIGTERM");
        expect(await served.exited).toBe(0);
      }
    });
  }

  it("still loads everything it runs: serves while following a firehose (@atproto/sync, @atproto/lex)", async () => {
    const database = await createTestDatabase("sqlite");
    databases.push(database);
    const bin = [join(out, "bin/atbb")];
    const env = { DATABASE_URL: database.url, CWD: mkdtempSync(join(tmpdir(), "atbb-run-")), PATH: "/usr/bin:/bin" };
    expect((await runCli(["migrate"], env, bin)).code).toBe(0);
    const served = await startServe(
      {
        ...env,
        FORUM_DID: "did:plc:forumforumforumforumaaaa",
        SOURCE: "firehose",
        FIREHOSE_URL: "ws://127.0.0.1:9",
        BACKFILL: "off",
      },
      [],
      bin,
    );
    try {
      for (let i = 0; i < 50 && !served.output().includes("firehose subscribing"); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(served.output()).toContain("firehose subscribing");
      expect(served.output()).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
    }
  });

  it("without DATABASE_URL keeps its database in the state directory, else the user's data directory, and says where", async () => {
    const bin = [join(out, "bin/atbb")];
    const cwd = mkdtempSync(join(tmpdir(), "atbb-run-"));
    const state = mkdtempSync(join(tmpdir(), "atbb-state-"));
    const underSystemd = await runCli(["migrate"], { CWD: cwd, PATH: "/usr/bin:/bin", STATE_DIRECTORY: state }, bin);
    expect(underSystemd).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`creating a new SQLite database at ${join(state, "atbb.db")}`),
    });
    const data = mkdtempSync(join(tmpdir(), "atbb-xdg-"));
    const forAUser = await runCli(["migrate"], { CWD: cwd, PATH: "/usr/bin:/bin", XDG_DATA_HOME: data }, bin);
    expect(forAUser).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`creating a new SQLite database at ${join(data, "atbb", "atbb.db")}`),
    });
    // Nothing in the directory it was started from.
    expect(readdirSync(cwd)).toEqual([]);
    const served = await startServe({ CWD: cwd, PATH: "/usr/bin:/bin", STATE_DIRECTORY: state }, ["--no-indexer"], bin);
    try {
      expect(served.output()).toContain(`"database":"${join(state, "atbb.db")}`);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
    }
  });

  // Last: it removes the Node the bundle was built with.
  it("once the Node it was built with is gone, runs on a suitable node from PATH, and says clearly when there is none", async () => {
    const bin = [join(out, "bin/atbb")];
    rmSync(builtWith);
    // A PATH with the tools the wrapper's shell needs, and no node.
    const tools = mkdtempSync(join(tmpdir(), "atbb-path-"));
    symlinkSync(execFileSync("sh", ["-c", "command -v dirname"], { encoding: "utf8" }).trim(), join(tools, "dirname"));
    const none = await runCli(["--version"], { PATH: tools }, bin);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `atbb: needs Node.js >= 22.18, and found none (the Node it was built with, ${builtWith}, is gone, and PATH has no node). Install Node.js 24 (https://nodejs.org), or set ATBB_NODE to a Node >= 22.18.\n`,
    );

    const withNode = join(tools, "with-node");
    mkdirSync(withNode);
    symlinkSync(process.execPath, join(withNode, "node"));
    expect(await runCli(["--version"], { PATH: `${withNode}:${tools}` }, bin)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/),
    });

    // The system's own Node, when it is too old (Debian's 20, say): named, with its version, and no stack trace.
    const system = existsSync("/usr/bin/node")
      ? execFileSync("/usr/bin/node", ["--version"], { encoding: "utf8" }).trim()
      : null;
    const [major = 0, minor = 0] = (system ?? "v0.0").slice(1).split(".").map(Number);
    if (system !== null && (major < 22 || (major === 22 && minor < 18))) {
      const old = await runCli(["--version"], { PATH: "/usr/bin:/bin" }, bin);
      expect(old).toMatchObject({ code: 1, stderr: expect.stringContaining(`PATH has /usr/bin/node (${system})`) });
      const forced = await runCli(["--version"], { PATH: "/usr/bin:/bin", ATBB_NODE: "/usr/bin/node" }, bin);
      expect(forced).toMatchObject({
        code: 1,
        stderr: `atbb: ATBB_NODE is /usr/bin/node (${system}), but atbb needs Node.js >= 22.18. Point ATBB_NODE at a newer Node.\n`,
      });
    }
  });
});
