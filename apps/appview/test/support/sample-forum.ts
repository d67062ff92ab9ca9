// A small but complete forum, as a stream: used wherever a test needs "a
// realistic forum" rather than one specific situation.
import { ForumStream, type RecordShape, type Written } from "./forum-events.ts";
import { pick, seededRandom } from "./random.ts";

/** did:plc of 24 base32 characters: each user's two digits spelled a–j. */
export const sampleUsers = Array.from({ length: 6 }, (_, i) => {
  const n = String(i)
    .padStart(2, "0")
    .replace(/\d/g, (d) => "abcdefghij"[Number(d)]!);
  return `did:plc:user${n}user${n}useraaaaaaaa`;
});

export function sampleForum(
  options: { seed?: number; topics?: number; repliesPerTopic?: number; stepUs?: number; startUs?: number } = {},
): ForumStream {
  const random = seededRandom(options.seed ?? 1);
  const s = new ForumStream({
    ...(options.stepUs === undefined ? {} : { stepUs: options.stepUs }),
    ...(options.startUs === undefined ? {} : { startUs: options.startUs }),
  });
  const forum = s.forum();
  const categories = [s.category("General", 1), s.category("Help", 2)];
  const boards = [
    s.board(categories[0]!, "Chat", 1),
    s.board(categories[0]!, "News", 2),
    s.board(categories[1]!, "Questions", 1),
  ];
  const admin = s.role("Admin", ["*"], 0);
  const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
  sampleUsers.forEach((did, i) => {
    // The membership's claim is ignored; the forum's grant gives the role.
    s.join(did, forum, i === 0 ? admin : member);
    s.grant(did, i === 0 ? admin : member);
    s.identity(did, `user${i}.test`);
  });
  const posts: Written[] = [];
  for (let t = 0; t < (options.topics ?? 8); t++) {
    const topic = s.topic(pick(random, sampleUsers), pick(random, boards), `Topic ${t}`);
    posts.push(topic);
    const thread = [topic];
    for (let r = 0; r < (options.repliesPerTopic ?? 4); r++) {
      const reply = s.reply(pick(random, sampleUsers), topic, pick(random, thread), `Reply ${r} to topic ${t}`);
      thread.push(reply);
      posts.push(reply);
    }
  }
  const edited = posts[3]!;
  s.update(edited, {
    text: "An edited reply",
    reply: { root: posts[0]!.ref, parent: posts[0]!.ref },
    createdAt: s.isoNow(),
  });
  s.remove(posts[5]!);
  s.modAction("ban", { did: sampleUsers[5]! }, { reason: "spam" });
  s.modAction("lock", { post: posts[0]! });
  s.modAction("delete", { post: posts[7]! });
  s.account(sampleUsers[4]!, false, "deactivated");
  return s;
}

/**
 * A forum that uses every collection, every kind of reference (a topic's
 * forum and board, a reply's root and parent, a board's category, a
 * membership's forum and role, a grant's role, a mod action's post) and every
 * mod action, in the shape asked for: the same forum either way.
 */
export function completeForum(shape: RecordShape): ForumStream {
  const s = new ForumStream({ shape });
  const forum = s.forum();
  const general = s.category("General", 1);
  const chat = s.board(general, "Chat", 1);
  const news = s.board(s.category("Elsewhere", 2), "News", 1);
  const admin = s.role("Admin", ["*"], 0);
  const member = s.role("Member", ["space.atbb.permission.createPosts"], 100);
  const [alice, bob, carol] = sampleUsers as [string, string, string];
  s.join(alice, forum, admin);
  s.join(bob, forum, member);
  s.join(carol, forum);
  s.grant(alice, admin);
  s.grant(bob, member);
  const welcome = s.topic(alice, chat, "Welcome", "Say hello", forum);
  const hello = s.reply(bob, welcome, welcome, "Hello!");
  const answer = s.reply(carol, welcome, hello, "Hi bob");
  const rules = s.topic(alice, news, "Rules", "Be kind");
  const moved = s.topic(carol, news, "Off topic", "Will move");
  s.update(moved, { title: "Off topic", text: "Moved", forum: forum.ref, board: chat.ref, createdAt: s.isoNow() });
  s.modAction("pin", { post: rules });
  s.modAction("lock", { post: rules }, { reason: "read only" });
  s.modAction("lock", { post: welcome });
  s.modAction("unlock", { post: welcome });
  s.modAction("delete", { post: answer }, { reason: "rude" });
  s.modAction("delete", { post: hello });
  s.modAction("undelete", { post: hello });
  s.modAction("ban", { did: carol }, { reason: "spam", expiresAt: "2030-01-01T00:00:00.000Z" });
  s.modAction("ban", { did: bob });
  s.modAction("unban", { did: bob });
  s.modAction("pin", { post: welcome });
  s.modAction("unpin", { post: welcome });
  return s;
}
