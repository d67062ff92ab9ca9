import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages, localCandidate } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { cidFor, ForumStream, tid, type Written } from "../support/forum-events.ts";

const alice = "did:plc:alicealicealicealiceaaaa";

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

/** A forum with one board, indexed from the network; the messages that follow are the network's later events. */
function forumWithBoard() {
  const s = new ForumStream();
  const forum = s.forum();
  const board = s.board(s.category("General"), "Chat");
  s.join(alice, forum);
  return { s, board, structure: s.messages.length };
}

const topicRecord = (board: Written, title: string, createdAt: string) => ({
  title,
  text: `${title}: body`,
  board: { $type: "space.atbb.post#boardRef" as const, board: board.ref },
  createdAt,
});

async function postRow(database: MigratedTestDatabase, rkey: string) {
  const { posts } = database.handle.schema;
  const [row] = await database.handle.db
    .select({ title: posts.title, text: posts.text, cid: posts.cid, deletedByUser: posts.deletedByUser })
    .from(posts)
    .where(and(eq(posts.did, alice), eq(posts.rkey, rkey)));
  return row;
}

describe(`a record the AppView has just written (${dialect})`, () => {
  it("is applied at once, without moving the cursor or counting as a network event", async () => {
    const { s, board, structure } = forumWithBoard();
    const topic = s.topic(alice, board, "Written here");
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.slice(0, structure));
    const cursor = await indexer.loadCursor();

    const verdict = await indexer.applyLocal(localCandidate(s.messages.at(-1)!));

    expect(verdict).toEqual({
      ok: true,
      op: expect.objectContaining({ kind: "record", collection: ids.post, did: alice, rkey: topic.rkey }),
    });
    const { posts, boards } = database.handle.schema;
    const [row] = await database.handle.db
      .select()
      .from(posts)
      .where(and(eq(posts.did, alice), eq(posts.rkey, topic.rkey)));
    expect(row).toMatchObject({ title: "Written here", boardUri: board.uri, cid: topic.cid });
    const [chat] = await database.handle.db.select().from(boards).where(eq(boards.rkey, board.rkey));
    expect(chat?.topicCount).toBe(1);
    expect(await indexer.loadCursor()).toBe(cursor);
    expect(indexer.status().rejected).toEqual({});
  });

  it("ends the same as the network's copy alone once the firehose echoes it", async () => {
    const { s, board } = forumWithBoard();
    s.topic(alice, board, "Echoed");
    const echoed = await freshDatabase();
    const indexer = createIndexer({ database: echoed.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.slice(0, -1));
    await indexer.applyLocal(localCandidate(s.messages.at(-1)!));
    await applyMessages(indexer, s.messages.slice(-1));

    const networkOnly = await freshDatabase();
    await applyMessages(
      createIndexer({ database: networkOnly.handle, forumDid: s.forumDid, logger: silentLogger }),
      s.messages,
    );
    expect(await databaseSnapshot(echoed.handle)).toEqual(await databaseSnapshot(networkOnly.handle));
  });

  it("goes through the same validator: a refused candidate is returned with its reason and writes nothing", async () => {
    const { s, board, structure } = forumWithBoard();
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.slice(0, structure));
    const before = await databaseSnapshot(database.handle);
    const createdAt = new Date().toISOString();

    const refusals = await Promise.all([
      // Forum structure from a member's repository.
      indexer.applyLocal({
        kind: "commit",
        timeUs: Date.now() * 1000,
        did: alice,
        collection: ids.category,
        rkey: tid(1),
        operation: "create",
        cid: cidFor(1),
        record: { name: "Mine", createdAt },
      }),
      // A topic with no board.
      indexer.applyLocal({
        kind: "commit",
        timeUs: Date.now() * 1000,
        did: alice,
        collection: ids.post,
        rkey: tid(2),
        operation: "create",
        cid: cidFor(2),
        record: { text: "where?", createdAt },
      }),
      // Text PostgreSQL cannot hold, in a record that never was JSON text.
      indexer.applyLocal({
        kind: "commit",
        timeUs: Date.now() * 1000,
        did: alice,
        collection: ids.post,
        rkey: tid(3),
        operation: "create",
        cid: cidFor(3),
        record: { text: "nul \u0000", board: board.ref, createdAt },
      }),
      indexer.applyLocal({
        kind: "commit",
        timeUs: Date.now() * 1000,
        did: "alice",
        collection: ids.post,
        rkey: tid(4),
        operation: "delete",
      }),
    ]);

    expect(refusals.map((verdict) => (verdict.ok ? "applied" : verdict.rejection.reason))).toEqual([
      "not_forum_owner",
      "bad_reference",
      "invalid_record",
      "invalid_envelope",
    ]);
    expect(await databaseSnapshot(database.handle)).toEqual(before);
    expect(indexer.status().rejected).toEqual({});
  });

  it("keeps an edit applied at once when the firehose's echo of the first version arrives after it", async () => {
    const { s, board, structure } = forumWithBoard();
    const topic = s.topic(alice, board, "First");
    const edited = s.update(topic, topicRecord(board, "Second", s.isoNow()));
    const [created, edit] = s.messages.slice(-2) as [string, string];
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.slice(0, structure));
    await indexer.applyLocal(localCandidate(created));
    await indexer.applyLocal(localCandidate(edit));

    // The network's copies come later, the first version's last of all.
    await applyMessages(indexer, [edit]);
    await applyMessages(indexer, [created]);
    expect(await postRow(database, topic.rkey)).toMatchObject({ title: "Second", cid: edited.cid });

    const networkOnly = await freshDatabase();
    await applyMessages(
      createIndexer({ database: networkOnly.handle, forumDid: s.forumDid, logger: silentLogger }),
      s.messages,
    );
    expect(await databaseSnapshot(database.handle)).toEqual(await databaseSnapshot(networkOnly.handle));
  });

  it("keeps a post deleted at once deleted when a late echo of its creation arrives", async () => {
    const { s, board, structure } = forumWithBoard();
    const topic = s.topic(alice, board, "Regretted");
    s.remove(topic);
    const [created, deleted] = s.messages.slice(-2) as [string, string];
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.slice(0, structure));
    await indexer.applyLocal(localCandidate(created));
    await indexer.applyLocal(localCandidate(deleted));

    await applyMessages(indexer, [created]);
    expect(await postRow(database, topic.rkey)).toMatchObject({ text: "", deletedByUser: true });
    await applyMessages(indexer, [deleted]);
    expect(await postRow(database, topic.rkey)).toMatchObject({ text: "", deletedByUser: true });
  });

  it("applies a version whose revision is unknown as it comes, and refuses a revision that is not a TID", async () => {
    const { s, board, structure } = forumWithBoard();
    const topic = s.topic(alice, board, "Dated");
    s.update(topic, topicRecord(board, "Undated edit", s.isoNow()));
    const [created, edit] = s.messages.slice(-2) as [string, string];
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, [...s.messages.slice(0, structure), created]);

    const refused = await indexer.applyLocal({ ...localCandidate(edit), rev: "not a tid" });
    expect(refused.ok ? "applied" : refused.rejection).toMatchObject({
      reason: "invalid_envelope",
      detail: "commit.rev is not a TID",
    });
    expect(await postRow(database, topic.rkey)).toMatchObject({ title: "Dated" });

    await indexer.applyLocal({ ...localCandidate(edit), rev: null });
    expect(await postRow(database, topic.rkey)).toMatchObject({ title: "Undated edit" });
  });
});
