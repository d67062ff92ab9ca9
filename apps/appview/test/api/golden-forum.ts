// The event stream behind the golden API bodies. It writes its Jetstream
// messages itself, record by record, instead of through ForumStream's forum
// vocabulary: that vocabulary follows the fixtures' record shapes as they
// evolve, and this stream must stay byte-for-byte what it was when the bodies
// were recorded. Every record is in a shape the network has published, so the
// indexer keeps accepting it.
import { cidFor, ForumStream, jetstreamMessage, tid } from "../support/forum-events.ts";

interface Ref {
  uri: string;
  cid: string;
}

export interface GoldenRecord {
  did: string;
  collection: string;
  rkey: string;
  ref: Ref;
}

const FORUM_DID = "did:plc:goldengoldengoldengoldaa";

/** A member DID, unique per index. */
/** Member i's did:plc (24 base32 characters: its two digits spelled a–j, so members sort by number). */
export const goldenMember = (i: number) => {
  const n = String(i)
    .padStart(2, "0")
    .replace(/\d/g, (d) => "abcdefghij"[Number(d)]!);
  return `did:plc:member${n}member${n}xaaaaaaa`;
};

class GoldenStream {
  readonly stream = new ForumStream({ forumDid: FORUM_DID });
  #timeUs = Date.UTC(2026, 9, 1) * 1000;

