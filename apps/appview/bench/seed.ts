// A large forum for the API half of the bench, written straight into the
// tables with multi-row inserts (minutes through the indexer become seconds).
// The structure (forum, categories, boards, roles) goes through the real
// indexer; members, topics and replies are the rows the indexer would write
// for them: TID record keys, CIDs, URIs and resolved ids, user tombstones,
// bans and locks with their mod actions, and topic aggregates computed here
// exactly as aggregates.ts derives them (checkSeed() proves it on the database).
import { ids, recordUri, type MembershipRecord, type PostRecord } from "@atbb/lexicon";
import type { DatabaseHandle } from "@atbb/db";
import { sql } from "drizzle-orm";
import { createIndexer } from "../src/indexer/indexer.ts";
import { silentLogger } from "../src/logger.ts";
import { insertRows, secondaryIndexes } from "./bulk-load.ts";
import { cidFor, ForumStream, recordCid, tid } from "../test/support/forum-events.ts";
import { seededRandom } from "../test/support/random.ts";
import { applyMessages } from "../test/support/apply-messages.ts";

export interface SeedSize {
  topics: number;
  replies: number;
}

export interface SeededForum {
  members: number;
  topics: number;
  replies: number;
  /** The busiest board (about a fifth of all topics): first and last page are measured. */
  busyBoard: { id: number; topics: number };
  /** The thread of `replies` (5,000 at full size) whose first and last page are measured. */
  thread: { id: number; replies: number };
  seconds: number;
}

const MINUTE_US = 60_000_000;
const STAND_IN_CID = cidFor("a post");
const CHUNK = 5_000;
/** Power-law exponent of replies per topic: a few huge threads, most short. */
const TAIL = 1.1;

