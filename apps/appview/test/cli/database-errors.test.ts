// What every command says when its database cannot be opened, on real
// servers and files: the cause, which database, and what to do. And that a
// command that only reads never creates a SQLite database.
import { PASSWORD_ROLE } from "@atbb/testing/postgres-cluster";
import { createTestDatabase, dialect } from "@atbb/testing";
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { cleanEnv, cliEntry, freePort, runCli, startServe, type CliResult } from "../support/cli.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const freshDatabase = droppedAfterEach(createTestDatabase);

/** What a failure must look like: exit 1, the explanation, none of drizzle's "Failed query" wrapping, no stack. */
function expectExplained(result: CliResult, explanation: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(explanation);
  expect(result.stderr).not.toMatch(/Failed query|\n\s+at /);
}

/** `atbb status` as another user (nobody, when the tests run as root: root may read and write anything). */
function statusAs(uid: number | null, url: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=development", cliEntry, "status"], {
      env: cleanEnv({ DATABASE_URL: url }),
      ...(uid === null ? {} : { uid, gid: uid }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const FORUM_DID = "did:plc:forumforumforumforumaaaa";
/** Every command that opens the database; backfill needs a forum to ask for. */
const COMMANDS: [string[], Record<string, string>][] = [
  [["status"], {}],
  [["serve"], {}],
  [["migrate"], {}],
  [["migrate-permissions"], {}],
  [["backfill"], { FORUM_DID }],
];

describe.runIf(dialect === "postgresql")("a PostgreSQL database that cannot be reached", () => {
  const adminUrl = inject("postgresAdminUrl");

  it("with no server on the port, every command asks whether PostgreSQL is running there", async () => {
    const port = await freePort();
    for (const [args, env] of COMMANDS) {
      const result = await runCli(args, { ...env, DATABASE_URL: `postgres://atbb:secret@127.0.0.1:${port}/atbb` });
      expectExplained(result, new RegExp(`connection refused\\. Is PostgreSQL running on 127\\.0\\.0\\.1:${port}\\?`));
      expect(result.stderr).not.toContain("secret");
    }
  });

  it("with a database that does not exist, every command says how to create it", async () => {
    const url = new URL(adminUrl);
    url.pathname = "/atbb_never_created";
    for (const [args, env] of COMMANDS) {
      expectExplained(
        await runCli(args, { ...env, DATABASE_URL: url.toString() }),
        /The database "atbb_never_created" does not exist on PostgreSQL at .*createdb .* atbb_never_created/,
      );
    }
  });

  it("with a host name that does not resolve, says so", async () => {
    expectExplained(
      await runCli(["status"], { DATABASE_URL: "postgres://atbb@atbb-no-such-host.invalid:5432/atbb" }),
      /the host name "atbb-no-such-host\.invalid" does not resolve/,
    );
  });

  // The harness's own cluster trusts everyone but one role, which must give its password.
  it.runIf(inject("postgresSocketDir") !== null)(
    "with a wrong password, says the password was refused, without printing it",
    async () => {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        const [exists] = await admin`select 1 from pg_roles where rolname = ${PASSWORD_ROLE}`;
        if (!exists) await admin.unsafe(`create role ${PASSWORD_ROLE} login password 'the-right-one'`);
      } finally {
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.username = PASSWORD_ROLE;
      url.password = "not-the-password";
      for (const [args, env] of COMMANDS) {
        const result = await runCli(args, { ...env, DATABASE_URL: url.toString() });
        expectExplained(
          result,
          new RegExp(`refused the password of user "${PASSWORD_ROLE}".*Correct the password in DATABASE_URL`),
        );
        expect(result.stderr).not.toContain("not-the-password");
      }
    },
  );
});

describe.runIf(dialect === "sqlite")("a SQLite path that cannot be opened", () => {
  it("that names a directory: every command says so and suggests a file in it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atbb-dir-"));
    for (const [args, env] of COMMANDS) {
      expectExplained(
        await runCli(args, { ...env, DATABASE_URL: `file:${dir}` }),
        new RegExp(
          `DATABASE_URL names a directory, ${dir}, not a database file\\. Name a file, e\\.g\\. file:${dir}/atbb\\.db`,
        ),
      );
    }
  });

  it("that the user cannot write: says permission denied and what to do", async () => {
    const { url } = await freshDatabase();
    expect((await runCli(["migrate"], { DATABASE_URL: url })).code).toBe(0);
    const file = url.slice("file:".length);
    // Root may write anything: run the command as nobody instead, on a file nobody may only read.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(file, 0, 0);
    chmodSync(file, 0o444);
    chmodSync(dirname(file), 0o755);
    const result = await statusAs(asRoot ? 65534 : null, url);
    expectExplained(
      result,
      new RegExp(
        `Cannot read and write the SQLite database ${file}: permission denied\\. Run atbb as the user that owns it`,
      ),
    );
  });

  it.runIf(process.getuid?.() === 0)(
    "behind a directory the user cannot enter: says so, not that there is no database",
    async () => {
      const { url } = await freshDatabase();
      expect((await runCli(["migrate"], { DATABASE_URL: url })).code).toBe(0);
      chmodSync(dirname(url.slice("file:".length)), 0o700);
      const result = await statusAs(65534, url);
      expectExplained(result, /Cannot reach the SQLite database .*: permission denied on a directory on the way/);
    },
  );
});

