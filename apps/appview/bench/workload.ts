// A realistic forum as a Jetstream stream, the same for a given seed and size:
// a forum, 10 categories, 50 boards, members with roles, topics whose reply
// counts follow a long tail (a few huge threads), edits, deletes, mod actions.
import { ForumStream, type Written } from "../test/support/forum-events.ts";
import { pick, seededRandom } from "../test/support/random.ts";

export interface WorkloadSize {
  members: number;
  topics: number;
  /** Total replies, spread over topics with a long tail. */
  replies: number;
}

export function forumWorkload(size: WorkloadSize, seed = 1): ForumStream {
  const random = seededRandom(seed);
  const s = new ForumStream({ stepUs: 500 });
  const forum = s.forum("Bench Forum");
  const categories = Array.from({ length: 10 }, (_, i) => s.category(`Category ${i}`, i));
  const boards = Array.from({ length: 50 }, (_, i) => s.board(categories[i % 10]!, `Board ${i}`, i));
  const roles = [
    s.role("Admin", ["*"], 0),
    s.role("Moderator", ["space.atbb.permission.moderatePosts"], 10),
    s.role("Member", ["space.atbb.permission.createPosts"], 100),
  ];
  const members = Array.from(
    { length: size.members },
    (_, i) =>
      `did:plc:member${String(i)
        .padStart(18, "0")
        .replace(/\d/g, (d) => "abcdefghij"[Number(d)]!)}`,
  );
  members.forEach((did, i) => {
    s.join(did, forum, roles[i < 2 ? 0 : i < 10 ? 1 : 2]);
    if (i % 10 === 0) s.identity(did, `member${i}.bench.test`);
  });

  // Long tail: weight ~ 1/rank^1.1, so the first threads are huge and most are short.
  const weights = Array.from({ length: size.topics }, (_, rank) => 1 / (rank + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const repliesOf = weights.map((w) => Math.floor((w / total) * size.replies));
  const topics: Written[] = [];
  const threads = new Map<Written, Written[]>();
  // Interleave: topics open over time, replies arrive in between.
  const pending = repliesOf.map((n, i) => ({ i, left: n }));
  for (let t = 0; t < size.topics; t++) {
    const topic = s.topic(
      pick(random, members),
      pick(random, boards),
      `Topic ${t}`,
      `Opening post of topic ${t}. `.repeat(3),
    );
    topics.push(topic);
    threads.set(topic, [topic]);
    const burst = 1 + Math.floor(random() * 4);
    for (let b = 0; b < burst; b++) {
      const open = pending[Math.floor(random() * Math.min(pending.length, t + 1))];
      if (!open || open.left === 0 || !topics[open.i]) continue;
      const root = topics[open.i]!;
      const thread = threads.get(root)!;
      thread.push(
        s.reply(
          pick(random, members),
          root,
          pick(random, thread),
          `A reply in topic ${open.i}, with some words to index.`,
        ),
      );
      open.left--;
    }
  }
  for (const open of pending) {
    const root = topics[open.i]!;
    const thread = threads.get(root)!;
    for (; open.left > 0; open.left--)
      thread.push(s.reply(pick(random, members), root, pick(random, thread), `A reply in topic ${open.i}.`));
  }
  // Edits, deletes and moderation, about 1% of posts each.
  const all = [...threads.values()].flat();
  for (let k = 0; k < all.length / 100; k++) {
    const post = pick(random, all);
    if (post !== topics[0]) s.remove(post);
  }
  for (let k = 0; k < all.length / 200; k++) s.modAction(pick(random, ["lock", "delete"]), { post: pick(random, all) });
  for (let k = 0; k < Math.max(1, members.length / 500); k++) s.modAction("ban", { did: pick(random, members) });
  return s;
}
