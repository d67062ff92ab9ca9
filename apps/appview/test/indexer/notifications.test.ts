import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { mentionedHandles } from "../../src/indexer/notifications.ts";
import { silentLogger } from "../../src/logger.ts";
import { memberNotifications } from "../../src/notifications/member-notifications.ts";
import { applyMessages, localCandidate } from "../support/apply-messages.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol, dave] = sampleUsers as [string, string, string, string];

let databases: MigratedTestDatabase[] = [];
beforeEach(() => {
  databases = [];
});
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});

/** A forum where alice, bob, carol and dave are known, with handles (as the handle resolver leaves them). */
async function forum() {
  const database = await createMigratedTestDatabase();
  databases.push(database);
  const s = new ForumStream();
  const forumRecord = s.forum();
  const board = s.board(s.category("General"), "Chat");
  for (const did of [alice, bob, carol, dave]) s.join(did, forumRecord);
  const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
  let applied = 0;
  /** Indexes what the stream gained since the last call, as one batch. */
  const catchUp = async () => {
    await applyMessages(indexer, s.messages.slice(applied));
    applied = s.messages.length;
  };
  await catchUp();
  const { users } = database.handle.schema;
  for (const [did, handle] of [
    [alice, "alice.test"],
    [bob, "bob.test"],
    [carol, "carol.test"],
    [dave, "dave.test"],
  ] as const)
    await database.handle.db.update(users).set({ handle }).where(eq(users.did, did));
  return { database, s, board, indexer, catchUp };
}

/** Every notification row, as who is told what by which record. */
async function told(database: MigratedTestDatabase) {
  const { notifications } = database.handle.schema;
  const rows = await database.handle.db
    .select({
      recipient: notifications.recipientDid,
      kind: notifications.kind,
      cause: notifications.causeUri,
      actor: notifications.actorDid,
      action: notifications.action,
    })
    .from(notifications);
  return rows.sort((a, b) => `${a.recipient}${a.kind}${a.cause}`.localeCompare(`${b.recipient}${b.kind}${b.cause}`));
}

const row = (recipient: string, kind: string, cause: string, actor: string, action: string | null = null) => ({
  recipient,
  kind,
  cause,
  actor,
  action,
});