describe.runIf(dialect === "sqlite")("a SQLite path that does not exist", () => {
  it("is never created by status or serve, and is created by migrate, which says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atbb-typo-"));
    const path = join(dir, "data", "forum.db");
    for (const command of ["status", "serve", "migrate-permissions"]) {
      const result = await runCli([command], { DATABASE_URL: `file:${path}` });
      expectExplained(
        result,
        new RegExp(`There is no SQLite database at ${path}\\. Run \`atbb migrate\` first to create it there`),
      );
      expect(readdirSync(dir)).toEqual([]);
    }
    const migrated = await runCli(["migrate"], { DATABASE_URL: `file:${path}` });
    expect(migrated).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        `creating a new SQLite database at ${path} (there was none; created the directory ${dirname(path)} for it)`,
      ),
    });
    expect(existsSync(path)).toBe(true);
    // Once it exists, migrate says nothing of creating it.
    expect((await runCli(["migrate"], { DATABASE_URL: `file:${path}` })).stdout).not.toContain("creating");
  });

  it("relative to the current directory, is named with the directory it was looked for in", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "atbb-cwd-"));
    mkdirSync(join(cwd, "data"));
    const result = await runCli(["status"], { DATABASE_URL: "file:./data/atbb.db", CWD: cwd });
    expectExplained(
      result,
      new RegExp(
        `There is no SQLite database at ${cwd}/data/atbb\\.db \\(\\./data/atbb\\.db relative to the current directory\\)`,
      ),
    );
    expect(readdirSync(join(cwd, "data"))).toEqual([]);
  });
});

describe.runIf(dialect === "sqlite")("an in-memory database (file::memory:)", () => {
  it("is refused by migrate and status, which point at serve --migrate", async () => {
    for (const command of ["migrate", "status"]) {
      const result = await runCli([command], { DATABASE_URL: "file::memory:" });
      expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining("Use `atbb serve --migrate`") });
    }
  });

  it("is served by serve --migrate, migrated in the same process", async () => {
    const served = await startServe({ DATABASE_URL: "file::memory:" }, ["--migrate"]);
    try {
      expect(await (await fetch(`http://127.0.0.1:${served.port}/api/health/ready`)).json()).toEqual({
        status: "ready",
      });
      expect((await fetch(`http://127.0.0.1:${served.port}/api/categories`)).status).toBe(200);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
    }
  });

  it("without --migrate, serve says it starts empty in every process", async () => {
    expectExplained(
      await runCli(["serve"], { DATABASE_URL: "file::memory:" }),
      /An in-memory database starts empty in every process: use `atbb serve --migrate`/,
    );
  });
});

describe(`atbb serve --migrate (${dialect})`, () => {
  it("migrates a fresh database, then serves it", async () => {
    const { url } = await freshDatabase();
    const served = await startServe({ DATABASE_URL: url }, ["--migrate"]);
    try {
      expect(await (await fetch(`http://127.0.0.1:${served.port}/api/health/ready`)).json()).toEqual({
        status: "ready",
      });
      expect(served.output()).toContain("migration applied");
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
    }
    expect(await runCli(["status"], { DATABASE_URL: url })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(" 0 pending"),
    });
  });
});
