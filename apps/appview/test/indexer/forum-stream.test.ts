import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { ForumStream } from "../support/forum-events.ts";
import { indexThroughJetstream } from "../support/run-indexer.ts";
import { applyMessages } from "../support/apply-messages.ts";

const alice = "did:plc:alicealicealicealiceaaaa";
const bob = "did:plc:bobbobbobbobbobbobbobaaa";
const mallory = "did:plc:mallorymallorymalloryaaa";

let database: MigratedTestDatabase;
beforeEach(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => database.drop());

function indexerFor(stream: ForumStream) {
  return createIndexer({ database: database.handle, forumDid: stream.forumDid, logger: silentLogger });
}

describe(`indexing a forum (${dialect})`, () => {
  it("builds exactly the expected rows from a scripted stream over a real Jetstream socket", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const general = s.category("General", 1);
    const chat = s.board(general, "Chat", 1);
    const admin = s.role("Admin", ["*"], 0);
    const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
    s.join(alice, forum, admin);
    s.join(bob, forum, member);
    s.identity(alice, "alice.test");
    const topic = s.topic(alice, chat, "Welcome");
    const first = s.reply(bob, topic, topic, "hi alice");
    const second = s.reply(alice, topic, first, "hi bob");
    s.update(first, {
      text: "hi alice (edited)",
      reply: { root: topic.ref, parent: topic.ref },
      createdAt: "2026-11-01T00:00:00.000Z",
    });
    s.remove(second);
    s.modAction("lock", { post: topic }, { reason: "resolved" });
    s.update(member, {
      name: "Member",
      permissions: ["space.atbb.permission.createPosts"],
      priority: 100,
      createdAt: s.isoNow(),
    });

    const { server } = await indexThroughJetstream(database.handle, s.forumDid, s.messages);
    expect(server.requests[0]).toEqual({ cursor: null, wantedCollections: ["space.atbb.*"] });

    const snapshot = await databaseSnapshot(database.handle);
    expect(snapshot.forums).toEqual([
      expect.objectContaining({ did: s.forumDid, rkey: "self", name: "atBB Test Forum" }),
    ]);
    expect(snapshot.categories).toEqual([
      expect.objectContaining({ name: "General", sortOrder: 1, forumId: `${s.forumDid}/self` }),
    ]);
    expect(snapshot.boards).toEqual([
      expect.objectContaining({ name: "Chat", categoryUri: general.uri, categoryId: `${s.forumDid}/${general.rkey}` }),
    ]);
    expect(snapshot.rolePermissions).toEqual([
      { role: `${s.forumDid}/${admin.rkey}`, permission: "*" },
      { role: `${s.forumDid}/${member.rkey}`, permission: "space.atbb.permission.createPosts" },
    ]);
    expect(snapshot.memberships.map((m) => [m.did, m.roleId])).toEqual(
      [
        [alice, `${s.forumDid}/${admin.rkey}`],
        [bob, `${s.forumDid}/${member.rkey}`],
      ].sort(),
    );
    // Every author is a user, the forum account included; handles wait for verification (handles.ts).
    expect(snapshot.users.map((u) => [u.did, u.handle, u.handleRecheckAt])).toEqual([
      [alice, null, null],
      [bob, null, null],
      [s.forumDid, null, null],
    ]);

    const posts = Object.fromEntries(snapshot.posts.map((p) => [`${p.did}/${p.rkey}`, p]));
    const topicRow = posts[`${alice}/${topic.rkey}`]!;
    expect(topicRow).toMatchObject({
      title: "Welcome",
      boardId: `${s.forumDid}/${chat.rkey}`,
      rootId: null,
      locked: true,
      replyCount: 1,
    });
    expect(posts[`${bob}/${first.rkey}`]).toMatchObject({
      text: "hi alice (edited)",
      rootId: `${alice}/${topic.rkey}`,
      parentId: `${alice}/${topic.rkey}`,
    });
    expect(posts[`${alice}/${second.rkey}`]).toMatchObject({
      deletedByUser: true,
      text: "",
      parentId: `${bob}/${first.rkey}`,
    });
    expect(snapshot.cursors).toEqual([{ service: "jetstream", cursor: JSON.parse(s.messages.at(-1)!).time_us }]);
  });

  it("ignores forum-owned records published by anyone but the forum account", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const category = s.category("Real");
    const board = s.board(category, "Real board");
    s.join(mallory, forum);
    const topic = s.topic(mallory, board, "A topic");
    const spoofed = s.messages.length;
    s.commit(mallory, "space.atbb.forum.category", { name: "Fake", createdAt: s.isoNow() });
    s.commit(mallory, "space.atbb.forum.board", { name: "Fake", category: category.ref, createdAt: s.isoNow() });
    s.commit(mallory, "space.atbb.forum.role", { name: "God", permissions: ["*"], priority: 0, createdAt: s.isoNow() });
    s.commit(mallory, "space.atbb.modAction", { action: "lock", subject: { post: topic.ref }, createdAt: s.isoNow() });
    s.commit(mallory, "space.atbb.forum.forum", { name: "Hijacked" }, { rkey: "self" });
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages.slice(0, spoofed));
    const before = await databaseSnapshot(database.handle);
    await applyMessages(indexer, s.messages.slice(spoofed));
    const after = await databaseSnapshot(database.handle);
    expect({ ...after, cursors: [] }).toEqual({ ...before, cursors: [] });
    expect(indexer.status().rejected).toEqual({ not_forum_owner: 5 });
  });

  it("links replies that arrive before their topic and parent", async () => {
    const s = new ForumStream();
    s.forum();
    const board = s.board(s.category("C"), "B");
    const topic = s.topic(alice, board, "Late topic");
    const reply = s.reply(bob, topic, topic, "early reply");
    s.reply(alice, topic, reply, "early nested reply");
    const [forumMsg, categoryMsg, boardMsg, topicMsg, replyMsg, nestedMsg] = s.messages;
    const indexer = indexerFor(s);
    await applyMessages(indexer, [forumMsg!, categoryMsg!, boardMsg!]);
    await applyMessages(indexer, [nestedMsg!]);
    await applyMessages(indexer, [replyMsg!]);
    await applyMessages(indexer, [topicMsg!]);
    const { posts } = database.handle.schema;
    const rows = await database.handle.db.select().from(posts).orderBy(asc(posts.createdAt));
    const [t, r, n] = rows;
    expect(r).toMatchObject({ rootId: t!.id, parentId: t!.id });
    expect(n).toMatchObject({ rootId: t!.id, parentId: r!.id });
    expect(t).toMatchObject({ replyCount: 2, lastReplyAt: n!.createdAt, lastActivityAt: n!.createdAt });
  });

  it("links more replies than one linking statement takes when their topic arrives last", async () => {
    const s = new ForumStream();
    s.forum();
    const board = s.board(s.category("C"), "B");
    const topic = s.topic(alice, board, "Popular before it existed");
    const replies = Array.from({ length: 1_234 }, (_, n) => s.reply(n % 2 ? alice : bob, topic, topic, `reply ${n}`));
    const [topicMessage] = s.messages.splice(3, 1);
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    await applyMessages(indexer, [topicMessage!]);
    const { posts } = database.handle.schema;
    const [row] = await database.handle.db.select().from(posts).where(eq(posts.rkey, topic.rkey));
    const linked = await database.handle.db
      .select({ rkey: posts.rkey })
      .from(posts)
      .where(and(eq(posts.rootId, row!.id), eq(posts.parentId, row!.id)));
    expect(linked.map((p) => p.rkey).sort()).toEqual(replies.map((r) => r.rkey).sort());
    expect(row!.replyCount).toBe(1_234);
  });

  it("keeps reply_count exact under duplicates, edits, deletes and replays", async () => {
    const s = new ForumStream();
    s.forum();
    const board = s.board(s.category("C"), "B");
    const topic = s.topic(alice, board, "Counting");
    const replies = [1, 2, 3, 4].map((n) => s.reply(bob, topic, topic, `reply ${n}`));
    s.update(replies[0]!, { text: "edited", reply: { root: topic.ref, parent: topic.ref }, createdAt: s.isoNow() });
    s.remove(replies[3]!);
    s.remove(replies[3]!);
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    // A resumed stream replays what it already sent: twice more, in pieces.
    await applyMessages(indexer, s.messages.slice(4));
    await applyMessages(indexer, s.messages);
    const { posts } = database.handle.schema;
    const [row] = await database.handle.db.select().from(posts).where(eq(posts.rkey, topic.rkey));
    expect(row!.replyCount).toBe(3);
    const visible = await database.handle.db.select().from(posts).where(eq(posts.rootId, row!.id));
    const newest = Math.max(...visible.filter((p) => !p.deletedByUser).map((p) => p.createdAt.getTime()));
    expect(visible).toHaveLength(4);
    expect(row!.lastReplyAt).toEqual(new Date(newest));
    expect(row!.lastActivityAt).toEqual(new Date(newest));
  });

  it("applies bans, locks and moderator deletes, and undoes them", async () => {
    const s = new ForumStream();
    s.forum();
    const board = s.board(s.category("C"), "B");
    const topic = s.topic(alice, board, "Moderated");
    const reply = s.reply(mallory, topic, topic, "spam");
    const ban = s.modAction("ban", { did: mallory }, { reason: "spam", expiresAt: "2030-01-01T00:00:00.000Z" });
    s.modAction("delete", { post: reply });
    const later = s.reply(mallory, topic, topic, "more spam after the ban");
    s.modAction("lock", { post: topic });
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    const { posts, users } = database.handle.schema;
    const byRkey = async (rkey: string) =>
      (await database.handle.db.select().from(posts).where(eq(posts.rkey, rkey)))[0]!;
    expect(await byRkey(reply.rkey)).toMatchObject({ bannedByMod: true, deletedByMod: true });
    expect(await byRkey(later.rkey)).toMatchObject({ bannedByMod: true, deletedByMod: false });
    expect(await byRkey(topic.rkey)).toMatchObject({ locked: true, replyCount: 1 });
    const [user] = await database.handle.db.select().from(users).where(eq(users.did, mallory));
    expect(user!.banExpiresAt).toEqual(new Date("2030-01-01T00:00:00.000Z"));

    s.modAction("unban", { did: mallory });
    s.modAction("undelete", { post: reply });
    s.remove(ban);
    s.modAction("unlock", { post: topic });
    await applyMessages(indexer, s.messages.slice(-4));
    expect(await byRkey(reply.rkey)).toMatchObject({ bannedByMod: false, deletedByMod: false });
    expect(await byRkey(topic.rkey)).toMatchObject({ locked: false, replyCount: 2 });
  });

  it("ends the same whether a stream comes in one batch or one event at a time, board and topic counts included", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const category = s.category("C");
    const [news, chat] = [s.board(category, "News"), s.board(category, "Chat")];
    s.join(alice, forum);
    const topics = [0, 1, 2, 3].map((n) => s.topic(n % 2 ? bob : alice, n < 3 ? news : chat, `Topic ${n}`));
    const replies = topics.flatMap((topic) =>
      [1, 2, 3].map((n) => s.reply(n === 2 ? bob : mallory, topic, topic, `reply ${n}`)),
    );
    s.reply(alice, topics[0]!, replies[0]!, "nested");
    // An edit moves a topic to the other board; a reply moves to another topic.
    s.update(topics[1]!, { title: "Moved", text: "moved", board: chat.ref, createdAt: s.isoNow() });
    s.update(replies[3]!, {
      text: "moved too",
      reply: { root: topics[3]!.ref, parent: topics[3]!.ref },
      createdAt: s.isoNow(),
    });
    s.remove(replies[6]!);
    s.modAction("ban", { did: mallory });
    s.modAction("delete", { post: replies[7]! });
    s.reply(mallory, topics[2]!, topics[2]!, "after the ban");
    // A board that arrives after its topics: written last, listed under its own rkey.
    const late = s.board(category, "Late");
    const early = s.topic(bob, late, "Before its board");
    const [lateBoardMessage] = s.messages.splice(s.messages.length - 2, 1);
    s.messages.push(lateBoardMessage!);

    const oneByOne = await createMigratedTestDatabase();
    try {
      await applyMessages(indexerFor(s), s.messages);
      const indexer = createIndexer({ database: oneByOne.handle, forumDid: s.forumDid, logger: silentLogger });
      for (const message of s.messages) await applyMessages(indexer, [message]);
      const batched = await databaseSnapshot(database.handle);
      expect(batched).toEqual(await databaseSnapshot(oneByOne.handle));

      const topicCount = (board: typeof news) => batched.boards.find((b) => b.rkey === board.rkey)?.topicCount;
      expect([topicCount(news), topicCount(chat), topicCount(late)]).toEqual([2, 2, 1]);
      const replyCount = (topic: typeof early) => batched.posts.find((p) => p.rkey === topic.rkey)?.replyCount;
      // Topic 0: three and the nested one; 1: lost one to topic 3; 2: one deleted by its author, one by a mod, one after the ban (banned, still counted).
      expect([...topics, early].map(replyCount)).toEqual([4, 2, 2, 4, 0]);
    } finally {
      await oneByOne.drop();
    }
  });

  it("stores a lone surrogate from the network as U+FFFD, on both dialects, in a batch as alone", async () => {
    const s = new ForumStream();
    s.forum();
    const board = s.board(s.category("C"), "B");
    const topic = s.topic(alice, board, "Broken \ud800 title", "text \udfff here");
    await applyMessages(indexerFor(s), s.messages);
    const { posts } = database.handle.schema;
    const [row] = await database.handle.db.select().from(posts).where(eq(posts.rkey, topic.rkey));
    expect([row!.title, row!.text]).toEqual(["Broken \ufffd title", "text \ufffd here"]);
  });

  it("records account status, and sends handles to verification on identity events without taking their claim", async () => {
    const { users } = database.handle.schema;
    const verifiedUntil = new Date(Date.now() + 3_600_000);
    await database.handle.db.insert(users).values({
      did: alice,
      handle: "alice.example.com",
      handleRecheckAt: verifiedUntil,
      firstSeenAt: new Date(),
      updatedAt: new Date(),
    });
    const s = new ForumStream();
    s.identity(alice, "mallory.example.com");
    s.account(alice, false, "takendown");
    s.account(bob, false, "deactivated");
    s.account(bob, true);
    s.identity(bob, "not a handle!");
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    const rows = await database.handle.db.select().from(users).orderBy(asc(users.did));
    // The last verified handle stands until it is verified again, now due. Bob,
    // whom the forum has never seen write, is not made a user by his account events.
    expect(rows.map((u) => [u.did, u.handle, u.handleRecheckAt, u.accountStatus])).toEqual([
      [alice, "alice.example.com", null, "takendown"],
    ]);
  });

  it("adds no user for 10,000 identity and account events of accounts the forum does not know", async () => {
    const s = new ForumStream();
    const board = s.board(s.category("C"), "B");
    s.topic(alice, board, "Hello");
    for (let i = 0; i < 5_000; i++) {
      // A valid did:plc per i: its hex digits spelled a–p.
      const stranger = `did:plc:${[...i.toString(16)]
        .map((c) => "abcdefghijklmnop"[parseInt(c, 16)])
        .join("")
        .padStart(24, "x")}`;
      s.identity(stranger, `stranger${i}.example.com`);
      s.account(stranger, i % 2 === 0, "deactivated");
    }
    s.account(alice, false, "deactivated");
    const indexer = indexerFor(s);
    await applyMessages(indexer, s.messages);
    const { users } = database.handle.schema;
    const rows = await database.handle.db.select().from(users).orderBy(asc(users.did));
    expect(rows.map((u) => [u.did, u.accountStatus])).toEqual(
      [
        [alice, "deactivated"],
        [s.forumDid, "active"],
      ].sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    expect(indexer.status().rejected).toEqual({});
  });
});
