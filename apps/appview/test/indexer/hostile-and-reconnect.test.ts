import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { RESUME_OVERLAP_US } from "../../src/source/jetstream.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { cidFor, tid } from "../support/forum-events.ts";
import { pick, seededRandom } from "../support/random.ts";
import { indexThroughJetstream } from "../support/run-indexer.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { applyMessages } from "../support/apply-messages.ts";

let databases: MigratedTestDatabase[] = [];
beforeEach(() => {
  databases = [];
});
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});
async function freshDatabase() {
  const database = await createMigratedTestDatabase();
  databases.push(database);
  return database;
}

/** 1,000 hostile messages, each with the reason the indexer must give. */
function hostileMessages(forumDid: string, startUs: number) {
  const random = seededRandom(42);
  const user = "did:plc:hostilehostilehostileaaa";
  let time = startUs;
  const commit = (commit: object, did: string = user) =>
    JSON.stringify({ did, time_us: ++time, kind: "commit", commit });
  const post = (record: object) =>
    commit({
      operation: "create",
      collection: "space.atbb.post",
      rkey: tid(time + 1),
      cid: cidFor(record),
      record: { $type: "space.atbb.post", ...record },
    });
  const kinds: [string, () => string][] = [
    ["invalid_json", () => `{"did": "${user}", "time_us": ${++time}, `],
    ["invalid_json", () => "\u0000\u0001 not json"],
    ["invalid_envelope", () => JSON.stringify([1, 2, 3])],
    ["invalid_envelope", () => JSON.stringify({ did: user, time_us: -5, kind: "commit" })],
    ["invalid_envelope", () => JSON.stringify({ did: "alice", time_us: ++time, kind: "commit", commit: {} })],
    ["invalid_envelope", () => JSON.stringify({ did: user, time_us: ++time, kind: "commit", commit: "nope" })],
    ["unknown_kind", () => JSON.stringify({ did: user, time_us: ++time, kind: "mystery" })],
    [
      "unknown_collection",
      () =>
        commit({ operation: "create", collection: "app.bsky.feed.post", rkey: tid(time), cid: cidFor(1), record: {} }),
    ],
    [
      "unknown_collection",
      () =>
        commit({
          operation: "create",
          collection: "space.atbb.notathing",
          rkey: tid(time),
          cid: cidFor(1),
          record: {},
        }),
    ],
    [
      "invalid_rkey",
      () =>
        commit({
          operation: "create",
          collection: "space.atbb.post",
          rkey: "../../etc/passwd",
          cid: cidFor(1),
          record: {},
        }),
    ],
    [
      "invalid_rkey",
      () => commit({ operation: "create", collection: "space.atbb.post", rkey: "self", cid: cidFor(1), record: {} }),
    ],
    [
      "invalid_operation",
      () => commit({ operation: "upsert", collection: "space.atbb.post", rkey: tid(time), cid: cidFor(1), record: {} }),
    ],
    [
      "invalid_cid",
      () =>
        commit({
          operation: "create",
          collection: "space.atbb.post",
          rkey: tid(time),
          cid: "not-a-cid",
          record: { text: "x", createdAt: "2026-01-01T00:00:00Z" },
        }),
    ],
    ["invalid_record", () => post({ text: 42, createdAt: "2026-01-01T00:00:00Z" })],
    ["invalid_record", () => post({ text: "x".repeat(3001), createdAt: "2026-01-01T00:00:00Z" })],
    ["invalid_record", () => post({ text: "ok", createdAt: "not a date" })],
    ["invalid_record", () => post({ text: "nul \u0000 byte", createdAt: "2026-01-01T00:00:00Z" })],
    ["bad_reference", () => post({ text: "a topic without a board", createdAt: "2026-01-01T00:00:00Z" })],
    [
      "bad_reference",
      () =>
        post({
          text: "reply to a board",
          createdAt: "2026-01-01T00:00:00Z",
          reply: {
            $type: "space.atbb.post#replyRef",
            root: { uri: `at://${forumDid}/space.atbb.forum.board/${tid(1)}`, cid: cidFor(2) },
            parent: { uri: `at://${forumDid}/space.atbb.forum.board/${tid(1)}`, cid: cidFor(2) },
          },
        }),
    ],
    [
      "not_forum_owner",
      () =>
        commit({
          operation: "create",
          collection: "space.atbb.forum.category",
          rkey: tid(time),
          cid: cidFor(3),
          record: { $type: "space.atbb.forum.category", name: "x", createdAt: "2026-01-01T00:00:00Z" },
        }),
    ],
  ];
  const expected: Record<string, number> = {};
  const messages = Array.from({ length: 1000 }, () => {
    const [reason, make] = pick(random, kinds);
    expected[reason] = (expected[reason] ?? 0) + 1;
    return make();
  });
  return { messages, expected };
}

describe(`the indexer under hostile input and dropped connections (${dialect})`, () => {
  it("indexes the valid part of a stream exactly and counts each of 1,000 hostile events", async () => {
    const clean = sampleForum();
    const reference = await freshDatabase();
    await applyMessages(
      createIndexer({ database: reference.handle, forumDid: clean.forumDid, logger: silentLogger }),
      clean.messages,
    );

    const { messages: hostile, expected } = hostileMessages(clean.forumDid, Date.UTC(2026, 9, 1) * 1000);
    const random = seededRandom(7);
    const mixed = [...clean.messages];
    for (const message of hostile) mixed.splice(Math.floor(random() * (mixed.length + 1)), 0, message);
    // Hostile time_us values are older than the clean stream's, so the order of the clean part decides the cursor.
    const database = await freshDatabase();
    const indexer = createIndexer({
      database: database.handle,
      forumDid: clean.forumDid,
      logger: silentLogger,
      batchSize: 50,
    });
    for (let i = 0; i < mixed.length; i += 50) await applyMessages(indexer, mixed.slice(i, i + 50));

    expect(indexer.status().rejected).toEqual(expected);
    expect(Object.values(indexer.status().rejected).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(await databaseSnapshot(database.handle)).toEqual(await databaseSnapshot(reference.handle));
  });

  it("ends equal to an uninterrupted run when the server drops the connection every 25 events", async () => {
    // Three seconds between events: resuming ten seconds early replays a few, not all.
    const stream = sampleForum({ stepUs: 3_000_000 });
    const reference = await freshDatabase();
    await applyMessages(
      createIndexer({ database: reference.handle, forumDid: stream.forumDid, logger: silentLogger }),
      stream.messages,
    );

    const database = await freshDatabase();
    const { server } = await indexThroughJetstream(database.handle, stream.forumDid, stream.messages, {
      dropEvery: 25,
      batchSize: 10,
    });
    expect(server.requests.length).toBeGreaterThan(stream.messages.length / 25);
    // Every reconnect asked for the committed cursor minus ten seconds.
    for (const { cursor } of server.requests.slice(1)) {
      expect(cursor).not.toBeNull();
      expect((cursor! + RESUME_OVERLAP_US - Date.UTC(2026, 10, 1) * 1000) % 3_000_000).toBe(0);
    }
    expect(await databaseSnapshot(database.handle)).toEqual(await databaseSnapshot(reference.handle));
  });
});
