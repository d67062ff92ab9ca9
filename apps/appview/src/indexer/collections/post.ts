import { boardRefOf, forumRefOf, ids, recordUri } from "@atbb/lexicon";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { ApplyContext, CollectionIndexer, RecordWrite } from "../context.ts";
import { jsonTable, runStatement, upsertRows } from "../bulk.ts";
import { moderationOf } from "../moderation.ts";
import { idsOf, rowsByUri } from "../references.ts";

export const postIndexer: CollectionIndexer<typeof ids.post> = {
  collection: ids.post,
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
    idsOf(ctx, boards, ids.board, writes.map((w) => boardRefOf(w.record)?.uri)),
    rowsByUri(ctx, posts, ids.post, [...own.map((p) => p.uri), ...writes.flatMap((w) => [w.record.reply?.root.uri, w.record.reply?.parent.uri])], ["id", "rootId", "boardId"]),
    moderationOf(ctx, own),
  ]);
  const idOfPost = (uri: string | undefined) => (uri === undefined ? null : (postRows.get(uri)?.id ?? null));
  // What an edit moves a post away from needs its counts too.
  for (const { uri } of own) {
    const before = postRows.get(uri);
    if (before?.rootId != null) dirtyTopics.add(before.rootId);
    if (before?.boardId != null) dirtyBoards.add(before.boardId);
  }

  const rows = writes.map(({ did, rkey, cid, record, operation, timeUs }, i) => {
    const createdAt = new Date(record.createdAt);
    const { banned, deletedByMod, locked } = moderation(own[i]!);
    const board = boardRefOf(record);
    return {
      did,
      rkey,
      cid,
      title: record.reply ? null : (record.title ?? null),
      text: record.text,
      forumUri: forumRefOf(record)?.uri ?? null,
      boardUri: board?.uri ?? null,
      boardId: board ? (boardIds.get(board.uri) ?? null) : null,
      rootUri: record.reply?.root.uri ?? null,
      rootId: idOfPost(record.reply?.root.uri),
      parentUri: record.reply?.parent.uri ?? null,
      parentId: idOfPost(record.reply?.parent.uri),
      createdAt,
      indexedAt: now,
      deletedByUser: false,
      // A mod action may predate the post's arrival: its state is derived now.
      bannedByMod: banned,
      deletedByMod,
      locked,
      lastActivityAt: record.reply ? null : createdAt,
      updatedAt: operation === "update" ? new Date(Math.floor(timeUs / 1000)) : null,
    };
  });
  const inserted = await upsertRows(ctx, posts, rows, {
    target: ["did", "rkey"],
    // A replayed create is not an edit: only an update dates one, by the network's clock.
    set: { updatedAt: sql`coalesce(excluded.updated_at, ${posts.updatedAt})` },
    returning: ["id", "did", "rkey"],
  });

  const idByUri = new Map(inserted.map((p) => [recordUri(p.did, ids.post, p.rkey), p.id]));
  await linkWithinRun(ctx, rows, idByUri);
  await linkWaiting(ctx, idByUri);
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

type PostReferences = { did: string; rkey: string; rootUri: string | null; rootId: number | null; parentUri: string | null; parentId: number | null };

/**
 * Replies to posts of the same run were written before their root or parent
 * had an id: the ids are known now, and go in as one update by primary key
 * (so the waiting indexes probed next hold only replies of earlier batches).
 */
async function linkWithinRun(ctx: ApplyContext, rows: PostReferences[], idByUri: Map<string, number>): Promise<void> {
  const { dialect, schema } = ctx;
  const links = rows.flatMap((row) => {
    const rootId = row.rootId ?? (row.rootUri === null ? null : (idByUri.get(row.rootUri) ?? null));
    const parentId = row.parentId ?? (row.parentUri === null ? null : (idByUri.get(row.parentUri) ?? null));
    if (rootId === row.rootId && parentId === row.parentId) return [];
    return [{ id: idByUri.get(recordUri(row.did, ids.post, row.rkey))!, root_id: rootId, parent_id: parentId }];
  });
  if (links.length === 0) return;
  const k = jsonTable(dialect, "k", links, { id: "bigint", root_id: "bigint", parent_id: "bigint" });
  await runStatement(ctx, sql`update ${schema.posts} set root_id = ${k.column("root_id")}, parent_id = ${k.column("parent_id")}
    from ${k.from} where ${schema.posts.id} = ${k.column("id")}`);
}

/** Replies and nested replies of earlier batches that arrived before these posts get their ids. */
async function linkWaiting(ctx: ApplyContext, idByUri: Map<string, number>): Promise<void> {
  const { posts } = ctx.schema;
  await link(ctx, idByUri, { uri: posts.rootUri, id: posts.rootId, key: "rootId", index: "posts_waiting_root_idx" });
  await link(ctx, idByUri, { uri: posts.parentUri, id: posts.parentId, key: "parentId", index: "posts_waiting_parent_idx" });
}

async function link(
  { tx, schema, dialect }: ApplyContext,
  idByUri: Map<string, number>,
  waiting: { uri: AnyPgColumn; id: AnyPgColumn; key: "rootId" | "parentId"; index: string },
): Promise<void> {
  const { posts } = schema;
  // The conditions are the waiting index's own. Without statistics, SQLite
  // would rather walk posts_root_created_idx for "root_id is null" — every
  // topic of the forum — than this nearly empty index: it is named.
  const from = dialect === "sqlite" ? sql`${posts} indexed by ${sql.identifier(waiting.index)}` : posts;
  const rows = await tx
    // As expressions: drizzle checks plain columns against a table in from(), not a fragment.
    .select({ id: sql`${posts.id}`.mapWith(Number), uri: sql<string>`${waiting.uri}` })
    .from(from as typeof posts)
    .where(and(isNull(waiting.id), isNotNull(waiting.uri), inArray(waiting.uri, [...idByUri.keys()])));
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await tx
      .update(posts)
      .set({ [waiting.key]: sql`case ${posts.id} ${sql.join(chunk.map((row) => sql`when ${row.id} then cast(${idByUri.get(row.uri)!} as bigint)`), sql` `)} end` })
      .where(inArray(posts.id, chunk.map((row) => row.id)));
  }
}