export async function seedForum(database: DatabaseHandle, size: SeedSize, seed = 7): Promise<SeededForum> {
  const started = performance.now();
  const random = seededRandom(seed);
  const now = new Date();
  const startUs = Date.UTC(2024, 0, 1) * 1000;
  const { schema } = database;

  // Structure through the indexer: what the forum account writes.
  const structure = new ForumStream({ startUs: startUs - 3_600_000_000 });
  const forum = structure.forum("Bench Forum");
  const categories = Array.from({ length: 10 }, (_, i) => structure.category(`Category ${i}`, i));
  const boards = Array.from({ length: 50 }, (_, i) => structure.board(categories[i % 10]!, `Board ${i}`, i));
  const roles = [
    structure.role("Admin", ["*"], 0),
    structure.role("Moderator", ["space.atbb.permission.moderatePosts"], 10),
    structure.role("Member", ["space.atbb.permission.createPosts"], 100),
  ];
  const indexer = createIndexer({ database, forumDid: structure.forumDid, logger: silentLogger });
  await applyMessages(indexer, structure.messages);
  const idOf = async (table: "boards" | "roles" | "forums", rkeys: string[]) => {
    const rows = await database.db.select({ id: schema[table].id, rkey: schema[table].rkey }).from(schema[table]);
    const byRkey = new Map(rows.map((r) => [r.rkey, r.id]));
    return rkeys.map((rkey) => byRkey.get(rkey)!);
  };
  const boardIds = await idOf(
    "boards",
    boards.map((b) => b.rkey),
  );
  const roleIds = await idOf(
    "roles",
    roles.map((r) => r.rkey),
  );
  const [forumId] = await idOf("forums", [forum.rkey]);

  // Bulk load without the posts indexes, then build each from the migrated
  // schema's own definition: sorted builds instead of 1.1M random inserts
  // into five B-trees (the primary key stays, ids are explicit).
  const postIndexes = await secondaryIndexes(database, "posts");
  for (const { name } of postIndexes) await database.rows(sql.raw(`drop index "${name}"`));

  // Members: users rows (a handle for one in ten, as identity events would give) and memberships.
  const memberCount = Math.max(100, Math.round(size.topics / 10));
  const members = Array.from(
    { length: memberCount },
    (_, i) =>
      `did:plc:member${String(i)
        .padStart(18, "0")
        .replace(/\d/g, (d) => "abcdefghij"[Number(d)]!)}`,
  );
  const banned = new Set([members[20 % memberCount]!, members[21 % memberCount]!]);
  await insertRows(
    database,
    schema.users,
    members.map((did, i) => ({
      did,
      handle: i % 10 === 0 ? `member${i}.bench.test` : null,
      account_status: "active",
      ban_expires_at: null,
      first_seen_at: now,
      updated_at: now,
    })),
  );
  await insertRows(
    database,
    schema.memberships,
    members.map((did, i) => {
      const role = i < 2 ? 0 : i < 10 ? 1 : 2;
      const at = new Date(Math.floor((startUs - 1_800_000_000 + i * 1000) / 1000));
      const record = {
        forum: { $type: "space.atbb.membership#forumRef" as const, forum: forum.ref },
        role: { $type: "space.atbb.membership#roleRef" as const, role: roles[role]!.ref },
        joinedAt: at.toISOString(),
        createdAt: at.toISOString(),
      } satisfies MembershipRecord;
      return {
        id: i + 1,
        did,
        rkey: tid(startUs - 1_800_000_000 + i * 1000),
        cid: recordCid(ids.membership, record),
        indexed_at: now,
        forum_uri: forum.uri,
        forum_id: forumId,
        role_uri: roles[role]!.uri,
        role_id: roleIds[role],
        joined_at: at,
        created_at: at,
      };
    }),
  );

  // The plan: one position per post in arrival order (a minute apart, so ~2
  // years for 1.1M posts); topics spread evenly, each reply goes to a topic
  // already open, by a power law over topic age (the oldest threads are the
  // huge ones). Topic 1 is the measured thread and gets exactly its share.
  const total = size.topics + size.replies;
  const threadReplies = Math.min(5000, Math.floor(size.replies / 10));
  const threadEvery = Math.floor(size.replies / Math.max(1, threadReplies));
  const isTopic = new Uint8Array(total);
  for (let t = 0; t < size.topics; t++) isTopic[Math.floor((t * total) / size.topics)] = 1;
  const topicAt = new Int32Array(size.topics); // position of topic t
  const topicOf = new Int32Array(total).fill(-1); // for replies: the topic index
  const deleted = new Uint8Array(total);
  const replyCount = new Int32Array(size.topics);
  const replyTotal = new Int32Array(size.topics);
  const lastReplyPos = new Int32Array(size.topics).fill(-1);
  const lastPostOf = new Int32Array(size.topics); // position of the thread's latest post, for parents
  let open = 0;
  let reply = 0;
  let threadGiven = 0;
  for (let p = 0; p < total; p++) {
    if (isTopic[p]) {
      topicAt[open] = p;
      lastPostOf[open] = p;
      open++;
      continue;
    }
    let t: number;
    if (open > 1 && threadGiven < threadReplies && reply >= threadGiven * threadEvery) {
      t = 1;
      threadGiven++;
    } else {
      do {
        const x = (1 - random() * (1 - (open + 1) ** (1 - TAIL))) ** (1 / (1 - TAIL));
        t = Math.min(open - 1, Math.floor(x) - 1);
      } while (t === 1);
    }
    reply++;
    topicOf[p] = t;
    // ~1% of replies deleted by their author: a tombstone, not counted.
    deleted[p] = random() < 0.01 ? 1 : 0;
    replyTotal[t]!++;
    if (!deleted[p]) {
      replyCount[t]!++;
      lastReplyPos[t] = p;
    }
  }
  const thread = { id: topicAt[1]! + 1, replies: 0 };
  const timeUsAt = (p: number) => startUs + p * MINUTE_US;
  const dateAt = (p: number) => new Date(Math.floor(timeUsAt(p) / 1000));
  const authorOf = (p: number) => members[(Math.imul(p, 2654435761) >>> 0) % memberCount]!;
  const rkeyAt = (p: number) => tid(timeUsAt(p));
  const uriAt = (p: number) => recordUri(authorOf(p), ids.post, rkeyAt(p));
  // A reply's reference to post p, for the reply's own CID only: the CIDs of
  // 1.1M posts are not kept by position, so one stand-in serves (and costs no hashing).
  const postRef = (p: number) => ({ uri: uriAt(p), cid: STAND_IN_CID });
  // A fifth of the topics in board 0 (the "general" board), the rest spread.
  const boardOf = (t: number) =>
    (Math.imul(t, 2246822519) >>> 0) % 5 === 0 ? 0 : (Math.imul(t, 3266489917) >>> 0) % 50;
  const lockedTopic = (t: number) => t % 500 === 7;
  // Locked just after the thread's last post, so all its replies came before the lock and count.
  const lockedAtUs = (t: number) => timeUsAt(Math.max(topicAt[t]!, lastReplyPos[t]!)) + 1000;
  const lockedAt = (t: number) => new Date(Math.floor(lockedAtUs(t) / 1000));

  const postRow = (
    p: number,
    fields: Record<string, unknown>,
    text: string,
    title: string | null,
    record: PostRecord,
  ) => {
    const did = authorOf(p);
    const gone = deleted[p] === 1;
    return {
      id: p + 1,
      did,
      rkey: rkeyAt(p),
      cid: recordCid(ids.post, record),
      indexed_at: now,
      title: gone ? null : title,
      text: gone ? "" : text,
      forum_uri: null,
      created_at: dateAt(p),
      // Honest claims: the network saw each post when it claims, so it counts as written then.
      seen_at: dateAt(p),
      posted_at: dateAt(p),
      deleted_at: null,
      // ~1% edited an hour later, dated by the network as the indexer does.
      updated_at: p % 97 === 3 ? new Date(Math.floor(timeUsAt(p) / 1000) + 3_600_000) : null,
      deleted_by_user: gone,
      banned_by_mod: banned.has(did),
      deleted_by_mod: false,
      ...fields,
    };
  };

  const topicRows: Record<string, unknown>[] = [];
  for (let t = 0; t < size.topics; t++) {
    const p = topicAt[t]!;
    deleted[p] = t > 1 && t % 200 === 13 ? 1 : 0;
    const title = `Topic ${t}`;
    const text = `Opening post of topic ${t}. `.repeat(3);
    const board = boards[boardOf(t)]!;
    const createdAt = dateAt(p);
    const lastReplyAt = lastReplyPos[t]! >= 0 ? dateAt(lastReplyPos[t]!) : null;
    topicRows.push(
      postRow(
        p,
        {
          board_uri: board.uri,
          board_id: boardIds[boardOf(t)],
          root_uri: null,
          root_id: null,
          parent_uri: null,
          parent_id: null,
          locked: lockedTopic(t),
          pinned: false,
          locked_at: lockedTopic(t) ? lockedAt(t) : null,
          reply_count: replyCount[t],
          reply_total: replyTotal[t],
          last_reply_at: lastReplyAt,
          last_activity_at: lastReplyAt && lastReplyAt > createdAt ? lastReplyAt : createdAt,
        },
        text,
        title,
        {
          title,
          text,
          board: { $type: "space.atbb.post#boardRef", board: board.ref },
          createdAt: createdAt.toISOString(),
        },
      ),
    );
    if (topicRows.length === CHUNK) await insertRows(database, schema.posts, topicRows.splice(0));
  }
  await insertRows(database, schema.posts, topicRows.splice(0));

  const replyRows: Record<string, unknown>[] = [];
  for (let p = 0; p < total; p++) {
    const t = topicOf[p]!;
    if (t < 0) continue;
    if (t === 1) thread.replies++;
    const root = topicAt[t]!;
    // Half answer the opening post, half the thread's latest post.
    const parent = (Math.imul(p, 2654435761) >>> 0) % 2 === 0 ? root : lastPostOf[t]!;
    lastPostOf[t] = p;
    const text = `A reply in topic ${t}, with some words to index.`;
    const createdAt = dateAt(p).toISOString();
    replyRows.push(
      postRow(
        p,
        {
          board_uri: null,
          board_id: null,
          root_uri: uriAt(root),
          root_id: root + 1,
          parent_uri: uriAt(parent),
          parent_id: parent + 1,
          locked: false,
          pinned: false,
          locked_at: null,
          reply_count: 0,
          reply_total: 0,
          last_reply_at: null,
          last_activity_at: null,
        },
        text,
        null,
        { text, reply: { $type: "space.atbb.post#replyRef", root: postRef(root), parent: postRef(parent) }, createdAt },
      ),
    );
    if (replyRows.length === CHUNK) await insertRows(database, schema.posts, replyRows.splice(0));
  }
  await insertRows(database, schema.posts, replyRows.splice(0));

  for (const { definition } of postIndexes) await database.rows(sql.raw(definition));

  // The mod actions behind the bans and locks above.
  const actions: Record<string, unknown>[] = [];
  const action = (name: string, subject: { did: string } | { postUri: string }, at: number) => {
    const createdAt = new Date(Math.floor(at / 1000));
    actions.push({
      id: actions.length + 1,
      did: structure.forumDid,
      rkey: tid(at, 1),
      cid: cidFor({ name, subject, at }),
      indexed_at: now,
      action: name,
      subject_did: "did" in subject ? subject.did : null,
      subject_post_uri: "postUri" in subject ? subject.postUri : null,
      reason: null,
      created_by: null,
      expires_at: null,
      created_at: createdAt,
      seen_at: createdAt,
    });
  };
  for (const did of banned) action("ban", { did }, startUs - 600_000_000 + actions.length);
  for (let t = 0; t < size.topics; t++)
    if (lockedTopic(t)) action("lock", { postUri: uriAt(topicAt[t]!) }, lockedAtUs(t));
  await insertRows(database, schema.modActions, actions);
  // Each board's topic_count, as the indexer keeps it (checkSeed() proves it).
  await database.rows(
    sql`update boards set topic_count = (select count(*) from posts where posts.board_id = boards.id and posts.root_uri is null)`,
  );

  if (database.dialect === "postgresql") {
    // Explicit ids leave the sequences behind; the indexer's next insert must not collide.
    for (const table of ["posts", "memberships", "mod_actions"]) {
      await database.rows(
        sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`),
      );
    }
  }
  // A settled database, as autovacuum and `PRAGMA optimize` leave one, rather
  // than autovacuum starting in the middle of the measurement: statistics
  // for the planner, and (PostgreSQL) a visibility map so that index-only
  // scans — counts, deep pages — stay in the index.
  await database.rows(database.dialect === "postgresql" ? sql`vacuum analyze` : sql`analyze`);

  const [busy] = await database.rows<{ n: number }>(
    sql`select count(*) as n from posts where board_id = ${boardIds[0]} and root_uri is null`,
  );
  return {
    members: memberCount,
    topics: size.topics,
    replies: size.replies,
    busyBoard: { id: boardIds[0]!, topics: Number(busy!.n) },
    thread,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Topics whose stored aggregates (reply count, last reply, last activity)
 * differ from a recount of their visible replies, and boards whose
 * topic_count differs from a count of their topics (the rules of
 * aggregates.ts): 0 when the seed wrote what the indexer would.
 */
export async function checkSeed(database: DatabaseHandle): Promise<number> {
  const differs = database.dialect === "postgresql" ? sql.raw("is distinct from") : sql.raw("is not");
  const [row] = await database.rows<{ n: number }>(sql`
    select count(*) as n from posts t
    left join (select p.root_id, count(*) as c, max(p.posted_at) as m from posts p join posts o on o.id = p.root_id
               where p.deleted_by_user = false and p.deleted_by_mod = false
                 and (o.locked_at is null or p.seen_at <= o.locked_at) and (o.deleted_at is null or p.seen_at <= o.deleted_at)
               group by p.root_id) r
      on r.root_id = t.id
    where t.root_uri is null and (t.reply_count <> coalesce(r.c, 0) or t.last_reply_at ${differs} r.m
      or t.reply_total <> (select count(*) from posts every where every.root_id = t.id)
      or t.last_activity_at <> coalesce(case when r.m > t.posted_at then r.m end, t.posted_at))`);
  const [boards] = await database.rows<{ n: number }>(sql`
    select count(*) as n from boards b
    where b.topic_count <> (select count(*) from posts where posts.board_id = b.id and posts.root_uri is null)`);
  return Number(row!.n) + Number(boards!.n);
}
