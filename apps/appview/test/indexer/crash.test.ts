// SIGKILL at random points: the database is always at a batch boundary and the
// cursor never covers an event that was not applied.
import { createDb } from "@atbb/db";
import { createMigratedTestDatabase, dialect, repoRoot } from "@atbb/testing";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { timeOf } from "../support/forum-events.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";
import { seededRandom } from "../support/random.ts";
import { finalCursor } from "../support/run-indexer.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const script = join(repoRoot, "apps/appview/test/support/indexer-process.ts");
const freshDatabase = droppedAfterEach(createMigratedTestDatabase);

async function referenceSnapshot(forumDid: string, messages: string[]) {
  const reference = await freshDatabase();
  await applyMessages(createIndexer({ database: reference.handle, forumDid, logger: silentLogger }), messages);
  return databaseSnapshot(reference.handle);
}

/** Runs the indexer process until `until()` holds, waits `killAfterMs` more, then SIGKILLs it. */
async function runIndexerProcess(env: Record<string, string>, killAfterMs: number, until: () => Promise<boolean>) {
  const child = spawn(process.execPath, ["--conditions=development", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error("indexer process did not get there in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  child.kill("SIGKILL");
  await exited;
}

describe(`an indexer killed mid-batch (${dialect})`, () => {
  it("resumes to the same final state, and its cursor never passes unapplied events", async () => {
    const stream = sampleForum({ topics: 30, repliesPerTopic: 8, stepUs: 20_000_000 });
    // Two milliseconds between events: the stream lasts long enough to be killed inside.
    const server = await FakeJetstream.start(stream.messages, { delayMs: 2 });
    const database = await freshDatabase();
    const env = { DATABASE_URL: database.url, FORUM_DID: stream.forumDid, JETSTREAM_URL: server.url, BATCH_SIZE: "15" };
    const observer = await createDb(database.url);
    const committedCursor = async () => {
      const rows = await observer.db.select().from(observer.schema.firehoseCursor);
      return rows[0]?.cursor ?? null;
    };
    const random = seededRandom(2026);
    const target = finalCursor(stream.messages);
    const killedAt: (number | null)[] = [];
    try {
      for (let kill = 0; kill < 3; kill++) {
        // Kill once it has committed something new, at a random moment after.
        const before = await committedCursor();
        await runIndexerProcess(env, Math.floor(random() * 40), async () => (await committedCursor()) !== before);
        const cursor = await committedCursor();
        killedAt.push(cursor);
        if (cursor === null) continue;
        // Exactly the events up to the cursor are in the database: nothing more, nothing less.
        const applied = stream.messages.filter((m) => timeOf(m) <= cursor);
        expect(await databaseSnapshot(observer)).toEqual(await referenceSnapshot(stream.forumDid, applied));
      }
      // The kills must have landed inside the stream, or this proved nothing.
      expect(killedAt.filter((c) => c !== null && c < target).length).toBeGreaterThan(0);
      await runIndexerProcess(env, 0, async () => (await committedCursor()) === target);
      expect(await databaseSnapshot(observer)).toEqual(await referenceSnapshot(stream.forumDid, stream.messages));
    } finally {
      await observer.close();
      await server.stop();
    }
  });
});