describe(`notifications derived by the indexer (${dialect})`, () => {
  it("tell a topic's author of a reply, and a post's author of a reply to it, but nobody of their own", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    const fromBob = s.reply(bob, topic, topic, "Hi alice");
    const fromCarol = s.reply(carol, topic, fromBob, "Hi bob");
    const ownTopic = s.reply(alice, topic, fromCarol, "Thanks, carol");
    const ownPost = s.reply(carol, topic, fromCarol, "And one more thing");
    await catchUp();

    expect(await told(database)).toEqual(
      [
        row(alice, "topic_reply", fromBob.uri, bob),
        row(alice, "topic_reply", fromCarol.uri, carol),
        row(bob, "post_reply", fromCarol.uri, carol),
        row(carol, "post_reply", ownTopic.uri, alice),
        row(alice, "topic_reply", ownPost.uri, carol),
      ].sort((a, b) => `${a.recipient}${a.kind}${a.cause}`.localeCompare(`${b.recipient}${b.kind}${b.cause}`)),
    );
  });

  it("tell a quoted post's author, and the members a post mentions by a handle the forum knows", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Plans", "What do @bob.test and @nobody.test think?");
    const fromBob = s.reply(bob, topic, topic, "Ask @dave.test, and mail carol@carol.test");
    const quoting = s.reply(carol, topic, topic, "As bob said:", fromBob);
    await catchUp();

    expect(await told(database)).toEqual(
      expect.arrayContaining([
        row(bob, "mention", topic.uri, alice),
        row(dave, "mention", fromBob.uri, bob),
        row(bob, "quote", quoting.uri, carol),
      ]),
    );
    // Nobody is told twice of one post: carol's quote is a reply in alice's topic, alice hears of it once.
    expect((await told(database)).filter((r) => r.cause === quoting.uri)).toEqual([
      row(alice, "topic_reply", quoting.uri, carol),
      row(bob, "quote", quoting.uri, carol),
    ]);
    expect((await told(database)).some((r) => r.recipient === carol && r.kind === "mention")).toBe(false);
  });

  it("tell a member of a moderator's action on their post or their account, and forget it when it is deleted", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Heated");
    const lock = s.modAction("lock", { post: topic });
    const ban = s.modAction("ban", { did: bob }, { reason: "spam" });
    await catchUp();

    expect(await told(database)).toEqual([
      row(alice, "moderation", lock.uri, s.forumDid, "lock"),
      row(bob, "moderation", ban.uri, s.forumDid, "ban"),
    ]);
    s.remove(ban);
    await catchUp();
    expect(await told(database)).toEqual([row(alice, "moderation", lock.uri, s.forumDid, "lock")]);
  });

  it("make no second one when the same events are applied again, and keep what was read", async () => {
    const { database, s, board, indexer, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    s.reply(bob, topic, topic, "Hi @carol.test");
    s.modAction("lock", { post: topic });
    await catchUp();
    const first = await told(database);
    expect(first).toHaveLength(3);
    await memberNotifications(database.handle).markRead(alice, null);

    await applyMessages(indexer, s.messages);
    expect(await told(database)).toEqual(first);
    expect(await memberNotifications(database.handle).unread(alice)).toBe(0);
  });

  it("make none twice when the firehose echoes a reply the AppView wrote and applied itself", async () => {
    const { database, s, board, indexer, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    await catchUp();
    const reply = s.reply(bob, topic, topic, "Hi @carol.test");
    await indexer.applyLocal(localCandidate(s.messages.at(-1)!));
    const local = await told(database);
    await catchUp();
    expect(local).toEqual([row(alice, "topic_reply", reply.uri, bob), row(carol, "mention", reply.uri, bob)]);
    expect(await told(database)).toEqual(local);
  });

  it("give the same rows whether the events come in one batch or one at a time", async () => {
    const one = await forum();
    const apart = await forum();
    for (const { s, board } of [one, apart]) {
      const topic = s.topic(alice, board, "Hello");
      const reply = s.reply(bob, topic, topic, "Hi @carol.test");
      s.reply(carol, topic, reply, "Hi bob", reply);
      s.remove(reply);
      s.modAction("delete", { post: topic });
    }
    await one.catchUp();
    for (const message of apart.s.messages.slice(-5)) await applyMessages(apart.indexer, [message]);
    expect(await told(apart.database)).toEqual(await told(one.database));
  });

  it("go with the post that caused them: deleted, or edited so that it no longer mentions the member", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    const reply = s.reply(bob, topic, topic, "Hi @carol.test");
    await catchUp();
    expect(await told(database)).toEqual([
      row(alice, "topic_reply", reply.uri, bob),
      row(carol, "mention", reply.uri, bob),
    ]);

    s.update(reply, {
      text: "Hi everyone",
      reply: { root: topic.ref, parent: topic.ref },
      createdAt: s.isoNow(),
    });
    await catchUp();
    expect(await told(database)).toEqual([row(alice, "topic_reply", reply.uri, bob)]);

    s.remove(reply);
    await catchUp();
    expect(await told(database)).toEqual([]);
  });

  it("are not shown while their post is hidden by a moderator, and come back when it is restored", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    const reply = s.reply(bob, topic, topic, "Something rude");
    await catchUp();
    const store = memberNotifications(database.handle);
    expect((await store.page(alice, 0, 10)).rows.map((n) => n.causeUri)).toEqual([reply.uri]);

    s.modAction("delete", { post: reply });
    await catchUp();
    const hidden = await store.page(alice, 0, 10);
    expect(hidden).toMatchObject({ rows: [], total: 0, unread: 0 });

    s.modAction("undelete", { post: reply });
    await catchUp();
    expect((await store.page(alice, 0, 10)).rows.map((n) => n.causeUri)).toEqual([reply.uri]);
  });

  it("are derived for nothing while NOTIFICATIONS is off, keep what was there, and are derived again from then on", async () => {
    const { database, s, board, indexer, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    const fromBob = s.reply(bob, topic, topic, "Hi alice");
    await catchUp();
    const before = [row(alice, "topic_reply", fromBob.uri, bob)];
    expect(await told(database)).toEqual(before);

    const off = createIndexer({
      database: database.handle,
      forumDid: s.forumDid,
      logger: silentLogger,
      notifications: false,
    });
    // Each of these would tell someone: a reply to bob in alice's topic mentioning dave, a lock, a local write.
    const fromCarol = s.reply(carol, topic, fromBob, "Hi bob, ask @dave.test");
    s.modAction("lock", { post: topic });
    await applyMessages(off, s.messages.slice(-2));
    s.reply(dave, topic, fromCarol, "Hi carol");
    await off.applyLocal(localCandidate(s.messages.at(-1)!));
    expect(await told(database)).toEqual(before);
    const { posts } = database.handle.schema;
    expect(await database.handle.db.select({ id: posts.id }).from(posts)).toHaveLength(4);

    // On again: only what arrives from then on tells anyone.
    const fromAlice = s.reply(alice, topic, fromCarol, "Thanks, carol");
    await applyMessages(indexer, s.messages.slice(-1));
    expect(await told(database)).toEqual(
      [...before, row(carol, "post_reply", fromAlice.uri, alice)].sort((a, b) =>
        `${a.recipient}${a.kind}${a.cause}`.localeCompare(`${b.recipient}${b.kind}${b.cause}`),
      ),
    );
  });

  it("link to the post by its topic and number, as the topic page numbers its posts", async () => {
    const { database, s, board, catchUp } = await forum();
    const topic = s.topic(alice, board, "Hello");
    s.reply(carol, topic, topic, "First");
    s.reply(bob, topic, topic, "Second");
    await catchUp();
    const { rows } = await memberNotifications(database.handle).page(alice, 0, 10);
    expect(rows.map((n) => [n.actor, n.post?.topicTitle, n.post?.number])).toEqual([
      [{ did: bob, handle: "bob.test" }, "Hello", 3],
      [{ did: carol, handle: "carol.test" }, "Hello", 2],
    ]);
  });
});

describe("a mention", () => {
  it("is an @ and a handle of two or more labels, not part of a word or an e-mail address", () => {
    expect(mentionedHandles("Hi @Alice.Test, and (@bob.example.com). Mail x@carol.test; @dave; @eve.test.")).toEqual([
      "alice.test",
      "bob.example.com",
      "eve.test",
    ]);
  });
});
