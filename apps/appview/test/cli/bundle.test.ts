// The installable bundle (what nix/package.nix ships), built into a temp dir
// and run from there with a clean environment, on both databases.
import { createTestDatabase, dialect, repoRoot, type TestDatabase } from "@atbb/testing";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe } from "../support/cli.ts";

// One build serves both dialects; it runs in one project so the two never
// compile into the same dist/ at once.
describe.runIf(dialect === "postgresql")("the bundle (pnpm bundle --out DIR)", () => {
  let out: string;
  const databases: TestDatabase[] = [];
  beforeAll(() => {
    out = join(mkdtempSync(join(tmpdir(), "atbb-bundle-")), "atbb");
    execFileSync("pnpm", ["bundle", "--out", out], { cwd: repoRoot, stdio: "pipe" });
  }, 300_000);
  afterAll(async () => Promise.all(databases.map((d) => d.drop())));

  it("holds bin/atbb, both migration sets, and no development package", () => {
    expect(existsSync(join(out, "bin/atbb"))).toBe(true);
    expect(readdirSync(join(out, "share/atbb/drizzle")).filter((f) => f.endsWith(".sql")).length).toBeGreaterThan(3);
    expect(readdirSync(join(out, "share/atbb/drizzle-sqlite")).filter((f) => f.endsWith(".sql")).length).toBeGreaterThan(0);
    const shipped = readdirSync(join(out, "lib/atbb/node_modules/.pnpm"));
    for (const dev of ["typescript@", "vitest@", "vite@", "drizzle-kit@", "esbuild@", "tsx@", "autocannon@", "@atbb+testing@"]) {
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
      } finally {
        served.child.kill("SIGTERM");
        expect(await served.exited).toBe(0);
      }
    });
  }
});
