// The database refusing writes for a while (disk full, read-only, connections
// cut) must cost no event: the indexer retries without moving the cursor,
// reports it in health, and carries on once the database takes writes again.
import { createDb, migrate, type DatabaseHandle } from "@atbb/db";
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { createIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { JetstreamSource } from "../../src/source/jetstream.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";
import { finalCursor } from "../support/run-indexer.ts";
import { sampleForum } from "../support/sample-forum.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The stream served slowly over a real Jetstream socket into an indexer that retries quickly. */
async function followSlowly(
  database: DatabaseHandle,
  stream: ReturnType<typeof sampleForum>,
  retry: { giveUpAfterMs: number },
) {
  const server = await FakeJetstream.start(stream.messages, { delayMs: 5 });
  const source = new JetstreamSource({ url: server.url, logger: silentLogger, backoffBaseMs: 5, backoffMaxMs: 20 });
  const indexer = createIndexer({
    database,
    forumDid: stream.forumDid,
    logger: silentLogger,
    batchSize: 5,
    batchMaxWaitMs: 10,
    retry: { baseMs: 20, maxMs: 100, ...retry },
  });
  const running = indexer.run(source);
  running.catch(() => {});
  cleanups.push(async () => {
    await indexer.stop();
    await running.catch(() => {});
    await server.stop();
  });
  return { indexer, running };
}

async function referenceOf(stream: ReturnType<typeof sampleForum>): Promise<MigratedTestDatabase> {
  const reference = await createMigratedTestDatabase();
  cleanups.push(() => reference.drop());
  await applyMessages(
    createIndexer({ database: reference.handle, forumDid: stream.forumDid, logger: silentLogger }),
    stream.messages,
  );
  return reference;
}

/** Waits for the database to refuse writes, checks that nothing moves meanwhile and health says so, then lets it recover. */
async function ridesOutTheFault(indexer: Indexer, database: DatabaseHandle, recover: () => Promise<void>) {
  await until(() => indexer.status().failing !== null, "the indexer to meet the fault");
  const cursor = indexer.status().cursor;
  const app = createApp({
    database,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[database.dialect],
    forumDid: null,
    indexer,
  });
  const health = await app.request("/api/health");
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({
    status: "unhealthy",
    indexer: { failing: { error: expect.any(String) } },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(indexer.status().cursor).toBe(cursor);
  await recover();
}

const isRoot = process.getuid?.() === 0;

describe(`the indexer when the database refuses writes (${dialect})`, () => {
  it.runIf(dialect === "sqlite" && isRoot)(
    "loses no event to a full disk, and carries on once space returns",
    async () => {
      const stream = sampleForum({ topics: 30 });
      const reference = await referenceOf(stream);
      // A real small filesystem that really fills up (needs root to mount).
      const mountPoint = mkdtempSync(join(tmpdir(), "atbb-full-disk-"));
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint]);
      cleanups.push(() => {
        execFileSync("umount", ["-l", mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      });
      const url = `file:${join(mountPoint, "atbb.db")}`;
      await migrate(url, { migrationsFolder: migrationsFolders.sqlite });
      const database = await createDb(url);
      cleanups.push(() => database.close());

      const { indexer } = await followSlowly(database, stream, { giveUpAfterMs: 60_000 });
      await until(() => (indexer.status().cursor ?? 0) > 0, "the first batches");
      const filler = join(mountPoint, "filler");
      try {
        writeFileSync(filler, Buffer.alloc(32 * 1024 * 1024));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
      }
      await ridesOutTheFault(indexer, database, async () => rmSync(filler));

      await until(() => indexer.status().cursor === finalCursor(stream.messages), "the whole stream");
      expect(indexer.status().rejected).toEqual({});
      expect(indexer.status().failing).toBeNull();
      expect(await databaseSnapshot(database)).toEqual(await databaseSnapshot(reference.handle));
    },
  );

  it.runIf(dialect === "postgresql")(
    "loses no event while the database is read-only and its connections are cut",
    async () => {
      const stream = sampleForum({ topics: 30 });
      const reference = await referenceOf(stream);
      const target = await createMigratedTestDatabase();
      cleanups.push(() => target.drop());
      const admin = postgres(target.url, { max: 1, onnotice: () => {} });
      cleanups.push(() => admin.end());
      const name = new URL(target.url).pathname.slice(1);
      const cutConnections = () =>
        admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;

      const { indexer } = await followSlowly(target.handle, stream, { giveUpAfterMs: 60_000 });
      await until(() => (indexer.status().cursor ?? 0) > 0, "the first batches");
      await admin.unsafe(`alter database "${name}" set default_transaction_read_only = on`);
      await cutConnections();
      await ridesOutTheFault(indexer, target.handle, async () => {
        await admin.unsafe(`alter database "${name}" set default_transaction_read_only = off`);
        await cutConnections();
      });

      await until(() => indexer.status().cursor === finalCursor(stream.messages), "the whole stream");
      expect(indexer.status().rejected).toEqual({});
      expect(await databaseSnapshot(target.handle)).toEqual(await databaseSnapshot(reference.handle));
    },
  );

  it("gives up, so that the process exits and is restarted, when the database refuses writes for too long", async () => {
    const stream = sampleForum({ topics: 5 });
    const target = await createMigratedTestDatabase();
    cleanups.push(() => target.drop());
    // A table the indexer writes to, gone: every batch fails the same way, with a code of the database's.
    const { indexer, running } = await followSlowly(target.handle, stream, { giveUpAfterMs: 500 });
    await until(() => (indexer.status().cursor ?? 0) > 0, "the first batches");
    await target.handle.rows(sql`alter table firehose_cursor rename to firehose_cursor_gone`);
    await expect(running).rejects.toThrow(/firehose_cursor/);
    expect(indexer.status().rejected).toEqual({});
  });
});
