import { ids, recordUri } from "@atbb/lexicon";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { ApplyContext, CollectionIndexer, RecordWrite } from "../context.ts";
import { BAN, DELETE, LOCK, latestIs } from "../moderation.ts";
import { checkReference, idOf } from "../references.ts";

export const postIndexer: CollectionIndexer<typeof ids.post> = {
  collection: ids.post,
  check(record, { forumDid }) {
    if (record.reply) {
      return (
        checkReference(record.reply.root.uri, ids.post, null, "reply.root") ??
        checkReference(record.reply.parent.uri, ids.post, null, "reply.parent")
      );
    }
    if (!record.board) return "a topic (a post without reply) needs a board";
    return (
      checkReference(record.board.uri, ids.board, forumDid, "post.board") ??
      checkReference(record.forum?.uri, ids.forum, forumDid, "post.forum")
    );
  },

  async upsert(ctx, write) {
    await upsertPosts(ctx, [write]);
  },

  upsertMany: upsertPosts,

  async remove({ tx, schema, dirtyTopics }, { did, rkey }) {
    const { posts } = schema;
    // A tombstone keeps the thread's shape; the words go, as their author asked.
    const [post] = await tx
      .update(posts)
      .set({ deletedByUser: true, text: "", title: null })
      .where(and(eq(posts.did, did), eq(posts.rkey, rkey)))
      .returning({ id: posts.id, rootId: posts.rootId });
    if (post) dirtyTopics.add(post.rootId ?? post.id);
  },
};

type PostWrite = RecordWrite<typeof ids.post>;

function rowOf(ctx: ApplyContext, { did, rkey, cid, record }: PostWrite) {
  const { schema, now } = ctx;
  const { posts, boards } = schema;
  const uri = recordUri(did, ids.post, rkey);
  const createdAt = new Date(record.createdAt);
  return {
    did,
    rkey,
    cid,
    title: record.reply ? null : (record.title ?? null),
    text: record.text,
    forumUri: record.forum?.uri ?? null,
    boardUri: record.board?.uri ?? null,
    boardId: idOf(boards, record.board?.uri),
    rootUri: record.reply?.root.uri ?? null,
    rootId: idOf(posts, record.reply?.root.uri),
    parentUri: record.reply?.parent.uri ?? null,
    parentId: idOf(posts, record.reply?.parent.uri),
    createdAt,
    indexedAt: now,
    deletedByUser: false,
    // A mod action may predate the post's arrival: derive the state now.
    bannedByMod: latestIs(ctx, BAN, { did }),
    deletedByMod: latestIs(ctx, DELETE, { postUri: uri }),
    locked: latestIs(ctx, LOCK, { postUri: uri }),
    lastActivityAt: record.reply ? null : createdAt,
  };
}

/**
 * Upserts posts with distinct keys in one statement, then links, in one
 * statement each, the posts that were waiting for these as root or parent
 * (including each other: a statement's subqueries do not see its own rows).
 */
async function upsertPosts(ctx: ApplyContext, writes: PostWrite[]): Promise<void> {
  const { tx, schema, dirtyTopics } = ctx;
  const { posts } = schema;
  if (writes.length === 0) return;
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  const inserted = await tx
    .insert(posts)
    .values(writes.map((write) => rowOf(ctx, write)))
    .onConflictDoUpdate({
      target: [posts.did, posts.rkey],
      set: {
        cid: excluded("cid"),
        title: excluded("title"),
        text: excluded("text"),
        forumUri: excluded("forum_uri"),
        boardUri: excluded("board_uri"),
        boardId: excluded("board_id"),
        rootUri: excluded("root_uri"),
        rootId: excluded("root_id"),
        parentUri: excluded("parent_uri"),
        parentId: excluded("parent_id"),
        createdAt: excluded("created_at"),
        indexedAt: excluded("indexed_at"),
        deletedByUser: excluded("deleted_by_user"),
        bannedByMod: excluded("banned_by_mod"),
        deletedByMod: excluded("deleted_by_mod"),
        locked: excluded("locked"),
        lastActivityAt: excluded("last_activity_at"),
        // A replayed create is not an edit: only updates date an edit, by the network's clock.
        updatedAt: editedAt(writes, posts.updatedAt),
      },
    })
    .returning({ id: posts.id, did: posts.did, rkey: posts.rkey, rootId: posts.rootId });

  const idByUri = new Map(inserted.map((p) => [recordUri(p.did, ids.post, p.rkey), p.id]));
  const uris = [...idByUri.keys()];
  const idFor = (column: SQL) =>
    sql`case ${column} ${sql.join(
      [...idByUri].map(([uri, id]) => sql`when ${uri} then cast(${id} as bigint)`),
      sql` `,
    )} end`;
  // Replies and nested replies that arrived before these posts.
  await tx.update(posts).set({ rootId: idFor(sql`${posts.rootUri}`) }).where(and(inArray(posts.rootUri, uris), isNull(posts.rootId)));
  await tx.update(posts).set({ parentId: idFor(sql`${posts.parentUri}`) }).where(and(inArray(posts.parentUri, uris), isNull(posts.parentId)));

  // Every topic written, and the topic of every reply written (now that links are made), needs its counts.
  const written = await tx
    .select({ id: posts.id, rootId: posts.rootId, rootUri: posts.rootUri })
    .from(posts)
    .where(inArray(posts.id, inserted.map((p) => p.id)));
  for (const post of written) {
    if (post.rootUri === null) dirtyTopics.add(post.id);
    else if (post.rootId !== null) dirtyTopics.add(post.rootId);
  }
}

/** updated_at for an upsert: the event time of an update, unchanged for a (replayed) create. */
function editedAt(writes: PostWrite[], current: ApplyContext["schema"]["posts"]["updatedAt"]): SQL {
  const updates = writes.filter((w) => w.operation === "update");
  if (updates.length === 0) return sql`${current}`;
  return sql`case ${sql.join(
    updates.map(
      (w) => sql`when excluded.did = ${w.did} and excluded.rkey = ${w.rkey} then ${sql.param(new Date(Math.floor(w.timeUs / 1000)), current)}`,
    ),
    sql` `,
  )} else ${current} end`;
}
