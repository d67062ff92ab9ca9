import { boardRefOf, forumRefOf, ids, recordUri } from "@atbb/lexicon";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { ApplyContext, CollectionIndexer, RecordWrite } from "../context.ts";
import { jsonTable, runStatement, upsertRows } from "../bulk.ts";
import { moderationOf } from "../moderation.ts";
import type { NoticeDraft, NotificationKind } from "../notices.ts";
import { authorOf, mentionedHandles } from "../notifications.ts";
import { idsOf, rowsByUri } from "../references.ts";

export const postIndexer: CollectionIndexer<typeof ids.post> = {
  collection: ids.post,
  async upsert(ctx, write) {
    await upsertPosts(ctx, [write]);
  },

  upsertMany: upsertPosts,

  async remove({ tx, schema, dirtyTopics, notices }, { did, rkey, timeUs, rev }) {
    const { posts } = schema;
    // The words are gone: so is whatever they told anyone.
    notices?.set(recordUri(did, ids.post, rkey), null);
    // A tombstone keeps the thread's shape; the words go, as their author asked.
    // A topic's deletion also closes it: replies the network sees later are hidden.
    const [post] = await tx
      .update(posts)
      .set({
        deletedByUser: true,
        rev,
        text: "",
        title: null,
        deletedAt: sql`coalesce(${posts.deletedAt}, ${sql.param(eventTime(timeUs), posts.deletedAt)})`,
      })
      .where(and(eq(posts.did, did), eq(posts.rkey, rkey)))
      .returning({ id: posts.id, rootId: posts.rootId });
    if (post) dirtyTopics.add(post.rootId ?? post.id);
  },
};

type PostWrite = RecordWrite<typeof ids.post>;

const eventTime = (timeUs: number) => new Date(Math.floor(timeUs / 1000));

/**
 * Which posts a reply may hang from. Its root must be a topic: a reply whose
 * root is a reply keeps waiting (unlinked, like one whose root has not
 * arrived) and is dropped with them (orphans.ts). Its parent must be of the
 * same thread (the topic itself or one of its replies): one elsewhere stays
 * unlinked, so the reply shows as a reply to the topic with no parent.
 */
const mayBeRoot = (target: { rootUri: string | null }) => target.rootUri === null;
const mayBeParent = (target: { uri: string; rootUri: string | null }, rootUri: string) =>
  target.uri === rootUri || target.rootUri === rootUri;

/**
 * Upserts posts with distinct keys in one statement (bulk.ts): what the
 * rows refer to (board, root, parent), what they were before (an edit may
 * move a post), and their moderation state are each read for the whole run
 * in one query first. Then links the posts that were waiting for these as
 * root or parent (including each other: the lookups ran before these rows
 * existed).
 */
