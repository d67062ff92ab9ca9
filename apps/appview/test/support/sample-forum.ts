// A small but complete forum, as a stream: used wherever a test needs "a
// realistic forum" rather than one specific situation.
import { ForumStream, type Written } from "./forum-events.ts";
import { pick, seededRandom } from "./random.ts";

export const sampleUsers = Array.from({ length: 6 }, (_, i) => `did:plc:user${String(i).padStart(2, "0")}user${String(i).padStart(2, "0")}user`);

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
  const boards = [s.board(categories[0]!, "Chat", 1), s.board(categories[0]!, "News", 2), s.board(categories[1]!, "Questions", 1)];
  const admin = s.role("Admin", ["*"], 0);
  const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
  sampleUsers.forEach((did, i) => {
    s.join(did, forum, i === 0 ? admin : member);
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
  s.update(edited, { text: "An edited reply", reply: { root: posts[0]!.ref, parent: posts[0]!.ref }, createdAt: s.isoNow() });
  s.remove(posts[5]!);
  s.modAction("ban", { did: sampleUsers[5]! }, { reason: "spam" });
  s.modAction("lock", { post: posts[0]! });
  s.modAction("delete", { post: posts[7]! });
  s.account(sampleUsers[4]!, false, "deactivated");
  return s;
}
