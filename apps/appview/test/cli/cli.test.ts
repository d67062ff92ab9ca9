import { createDb } from "@atbb/db";
import { createTestDatabase, dialect } from "@atbb/testing";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { runCli, startServe } from "../support/cli.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { timeOf } from "../support/forum-events.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const freshDatabase = droppedAfterEach(createTestDatabase);

describe("atbb help and arguments", () => {
  it("prints usage, per-command help and the version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["serve", "migrate", "db:migrate", "db:migrate:sqlite", "migrate-permissions", "status"])
      expect(help.stdout).toContain(command);
    const serveHelp = await runCli(["serve", "--help"]);
    expect(serveHelp).toMatchObject({ code: 0, stdout: expect.stringContaining("--no-indexer") });
    expect((await runCli(["--version"])).stdout.trim()).toBe(packageJson.version);
  });

  it("answers `atbb help <command>` with that command's help, the forum account's commands included", async () => {
    for (const [command, line] of [
      ["init", "Usage: atbb init"],
      ["mod", "Usage: atbb mod"],
      ["serve", "Usage: atbb serve"],
    ] as const) {
      const help = await runCli(["help", command]);
      expect(help, command).toMatchObject({ code: 0, stdout: expect.stringContaining(line) });
      expect(help.stdout, command).toBe((await runCli([command, "--help"])).stdout);
    }
    expect(await runCli(["help", "frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command "frobnicate"'),
    });
  });

  it("refuses unknown commands and options with usage and exit code 2", async () => {
    expect(await runCli(["frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command "frobnicate"'),
    });
    expect(await runCli(["serve", "--turbo"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--turbo") });
    expect(await runCli(["migrate", "--no-indexer"])).toMatchObject({ code: 2 });
  });
});

describe("atbb configuration", () => {
  const bad: [string, string, RegExp][] = [
    ["DATABASE_URL", "mysql://root@db/atbb", /DATABASE_URL: must be one of/],
    ["HOST", " ", /./],
    ["PORT", "70000", /PORT: must be a port number/],
    ["PORT", "http", /PORT: must be a port number/],
    ["FORUM_DID", "alice", /FORUM_DID: must be a DID/],
    ["PDS_URL", "ftp://pds", /PDS_URL: must be an http\(s\) URL/],
    ["JETSTREAM_URL", "https://jetstream", /JETSTREAM_URL: must be a WebSocket URL/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL: must be one of/],
    ["SOURCE", "relay", /SOURCE: must be one of jetstream, firehose/],
    ["SOURCE", "firehose", /FIREHOSE_URL: must be set when SOURCE=firehose/],
    ["FIREHOSE_URL", "https://bsky.network", /FIREHOSE_URL: must be a WebSocket URL/],
    ["PLC_URL", "plc.directory", /PLC_URL: must be an http\(s\) URL/],
    ["BACKFILL", "sometimes", /BACKFILL: must be auto or off/],
    ["BACKFILL_CONCURRENCY", "1.5", /BACKFILL_CONCURRENCY: must be a whole number/],
    ["BACKFILL_RATE", "0", /BACKFILL_RATE: must be requests per second, at least 0.1/],
    ["HANDLE_RECHECK_HOURS", "soon", /HANDLE_RECHECK_HOURS: must be a number of hours/],
    ["CORS_ORIGINS", "forum.example.org/path", /CORS_ORIGINS: must be a comma-separated list/],
    ["NOTIFICATIONS", "quiet", /NOTIFICATIONS: must be on \(derive members' notifications .*\) or off/],
  ];
  for (const [name, value, message] of bad) {
    it(`rejects ${name}=${JSON.stringify(value)} with a message naming it`, async () => {
      const result = await runCli(["status"], { [name]: value });
      if (name === "HOST") {
        // Whitespace is a valid (if odd) host string; it must not crash the command.
        expect(result.code).not.toBeNull();
        return;
      }
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    });
  }

  it("reports every problem at once", async () => {
    const result = await runCli(["status"], { PORT: "0", FORUM_DID: "x", LOG_LEVEL: "x" });
    expect(result.stderr.match(/^ {2}- /gm)).toHaveLength(3);
  });

  it("reads *_FILE variables and refuses both forms at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atbb-secrets-"));
    writeFileSync(join(dir, "url"), `file:${join(dir, "from-file.db")}\n`);
    const fromFile = await runCli(["migrate"], { DATABASE_URL_FILE: join(dir, "url") });
    expect(fromFile).toMatchObject({ code: 0, stdout: expect.stringContaining("from-file.db") });
    const both = await runCli(["status"], { DATABASE_URL_FILE: join(dir, "url"), DATABASE_URL: "file::memory:" });
    expect(both).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("DATABASE_URL and DATABASE_URL_FILE are both set"),
    });
    const missing = await runCli(["status"], { FORUM_DID_FILE: join(dir, "nope") });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("FORUM_DID_FILE: cannot read") });
  });
});