async function upsertPosts(ctx: ApplyContext, writes: PostWrite[]): Promise<void> {
  const { schema, now, dirtyTopics, dirtyBoards } = ctx;
  const { posts, boards } = schema;
  if (writes.length === 0) return;
  const own = writes.map((w) => ({ did: w.did, uri: recordUri(w.did, ids.post, w.rkey) }));
  const [boardIds, postRows, moderation] = await Promise.all([
    idsOf(
      ctx,
      boards,
      ids.board,
      writes.map((w) => boardRefOf(w.record)?.uri),
    ),
    rowsByUri(
      ctx,
      posts,
      ids.post,
      [...own.map((p) => p.uri), ...writes.flatMap((w) => [w.record.reply?.root.uri, w.record.reply?.parent.uri])],
      ["id", "rootId", "boardId", "rootUri"],
    ),
    moderationOf(ctx, own),
  ]);
  const rootIdOf = (uri: string | undefined) => {
    const root = uri === undefined ? undefined : postRows.get(uri);
    return root && mayBeRoot(root) ? root.id : null;
  };
  const parentIdOf = (reply: PostWrite["record"]["reply"]) => {
    const parent = reply ? postRows.get(reply.parent.uri) : undefined;
    return parent && mayBeParent({ uri: reply!.parent.uri, rootUri: parent.rootUri }, reply!.root.uri)
      ? parent.id
      : null;
  };
  // What an edit moves a post away from needs its counts too.
  for (const { uri } of own) {
    const before = postRows.get(uri);
    if (before?.rootId != null) dirtyTopics.add(before.rootId);
    if (before?.boardId != null) dirtyBoards.add(before.boardId);
  }

  const rows = writes.map(({ did, rkey, cid, rev, record, operation, timeUs }, i) => {
    const createdAt = new Date(record.createdAt);
    const seenAt = eventTime(timeUs);
    // When the post counts as written (aggregates.ts says why).
    const postedAt = createdAt < seenAt ? createdAt : seenAt;
    const { banned, deletedByMod, locked, lockedAt, pinned } = moderation(own[i]!);
    const board = boardRefOf(record);
    return {
      did,
      rkey,
      cid,
      rev,
      title: record.reply ? null : (record.title ?? null),
      text: record.text,
      forumUri: forumRefOf(record)?.uri ?? null,
      boardUri: board?.uri ?? null,
      boardId: board ? (boardIds.get(board.uri) ?? null) : null,
      rootUri: record.reply?.root.uri ?? null,
      rootId: rootIdOf(record.reply?.root.uri),
      parentUri: record.reply?.parent.uri ?? null,
      parentId: parentIdOf(record.reply),
      quoteUri: record.reply ? (record.quote?.post.uri ?? null) : null,
      createdAt,
      seenAt,
      postedAt,
      indexedAt: now,
      deletedByUser: false,
      // A mod action may predate the post's arrival: its state is derived now.
      bannedByMod: banned,
      deletedByMod,
      locked,
      lockedAt,
      // Only a topic is pinned: a pin naming a reply changes nothing.
      pinned: record.reply ? false : pinned,
      deletedAt: null,
      // Recomputed before the batch commits (aggregates.ts), by the same rule.
      lastActivityAt: record.reply ? null : postedAt,
      updatedAt: operation === "update" ? eventTime(timeUs) : null,
    };
  });
  const inserted = await upsertRows(ctx, posts, rows, {
    target: ["did", "rkey"],
    // A replayed create is not an edit: only an update dates one, by the network's clock.
    set: {
      updatedAt: sql`coalesce(excluded.updated_at, ${posts.updatedAt})`,
      // The time of the version the row holds: an edit is a new version
      // (seen when written, so a reply edited after a lock is hidden with
      // it), a replay or a listing of the same version keeps the earliest.
      seenAt: sql`case when ${posts.cid} = excluded.cid and ${posts.seenAt} < excluded.seen_at then ${posts.seenAt} else excluded.seen_at end`,
      postedAt: sql`case when ${posts.cid} = excluded.cid and ${posts.postedAt} < excluded.posted_at then ${posts.postedAt} else excluded.posted_at end`,
    },
    returning: ["id", "did", "rkey"],
  });

  const idByUri = new Map(inserted.map((p) => [recordUri(p.did, ids.post, p.rkey), p.id]));
  const rootUriOf = new Map(rows.map((row, i) => [own[i]!.uri, row.rootUri]));
  const { notices } = ctx;
  if (notices)
    for (const [i, { did, record }] of writes.entries())
      notices.set(own[i]!.uri, {
        ...noticeOf(did, record, idByUri.get(own[i]!.uri)!, rows[i]!.postedAt),
        firstSeen: !postRows.has(own[i]!.uri) && !notices.has(own[i]!.uri),
      });
  await linkWithinRun(ctx, rows, idByUri, rootUriOf);
  await linkWaiting(ctx, idByUri, rootUriOf);
  // Every topic written, and the topic of every reply written, needs its counts.
  for (const [i, row] of rows.entries()) {
    if (row.rootUri === null) {
      dirtyTopics.add(idByUri.get(own[i]!.uri)!);
      if (row.boardId !== null) dirtyBoards.add(row.boardId);
    } else {
      const rootId = row.rootId ?? idByUri.get(row.rootUri);
      if (rootId !== undefined) dirtyTopics.add(rootId);
    }
  }
}

/**
 * Whom a post concerns: the author of the post it answers (when the reply
 * names a parent other than its root), the topic's author, the quoted
 * post's author, and the members its text mentions.
 */
function noticeOf(did: string, record: PostWrite["record"], postId: number, postedAt: Date): NoticeDraft {
  const { reply } = record;
  const direct: NoticeDraft["direct"] = [];
  const add = (recipientDid: string | null, kind: NotificationKind) => {
    if (recipientDid) direct.push({ recipientDid, kind });
  };
  if (reply) {
    if (reply.parent.uri !== reply.root.uri) add(authorOf(reply.parent.uri), "post_reply");
    add(authorOf(reply.root.uri), "topic_reply");
    add(authorOf(record.quote?.post.uri), "quote");
  }
  return { actorDid: did, postId, createdAt: postedAt, direct, mentionedHandles: mentionedHandles(record.text) };
}

