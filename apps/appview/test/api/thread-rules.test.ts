// What the network cannot make a thread show: a claimed date does not order
// the board, a lock closes a topic, and orphans are neither shown nor counted
// (docs/indexer.md, "Dates, locks and orphans"). Each forum is indexed through
// the real validator and indexer, then read through the API.
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { listedCandidate } from "../../src/backfill/backfill.ts";
import { validate } from "../../src/events/index.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { cidFor, ForumStream, tid, type Written } from "../support/forum-events.ts";

const alice = "did:plc:alicealicealicealiceaaaa";
const bob = "did:plc:bobbobbobbobbobbobbobaaa";
const mallory = "did:plc:mallorymallorymallorabbb";

let database: MigratedTestDatabase;
beforeEach(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => database?.drop());

const indexerFor = (s: ForumStream, options: { waitingReplyRetentionMs?: number } = {}) =>
  createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger, ...options });

function api(s: ForumStream) {
  const app = createApp({
    database: database.handle,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[database.handle.dialect],
    forumDid: s.forumDid,
  });
  return async (path: string) => {
    const response = await app.request(path);
    return { status: response.status, body: (await response.json()) as any };
  };
}

async function idOf(post: Written): Promise<string> {
  const { posts } = database.handle.schema;
  const [row] = await database.handle.db.select({ id: posts.id }).from(posts).where(eq(posts.rkey, post.rkey));
  return String(row!.id);
}

async function boardIdOf(board: Written): Promise<string> {
  const { boards } = database.handle.schema;
  const [row] = await database.handle.db.select({ id: boards.id }).from(boards).where(eq(boards.rkey, board.rkey));
  return String(row!.id);
}

/** A forum with one board, ready for posts. */
function forumWithBoard() {
  const s = new ForumStream();
  s.forum();
  const board = s.board(s.category("General"), "Chat");
  return { s, board };
}

const dated = (createdAt: string) => ({ createdAt });

