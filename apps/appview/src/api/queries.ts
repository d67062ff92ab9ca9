// Read queries shared by several routes.
import type { DatabaseHandle } from "@atbb/db";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";

/** Post columns plus what moderation needs of the author. */
export function postColumns({ schema }: DatabaseHandle) {
  const { posts, users } = schema;
  return {
    id: posts.id,
    did: posts.did,
    rkey: posts.rkey,
    cid: posts.cid,
    title: posts.title,
    text: posts.text,
    boardId: posts.boardId,
    rootId: posts.rootId,
    parentId: posts.parentId,
    createdAt: posts.createdAt,
    updatedAt: posts.updatedAt,
    deletedByUser: posts.deletedByUser,
    deletedByMod: posts.deletedByMod,
    bannedByMod: posts.bannedByMod,
    locked: posts.locked,
    replyCount: posts.replyCount,
    lastReplyAt: posts.lastReplyAt,
    lastActivityAt: posts.lastActivityAt,
    handle: users.handle,
    accountStatus: users.accountStatus,
    banExpiresAt: users.banExpiresAt,
  };
}

export function postsWithAuthors(database: DatabaseHandle) {
  const { posts, users } = database.schema;
  return database.db.select(postColumns(database)).from(posts).leftJoin(users, eq(users.did, posts.did));
}

/** Forum order: sort_order first (unset last), then name by code point — the same on both dialects. */
export function forumOrder<T extends { sortOrder: number | null; name: string; id: number }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      (a.sortOrder ?? Number.MAX_SAFE_INTEGER) - (b.sortOrder ?? Number.MAX_SAFE_INTEGER) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      a.id - b.id,
  );
}

/**
 * A page of a board's topics by last activity, as a deferred join: the page's
 * ids come from an index-only scan of posts_board_topics_idx (board_id,
 * last_activity_at, id WHERE root_uri IS NULL — the predicate here is the
 * index's own), skipping `offset` entries without touching the table; only
 * the page's rows are then read. Deep pages stay nearly as cheap as the first.
 */
export function boardTopicsPage(database: DatabaseHandle, boardId: number, offset: number, limit: number) {
  const { db, schema } = database;
  const { posts } = schema;
  const newestFirst = [desc(posts.lastActivityAt), desc(posts.id)];
  const pageIds = db.select({ id: posts.id }).from(posts).where(topicsOfBoard(database, boardId)).orderBy(...newestFirst).limit(limit).offset(offset);
  return postsWithAuthors(database).where(inArray(posts.id, pageIds)).orderBy(...newestFirst);
}

export function topicsOfBoard({ schema: { posts } }: DatabaseHandle, boardId: number) {
  return and(eq(posts.boardId, boardId), isNull(posts.rootUri));
}

/** A page of a topic's replies, oldest first: the same deferred join over posts_root_created_idx. */
export function topicRepliesPage(database: DatabaseHandle, topicId: number, offset: number, limit: number) {
  const { db, schema } = database;
  const { posts } = schema;
  const oldestFirst = [asc(posts.createdAt), asc(posts.id)];
  const pageIds = db.select({ id: posts.id }).from(posts).where(eq(posts.rootId, topicId)).orderBy(...oldestFirst).limit(limit).offset(offset);
  return postsWithAuthors(database).where(inArray(posts.id, pageIds)).orderBy(...oldestFirst);
}