type PostReferences = {
  did: string;
  rkey: string;
  rootUri: string | null;
  rootId: number | null;
  parentUri: string | null;
  parentId: number | null;
};

/**
 * Replies to posts of the same run were written before their root or parent
 * had an id: the ids are known now, and go in as one update by primary key
 * (so the waiting indexes probed next hold only replies of earlier batches).
 */
async function linkWithinRun(
  ctx: ApplyContext,
  rows: PostReferences[],
  idByUri: Map<string, number>,
  rootUriOf: Map<string, string | null>,
): Promise<void> {
  const { dialect, schema } = ctx;
  const inRun = (uri: string | null, may: (target: { uri: string; rootUri: string | null }) => boolean) => {
    const rootUri = uri === null ? undefined : rootUriOf.get(uri);
    return rootUri !== undefined && may({ uri: uri!, rootUri }) ? (idByUri.get(uri!) ?? null) : null;
  };
  const links = rows.flatMap((row) => {
    const rootId = row.rootId ?? inRun(row.rootUri, mayBeRoot);
    const parentId =
      row.parentId ??
      (row.rootUri === null ? null : inRun(row.parentUri, (target) => mayBeParent(target, row.rootUri!)));
    if (rootId === row.rootId && parentId === row.parentId) return [];
    return [{ id: idByUri.get(recordUri(row.did, ids.post, row.rkey))!, root_id: rootId, parent_id: parentId }];
  });
  if (links.length === 0) return;
  const k = jsonTable(dialect, "k", links, { id: "bigint", root_id: "bigint", parent_id: "bigint" });
  await runStatement(
    ctx,
    sql`update ${schema.posts} set root_id = ${k.column("root_id")}, parent_id = ${k.column("parent_id")}
    from ${k.from} where ${schema.posts.id} = ${k.column("id")}`,
  );
}

/**
 * Replies and nested replies of earlier batches that arrived before these
 * posts get their ids: as root only where the post is a topic, as parent
 * only where it is of the waiting reply's thread.
 */
async function linkWaiting(
  ctx: ApplyContext,
  idByUri: Map<string, number>,
  rootUriOf: Map<string, string | null>,
): Promise<void> {
  const { posts } = ctx.schema;
  const topics = new Map([...idByUri].filter(([uri]) => mayBeRoot({ rootUri: rootUriOf.get(uri) ?? null })));
  await link(
    ctx,
    topics,
    { uri: posts.rootUri, id: posts.rootId, key: "rootId", index: "posts_waiting_root_idx" },
    () => true,
  );
  await link(
    ctx,
    idByUri,
    { uri: posts.parentUri, id: posts.parentId, key: "parentId", index: "posts_waiting_parent_idx" },
    (parentUri, replyRootUri) =>
      replyRootUri !== null && mayBeParent({ uri: parentUri, rootUri: rootUriOf.get(parentUri) ?? null }, replyRootUri),
  );
}

async function link(
  { tx, schema, dialect }: ApplyContext,
  idByUri: Map<string, number>,
  waiting: { uri: AnyPgColumn; id: AnyPgColumn; key: "rootId" | "parentId"; index: string },
  belongs: (targetUri: string, replyRootUri: string | null) => boolean,
): Promise<void> {
  if (idByUri.size === 0) return;
  const { posts } = schema;
  // The conditions are the waiting index's own. Without statistics, SQLite
  // would rather walk posts_root_posted_idx for "root_id is null" — every
  // topic of the forum — than this nearly empty index: it is named.
  const from = dialect === "sqlite" ? sql`${posts} indexed by ${sql.identifier(waiting.index)}` : posts;
  const found = await tx
    // As expressions: drizzle checks plain columns against a table in from(), not a fragment.
    .select({
      id: sql`${posts.id}`.mapWith(Number),
      uri: sql<string>`${waiting.uri}`,
      rootUri: sql<string | null>`${posts.rootUri}`,
    })
    .from(from as typeof posts)
    .where(and(isNull(waiting.id), isNotNull(waiting.uri), inArray(waiting.uri, [...idByUri.keys()])));
  const rows = found.filter((row) => belongs(row.uri, row.rootUri));
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await tx
      .update(posts)
      .set({
        [waiting.key]: sql`case ${posts.id} ${sql.join(
          chunk.map((row) => sql`when ${row.id} then cast(${idByUri.get(row.uri)!} as bigint)`),
          sql` `,
        )} end`,
      })
      .where(
        inArray(
          posts.id,
          chunk.map((row) => row.id),
        ),
      );
  }
}