describe(`atbb migrate and serve (${dialect})`, () => {
  it("refuses the seed alias of the other dialect", async () => {
    const { url } = await freshDatabase();
    const wrong = dialect === "postgresql" ? "db:migrate:sqlite" : "db:migrate";
    const right = dialect === "postgresql" ? "db:migrate" : "db:migrate:sqlite";
    expect(await runCli([wrong], { DATABASE_URL: url })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`Use \`atbb ${right}\``),
    });
    expect(await runCli([right], { DATABASE_URL: url })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("applied"),
    });
  });

  it("refuses to serve before migrate, then serves and indexes after it", async () => {
    const { url } = await freshDatabase();
    const notYet = await runCli(["serve"], { DATABASE_URL: url });
    expect(notYet).toMatchObject({ code: 1, stderr: expect.stringContaining("Run `atbb migrate` first") });

    expect((await runCli(["migrate"], { DATABASE_URL: url })).code).toBe(0);
    const status = await runCli(["status"], { DATABASE_URL: url });
    expect(status).toMatchObject({ code: 0, stdout: expect.stringMatching(/0 pending/) });
    expect((await runCli(["migrate-permissions"], { DATABASE_URL: url })).stdout).toContain("Nothing to do");

    // A stream from a minute ago: the indexer ends it caught up, so health is "healthy", not lagging.
    const stream = sampleForum({ startUs: (Date.now() - 60_000) * 1000 });
    const jetstream = await FakeJetstream.start(stream.messages);
    const served = await startServe({
      DATABASE_URL: url,
      FORUM_DID: stream.forumDid,
      JETSTREAM_URL: jetstream.url,
      BACKFILL: "off",
    });
    try {
      const last = timeOf(stream.messages.at(-1)!);
      let health: any;
      for (let i = 0; i < 200; i++) {
        health = await (await fetch(`http://127.0.0.1:${served.port}/api/health`)).json();
        if (health.indexer.cursor === last) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(health).toMatchObject({
        status: "healthy",
        database: { status: "up", dialect },
        indexer: { connected: true, cursor: last },
      });
      const categories = await (await fetch(`http://127.0.0.1:${served.port}/api/categories`)).json();
      expect((categories as any).categories).toHaveLength(2);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      await jetstream.stop();
    }
  });

  it("on SIGTERM mid-stream leaves whole batches and a cursor that covers exactly them", async () => {
    const { url } = await freshDatabase();
    await runCli(["migrate"], { DATABASE_URL: url });
    const stream = sampleForum({ topics: 60, repliesPerTopic: 10 });
    const jetstream = await FakeJetstream.start(stream.messages, { delayMs: 1 });
    const served = await startServe({
      DATABASE_URL: url,
      FORUM_DID: stream.forumDid,
      JETSTREAM_URL: jetstream.url,
      BACKFILL: "off",
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
    expect(served.output()).toContain("stopped cleanly");
    await jetstream.stop();

    const database = await createDb(url);
    const reference = await freshDatabase();
    await runCli(["migrate"], { DATABASE_URL: reference.url });
    const referenceDb = await createDb(reference.url);
    try {
      const [row] = await database.db.select().from(database.schema.firehoseCursor);
      const cursor = row?.cursor ?? 0;
      await applyMessages(
        createIndexer({ database: referenceDb, forumDid: stream.forumDid, logger: silentLogger }),
        stream.messages.filter((m) => timeOf(m) <= cursor),
      );
      expect(await databaseSnapshot(database)).toEqual(await databaseSnapshot(referenceDb));
    } finally {
      await database.close();
      await referenceDb.close();
    }
  });

  it.runIf(dialect === "postgresql")(
    "lets exactly one of two servers index, and the other take over when it dies",
    async () => {
      const { url } = await freshDatabase();
      await runCli(["migrate"], { DATABASE_URL: url });
      const stream = sampleForum();
      const jetstream = await FakeJetstream.start(stream.messages);
      const env = { DATABASE_URL: url, FORUM_DID: stream.forumDid, JETSTREAM_URL: jetstream.url, BACKFILL: "off" };
      const first = await startServe(env);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = await startServe(env);
      const leaders = () => [first, second].filter((s) => s.output().includes("this process is the indexer"));
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(leaders()).toEqual([first]);
        expect(second.output()).toContain("another process is indexing");
        first.child.kill("SIGKILL");
        await first.exited;
        for (let i = 0; i < 100 && !second.output().includes("this process is the indexer"); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(second.output()).toContain("this process is the indexer");
      } finally {
        first.child.kill("SIGKILL");
        second.child.kill("SIGTERM");
        await second.exited;
        await jetstream.stop();
      }
    },
  );
});
