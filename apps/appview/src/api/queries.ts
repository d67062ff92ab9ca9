// Read queries shared by several routes.
import type { DatabaseHandle } from "@atbb/db";
import { and, asc, desc, eq, isNull } from "drizzle-orm";

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
 * A page of a board's topics by last activity. The predicate is the partial
 * index's own (posts_board_topics_idx: board_id, last_activity_at, id WHERE
 * root_uri IS NULL), so the page is a backward scan of that index.
 */
export function boardTopicsPage(database: DatabaseHandle, boardId: number, offset: number, limit: number) {
  const { posts } = database.schema;
  return postsWithAuthors(database)
    .where(topicsOfBoard(database, boardId))
    .orderBy(desc(posts.lastActivityAt), desc(posts.id))
    .limit(limit)
    .offset(offset);
}

export function topicsOfBoard({ schema: { posts } }: DatabaseHandle, boardId: number) {
  return and(eq(posts.boardId, boardId), isNull(posts.rootUri));
}

/** A page of a topic's replies, oldest first: a range of posts_root_created_idx. */
export function topicRepliesPage(database: DatabaseHandle, topicId: number, offset: number, limit: number) {
  const { posts } = database.schema;
  return postsWithAuthors(database)
    .where(eq(posts.rootId, topicId))
    .orderBy(asc(posts.createdAt), asc(posts.id))
    .limit(limit)
    .offset(offset);
}