  #tick(): number {
    this.#timeUs += 1_000_017;
    return this.#timeUs;
  }

  iso(): string {
    return new Date(Math.floor(this.#timeUs / 1000)).toISOString();
  }

  commit(
    did: string,
    collection: string,
    record: Record<string, unknown>,
    rkey?: string,
    operation = "create",
  ): GoldenRecord {
    const timeUs = this.#tick();
    const key = rkey ?? tid(timeUs);
    const value = { $type: collection, ...record };
    const cid = cidFor(value);
    this.stream.raw(jetstreamMessage.commit(did, timeUs, { operation, collection, rkey: key, record: value, cid }));
    const uri = `at://${did}/${collection}/${key}`;
    return { did, collection, rkey: key, ref: { uri, cid } };
  }

  update(written: GoldenRecord, record: Record<string, unknown>): GoldenRecord {
    return this.commit(written.did, written.collection, record, written.rkey, "update");
  }

  remove(written: GoldenRecord): void {
    const timeUs = this.#tick();
    this.stream.raw(jetstreamMessage.delete(written.did, timeUs, written.collection, written.rkey));
  }

  identity(did: string, handle: string): void {
    const timeUs = this.#tick();
    this.stream.raw(jetstreamMessage.identity(did, timeUs, handle));
  }

  account(did: string, active: boolean, status?: string): void {
    const timeUs = this.#tick();
    this.stream.raw(jetstreamMessage.account(did, timeUs, active, status));
  }
}

/**
 * A forum with every situation the read API shows: sort orders and ties,
 * edits, deletes by authors, moderator removals, bans (lasting, expired,
 * lifted), locks, deactivated and taken-down accounts, members without a
 * handle or a role, a reply that arrives before its parent, records the
 * indexer must refuse, and a board and a topic long enough to page through.
 */
export function goldenForum() {
  const g = new GoldenStream();
  const forumDid = FORUM_DID;
  const members = Array.from({ length: 9 }, (_, i) => goldenMember(i));

  const forum = g.commit(
    forumDid,
    "space.atbb.forum.forum",
    { name: "Golden Forum", description: "Where the API's answers are kept", createdAt: g.iso() },
    "self",
  );
  const general = g.commit(forumDid, "space.atbb.forum.category", {
    name: "General",
    description: "Everything else",
    sortOrder: 1,
    createdAt: g.iso(),
  });
  const help = g.commit(forumDid, "space.atbb.forum.category", { name: "Help", sortOrder: 2, createdAt: g.iso() });
  const alpha = g.commit(forumDid, "space.atbb.forum.category", { name: "Alpha", sortOrder: 2, createdAt: g.iso() });
  const unsorted = g.commit(forumDid, "space.atbb.forum.category", { name: "Unsorted", createdAt: g.iso() });
  const doomed = g.commit(forumDid, "space.atbb.forum.category", { name: "Doomed", sortOrder: 9, createdAt: g.iso() });
  g.update(help, { name: "Help & Support", description: "Ask here", sortOrder: 2, createdAt: g.iso() });

  const board = (category: GoldenRecord, name: string, sortOrder?: number, description?: string) =>
    g.commit(forumDid, "space.atbb.forum.board", {
      name,
      category: category.ref,
      ...(sortOrder === undefined ? {} : { sortOrder }),
      ...(description === undefined ? {} : { description }),
      createdAt: g.iso(),
    });
  const chat = board(general, "Chat", 1, "Talk about anything");
  const news = board(general, "News", 2);
  const busy = board(general, "Busy", 3, "Many topics");
  const questions = board(help, "Questions", 1);
  const faq = board(help, "FAQ");
  board(alpha, "Zeta", 1);
  board(alpha, "Eta", 1);
  board(unsorted, "Lonely");
  board(doomed, "Orphan", 1);
  const renamed = board(help, "Old name", 4);
  g.update(renamed, { name: "Renamed board", category: help.ref, sortOrder: 0, createdAt: g.iso() });
  const gone = board(help, "Gone board", 5);
  g.remove(gone);
  g.remove(doomed);

  const admin = g.commit(forumDid, "space.atbb.forum.role", {
    name: "Admin",
    description: "Runs the forum",
    permissions: ["*"],
    priority: 0,
    createdAt: g.iso(),
  });
  const moderator = g.commit(forumDid, "space.atbb.forum.role", {
    name: "Moderator",
    permissions: ["space.atbb.permission.moderatePosts", "space.atbb.permission.lockTopics"],
    priority: 10,
    createdAt: g.iso(),
  });
  const member = g.commit(forumDid, "space.atbb.forum.role", {
    name: "Member",
    permissions: ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"],
    priority: 100,
    createdAt: g.iso(),
  });
  g.update(moderator, {
    name: "Moderator",
    description: "Keeps the peace",
    permissions: [
      "space.atbb.permission.moderatePosts",
      "space.atbb.permission.banUsers",
      "space.atbb.permission.lockTopics",
    ],
    priority: 10,
    createdAt: g.iso(),
  });
  const retired = g.commit(forumDid, "space.atbb.forum.role", {
    name: "Retired",
    permissions: [],
    priority: 50,
    createdAt: g.iso(),
  });
  g.remove(retired);

  const roleOf = [admin, moderator, member, member, member, member, member, undefined, member];
  const joins = members.map((did, i) => {
    const role = roleOf[i];
    return g.commit(did, "space.atbb.membership", {
      forum: forum.ref,
      ...(role ? { role: role.ref } : {}),
      joinedAt: g.iso(),
      createdAt: g.iso(),
    });
  });
  // Member 6 leaves; member 3 joins again later with another role (the newest membership counts).
  g.remove(joins[6]!);
  g.commit(members[3]!, "space.atbb.membership", { forum: forum.ref, role: moderator.ref, createdAt: g.iso() });
  members.forEach((did, i) => {
    if (i !== 7) g.identity(did, `member${i}.golden.test`);
  });
  g.identity(members[2]!, "renamed2.golden.test");

  const topic = (i: number, where: GoldenRecord, title: string, text = `${title}: the opening post`) =>
    g.commit(members[i]!, "space.atbb.post", { title, text, board: where.ref, createdAt: g.iso() });
  const reply = (i: number, root: GoldenRecord, parent: GoldenRecord, text: string) =>
    g.commit(members[i]!, "space.atbb.post", {
      text,
      reply: { root: root.ref, parent: parent.ref },
      createdAt: g.iso(),
    });

  const welcome = topic(0, chat, "Welcome", "Say hello here.");
  const firstHello = reply(1, welcome, welcome, "Hello from the moderator");
  const hello2 = reply(2, welcome, firstHello, "Hello back");
  reply(3, welcome, hello2, "A third hello");
  reply(5, welcome, welcome, "Buy things");
  const regret = reply(4, welcome, welcome, "Something I regret");
  g.remove(regret);
  g.update(hello2, {
    text: "Hello back (edited)",
    reply: { root: welcome.ref, parent: firstHello.ref },
    createdAt: g.iso(),
  });

  const announcement = topic(0, news, "Release notes", "Version 1 is out.");
  reply(8, announcement, announcement, "Congratulations");
  const editedTopic = topic(2, news, "Typo in the titel");
  g.update(editedTopic, { title: "Typo in the title", text: "Fixed the title.", board: news.ref, createdAt: g.iso() });

  const question = topic(3, questions, "How do I join?");
  const answer = reply(0, question, question, "Like this.");
  reply(6, question, answer, "Thanks, that worked");
  const removed = topic(5, questions, "Off-topic rant");
  const removedReply = reply(2, question, answer, "Rude remark");
  const deletedTopic = topic(4, faq, "Asked and deleted");
  reply(8, deletedTopic, deletedTopic, "A reply to a deleted topic");
  g.remove(deletedTopic);
  topic(7, faq, "From someone without a handle");
  topic(6, faq, "Posted before a short ban");

  // A reply whose topic arrives after it: it is linked when the topic comes.
  const earlyRoot = { ref: { uri: `at://${members[1]!}/space.atbb.post/3lateroottopic`, cid: cidFor({ late: true }) } };
  reply(2, earlyRoot as GoldenRecord, earlyRoot as GoldenRecord, "I came first");
  g.commit(
    members[1]!,
    "space.atbb.post",
    { title: "The late topic", text: "I came second", board: chat.ref, createdAt: g.iso() },
    "3lateroottopic",
  );

  // A board with more topics than one default page, and a topic with more replies than one.
  for (let t = 0; t < 28; t++) topic(t % 7, busy, `Busy topic ${t}`);
  const long = topic(8, busy, "A long thread");
  let parent = long;
  for (let r = 0; r < 57; r++) {
    const next = reply(r % 9, long, r % 3 === 0 ? long : parent, `Reply ${r} in the long thread`);
    if (r === 20)
      g.update(next, { text: `Reply ${r}, edited`, reply: { root: long.ref, parent: parent.ref }, createdAt: g.iso() });
    if (r === 30) g.remove(next);
    parent = next;
  }

  // Moderation, in the forum's log.
  const modAction = (action: string, subject: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    g.commit(forumDid, "space.atbb.modAction", { action, subject, createdAt: g.iso(), ...extra });
  modAction("ban", { did: members[5]! }, { reason: "spam", createdBy: members[1]! });
  modAction("lock", { post: welcome.ref });
  modAction("delete", { post: removed.ref }, { reason: "off-topic" });
  modAction("delete", { post: removedReply.ref });
  modAction("ban", { did: members[6]! }, { reason: "a short cooling-off", expiresAt: "2026-10-02T00:00:00.000Z" });
  modAction("ban", { did: members[8]! }, { reason: "until the far future", expiresAt: "2099-01-01T00:00:00.000Z" });
  modAction("lock", { post: announcement.ref });
  modAction("unlock", { post: announcement.ref });
  const wrongBan = modAction("ban", { did: members[2]! }, { reason: "mistake" });
  modAction("unban", { did: members[2]! }, { reason: "the ban was a mistake" });
  g.remove(wrongBan);
  modAction("delete", { post: editedTopic.ref });
  modAction("undelete", { post: editedTopic.ref });
  modAction(
    "space.atbb.modAction.frobnicate",
    { post: question.ref },
    { reason: "an action this indexer does not know" },
  );

  g.account(members[4]!, false, "deactivated");
  g.account(members[7]!, false, "takendown");
  g.account(members[3]!, false, "deactivated");
  g.account(members[3]!, true);

  // Records the indexer must refuse: forum structure from a member, a post without text, a bad key.
  g.commit(members[1]!, "space.atbb.forum.board", {
    name: "Not the forum's",
    category: general.ref,
    createdAt: g.iso(),
  });
  g.commit(members[1]!, "space.atbb.post", { title: "No text", board: chat.ref, createdAt: g.iso() });
  g.commit(members[1]!, "space.atbb.post", { text: "bad key", board: chat.ref, createdAt: g.iso() }, "not a key!");
  g.stream.raw("{not json");

  // The forum grants two of the roles its members claimed (after everything
  // else, so no other record's time moves); every other claim counts for nothing.
  g.commit(
    forumDid,
    "space.atbb.forum.roleAssignment",
    {
      did: members[0]!,
      role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: admin.ref },
      createdAt: g.iso(),
    },
    members[0]!,
  );
  g.commit(
    forumDid,
    "space.atbb.forum.roleAssignment",
    {
      did: members[1]!,
      role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: moderator.ref },
      createdAt: g.iso(),
    },
    members[1]!,
  );

  return { stream: g.stream, forumDid, members };
}