describe(`a thread's rules (${dialect})`, () => {
  it("orders the board and its last activity by when the network saw a post, not by the date it claims", async () => {
    const { s, board } = forumWithBoard();
    const old = s.topic(alice, board, "An old topic");
    const pinned = s.commit(mallory, ids.post, {
      title: "Always on top",
      text: "dated 9999",
      board: board.ref,
      ...dated("9999-12-31T23:59:59.000Z"),
    });
    const pinnedSeenAt = s.isoNow();
    const sunk = s.commit(mallory, ids.post, {
      title: "From year one",
      text: "dated 0001",
      board: board.ref,
      ...dated("0001-01-01T00:00:00.000Z"),
    });
    const fresh = s.topic(bob, board, "A fresh topic");
    // A reply dated in the year 9000 to the old topic, after the fresh topic.
    const bump = s.commit(mallory, ids.post, {
      text: "bump",
      reply: { root: old.ref, parent: old.ref },
      ...dated("9000-01-01T00:00:00.000Z"),
    });
    const bumpSeenAt = s.isoNow();
    await applyMessages(indexerFor(s), s.messages);
    const get = api(s);

    const { body } = await get(`/api/boards/${await boardIdOf(board)}/topics`);
    expect(body.topics.map((t: any) => t.title)).toEqual([
      "An old topic",
      "A fresh topic",
      "Always on top",
      "From year one",
    ]);
    const [oldTopic, freshTopic, pinnedTopic, sunkTopic] = body.topics;
    // The old topic was bumped only to when the network saw the reply, and shows it.
    expect(oldTopic).toMatchObject({
      id: await idOf(old),
      replyCount: 1,
      lastReplyAt: bumpSeenAt,
      lastActivityAt: bumpSeenAt,
    });
    // An honest claim (a moment before the network saw it) is the topic's time.
    expect(freshTopic).toMatchObject({
      id: await idOf(fresh),
      lastActivityAt: freshTopic.createdAt,
      lastReplyAt: null,
    });
    // Claims are shown as the author made them; a claim in the future counts as when it was seen.
    expect(pinnedTopic).toMatchObject({
      id: await idOf(pinned),
      createdAt: "9999-12-31T23:59:59.000Z",
      lastActivityAt: pinnedSeenAt,
    });
    expect(sunkTopic).toMatchObject({
      id: await idOf(sunk),
      createdAt: "0001-01-01T00:00:00.000Z",
      lastActivityAt: "0001-01-01T00:00:00.000Z",
    });
    const thread = await get(`/api/topics/${await idOf(old)}`);
    expect(thread.body.replies).toMatchObject([
      { id: await idOf(bump), createdAt: "9000-01-01T00:00:00.000Z", hidden: null },
    ]);
  });

  it("lists a board's pinned topics first, pinned or not by the latest of pin and unpin, and never pins a reply", async () => {
    const { s, board } = forumWithBoard();
    const oldest = s.topic(alice, board, "Rules of the board");
    const middle = s.topic(bob, board, "Welcome");
    const newest = s.topic(alice, board, "Latest news");
    const reply = s.reply(bob, newest, newest, "a reply");
    s.modAction("pin", { post: oldest });
    // A pin that arrives before its topic still holds once the topic does.
    s.modAction("pin", { post: middle });
    const messages = s.messages.splice(0);
    const middleAt = messages.findIndex((m) => m.includes(middle.rkey) && m.includes('"space.atbb.post"'));
    const [middleMessage] = messages.splice(middleAt, 1);
    await applyMessages(indexerFor(s), [...messages, middleMessage!]);
    const get = api(s);
    const topics = async () =>
      (await get(`/api/boards/${await boardIdOf(board)}/topics`)).body.topics.map((t: any) => [t.title, t.pinned]);

    expect(await topics()).toEqual([
      ["Welcome", true],
      ["Rules of the board", true],
      ["Latest news", false],
    ]);
    const unpin = s.modAction("unpin", { post: middle });
    s.modAction("pin", { post: reply });
    await applyMessages(indexerFor(s), s.messages.splice(0));
    expect(await topics()).toEqual([
      ["Rules of the board", true],
      ["Latest news", false],
      ["Welcome", false],
    ]);
    expect((await get(`/api/topics/${await idOf(oldest)}`)).body.topic.pinned).toBe(true);
    // Deleting the unpin makes the earlier pin the latest again.
    s.remove(unpin);
    await applyMessages(indexerFor(s), s.messages.splice(0));
    expect(await topics()).toEqual([
      ["Welcome", true],
      ["Rules of the board", true],
      ["Latest news", false],
    ]);
  });

  it("lists a thread's replies by when they were written, a claim in the future counting as when it was seen", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "A thread");
    const last = s.commit(mallory, ids.post, {
      text: "the last word, for ever",
      reply: { root: topic.ref, parent: topic.ref },
      ...dated("9999-12-31T23:59:59.000Z"),
    });
    const honest = s.reply(bob, topic, topic, "written after it");
    await applyMessages(indexerFor(s), s.messages);
    const { body } = await api(s)(`/api/topics/${await idOf(topic)}`);
    expect(body.replies.map((r: any) => [r.id, r.createdAt])).toEqual([
      [await idOf(last), "9999-12-31T23:59:59.000Z"],
      [await idOf(honest), body.replies[1].createdAt],
    ]);
    expect(body.topic.lastReplyAt).toBe(body.replies[1].createdAt);
  });

  it("hides replies the network saw after the topic's lock, without counting them or letting them bump it", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Closed soon");
    const before = s.reply(bob, topic, topic, "in time");
    const lockedAt = s.isoNow();
    s.modAction("lock", { post: topic });
    const after = s.reply(mallory, topic, topic, "after the lock");
    // Backdating the claim does not help: the network saw it after the lock.
    const backdated = s.commit(mallory, ids.post, {
      text: "backdated",
      reply: { root: topic.ref, parent: topic.ref },
      ...dated(lockedAt),
    });
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    const get = api(s);
    const topicId = await idOf(topic);

    const { body } = await get(`/api/topics/${topicId}`);
    const beforeAt = body.replies[0].createdAt;
    expect(body.topic).toMatchObject({ locked: true, replyCount: 1, lastReplyAt: beforeAt, lastActivityAt: beforeAt });
    expect(body.replies.map((r: any) => [r.id, r.hidden, r.text])).toEqual([
      [await idOf(before), null, "in time"],
      [await idOf(backdated), "after_lock", null],
      [await idOf(after), "after_lock", null],
    ]);
    expect((await get(`/api/boards/${await boardIdOf(board)}/topics`)).body.topics[0]).toMatchObject({
      replyCount: 1,
      lastActivityAt: beforeAt,
    });
    expect((await get(`/api/users/${mallory}`)).body.postCount).toBe(0);

    // Unlocked, the topic shows them again (the rule follows the lock in effect).
    const unlock = s.messages.length;
    s.modAction("unlock", { post: topic });
    await applyMessages(indexer, s.messages.slice(unlock));
    const reopened = await get(`/api/topics/${topicId}`);
    expect(reopened.body.topic).toMatchObject({ locked: false, replyCount: 3 });
    expect(reopened.body.replies.map((r: any) => r.hidden)).toEqual([null, null, null]);
    expect((await get(`/api/users/${mallory}`)).body.postCount).toBe(2);
  });

  it("hides a reply edited after the lock: the words shown would be written after it", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Closed");
    const kept = s.reply(bob, topic, topic, "never touched");
    const edited = s.reply(mallory, topic, topic, "innocent at first");
    s.modAction("lock", { post: topic });
    s.update(edited, {
      text: "rewritten after the lock",
      reply: { root: topic.ref, parent: topic.ref },
      createdAt: s.isoNow(),
    });
    await applyMessages(indexerFor(s), s.messages);
    const { body } = await api(s)(`/api/topics/${await idOf(topic)}`);
    expect(body.replies.map((r: any) => [r.id, r.hidden, r.text])).toEqual([
      [await idOf(kept), null, "never touched"],
      [await idOf(edited), "after_lock", null],
    ]);
    expect(body.topic).toMatchObject({ replyCount: 1, lastReplyAt: body.replies[0].createdAt });
  });

  it("keeps a backfilled thread's replies on their side of its lock, by the dates they claim", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Locked while we were away");
    const before = s.reply(bob, topic, topic, "in time");
    s.modAction("lock", { post: topic });
    const after = s.reply(mallory, topic, topic, "after the lock");
    // Backfill lists the forum account's records first, then the members': the
    // lock is listed before every reply, all of them now.
    const listed = [...s.messages]
      .map(
        (message) =>
          JSON.parse(message) as {
            did: string;
            commit: { collection: typeof ids.post; rkey: string; cid: string; record: unknown };
          },
      )
      .sort((a, b) => Number(b.did === s.forumDid) - Number(a.did === s.forumDid))
      .map(({ did, commit }) => ({
        cursor: null,
        verdict: validate(
          listedCandidate(did, commit.collection, {
            uri: `at://${did}/${commit.collection}/${commit.rkey}`,
            cid: commit.cid,
            value: commit.record,
          }),
          s.forumDid,
        ),
      }));
    expect(listed.every((event) => event.verdict.ok)).toBe(true);
    await indexerFor(s).applyEvents(listed);
    const { body } = await api(s)(`/api/topics/${await idOf(topic)}`);
    expect(body.topic).toMatchObject({ locked: true, replyCount: 1 });
    expect(body.replies.map((r: any) => [r.id, r.hidden])).toEqual([
      [await idOf(before), null],
      [await idOf(after), "after_lock"],
    ]);
  });

  it("serves a topic only on a board of the forum, and counts only what it serves", async () => {
    const s = new ForumStream();
    s.forum();
    const category = s.category("General");
    const boardless = s.commit(alice, ids.post, {
      title: "On a board that is not there",
      text: "yet",
      board: { uri: `at://${s.forumDid}/${ids.board}/${tid(1)}`, cid: cidFor("a board never written") },
      createdAt: s.isoNow(),
    });
    const board = s.board(category, "Chat");
    const onBoardTopic = s.topic(alice, board, "On a board");
    const indexer = indexerFor(s);
    const boardAt = s.messages.findIndex((message) => message.includes(board.rkey));
    await applyMessages(indexer, [...s.messages.slice(0, boardAt), ...s.messages.slice(boardAt + 1)]);
    const get = api(s);

    const onBoard = await idOf(onBoardTopic);
    expect((await get(`/api/topics/${await idOf(boardless)}`)).status).toBe(404);
    expect((await get(`/api/topics/${onBoard}`)).status).toBe(404);
    expect((await get(`/api/users/${alice}`)).body.postCount).toBe(0);
    // Its board arrives: the topic on it is served and counted; the other stays out.
    await applyMessages(indexer, [s.messages[boardAt]!]);
    expect((await get(`/api/topics/${onBoard}`)).status).toBe(200);
    expect((await get(`/api/topics/${await idOf(boardless)}`)).status).toBe(404);
    expect((await get(`/api/users/${alice}`)).body.postCount).toBe(1);
    expect((await get(`/api/boards/${await boardIdOf(board)}/topics`)).body.total).toBe(1);
  });

  it("shows a reply only in its topic's thread, under a parent of that thread", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Here");
    const elsewhere = s.topic(alice, board, "Elsewhere");
    const answer = s.reply(alice, elsewhere, elsewhere, "an answer elsewhere");
    // Its parent is in another thread; its root is a reply, not a topic.
    const crossed = s.reply(bob, topic, answer, "crossed threads");
    const rootedInReply = s.reply(bob, answer, answer, "rooted in a reply");
    // The same, with the parent arriving after the reply that names it.
    const lateParent = s.reply(alice, elsewhere, elsewhere, "a late answer elsewhere");
    const crossedEarly = s.reply(bob, topic, lateParent, "crossed before its parent came");
    const [lateMessage] = s.messages.splice(
      s.messages.findIndex((message) => message.includes(lateParent.rkey)),
      1,
    );
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    await applyMessages(indexer, [lateMessage!]);
    const get = api(s);

    const here = await get(`/api/topics/${await idOf(topic)}`);
    expect(here.body.replies.map((r: any) => [r.id, r.parentId])).toEqual([
      [await idOf(crossed), null],
      [await idOf(crossedEarly), null],
    ]);
    expect(here.body.topic.replyCount).toBe(2);
    expect((await get(`/api/topics/${await idOf(answer)}`)).status).toBe(404);
    const there = await get(`/api/topics/${await idOf(elsewhere)}`);
    expect(there.body.replies.map((r: any) => r.id)).not.toContain(await idOf(rootedInReply));
    // Bob can be read in two replies, not three.
    expect((await get(`/api/users/${bob}`)).body.postCount).toBe(2);
  });

  it("hides and leaves uncounted the replies the network saw after their topic's author deleted it", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Soon gone");
    const before = s.reply(bob, topic, topic, "before the deletion");
    s.remove(topic);
    const after = s.reply(bob, topic, topic, "under the tombstone");
    await applyMessages(indexerFor(s), s.messages);
    const get = api(s);
    const { body } = await get(`/api/topics/${await idOf(topic)}`);
    expect(body.topic).toMatchObject({ hidden: "deleted_by_author", replyCount: 1 });
    expect(body.replies.map((r: any) => [r.id, r.hidden])).toEqual([
      [await idOf(before), null],
      [await idOf(after), "after_topic_deleted"],
    ]);
    expect((await get(`/api/users/${bob}`)).body.postCount).toBe(1);
  });

  it("drops replies whose root never became a topic of this forum, once they have waited long enough", async () => {
    const { s, board } = forumWithBoard();
    const topic = s.topic(alice, board, "Ours");
    const ours = s.reply(bob, topic, topic, "to our topic");
    const foreignTopic = { uri: `at://${mallory}/${ids.post}/${tid(1)}`, cid: cidFor("another forum's topic") };
    const foreign = s.commit(mallory, ids.post, {
      text: "to another forum's topic",
      reply: { root: foreignTopic, parent: foreignTopic },
      createdAt: s.isoNow(),
    });
    const nested = s.reply(bob, ours, ours, "rooted in a reply");
    await applyMessages(indexerFor(s), s.messages);
    const { posts } = database.handle.schema;
    const stored = async () =>
      (await database.handle.db.select({ rkey: posts.rkey }).from(posts)).map((row) => row.rkey).sort();
    const everything = [topic, ours, foreign, nested].map((post) => post.rkey).sort();
    // Within the retention they wait (their root may still come)...
    const later = new ForumStream({ forumDid: s.forumDid, startUs: Date.UTC(2026, 10, 2) * 1000 });
    const other = later.topic(alice, board, "Another day");
    await applyMessages(indexerFor(s), later.messages);
    expect(await stored()).toEqual([...everything, other.rkey].sort());
    // ...and past it they are gone, with nothing else.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const sweeping = later.messages.length;
    later.topic(bob, board, "Yet another day");
    await applyMessages(indexerFor(s, { waitingReplyRetentionMs: 1 }), later.messages.slice(sweeping));
    const kept = await stored();
    expect(kept).not.toContain(foreign.rkey);
    expect(kept).not.toContain(nested.rkey);
    expect(kept).toEqual(expect.arrayContaining([topic.rkey, ours.rkey, other.rkey]));
    expect(kept).toHaveLength(4);
    expect((await api(s)(`/api/topics/${await idOf(topic)}`)).body.topic.replyCount).toBe(1);
  });
});
