// The read API's hot queries: one statement per request, its SQL text built
// once per dialect when the routes are (no query building per request, and
// PostgreSQL reuses one prepared statement per text), its rows as JSON
// (json-rows.ts).
import type { DatabaseHandle } from "@atbb/db";
import { countCell, dateOrNull, flag, jsonCell, jsonSql, type JsonSql } from "./json-rows.ts";
import type { PostRow } from "./serialize.ts";

/** Forum order: sort_order first (unset last), then name by code point — the same on both dialects. */
export function forumOrder<T extends { sortOrder: number | null; name: string; id: number }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      (a.sortOrder ?? Number.MAX_SAFE_INTEGER) - (b.sortOrder ?? Number.MAX_SAFE_INTEGER) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      a.id - b.id,
  );
}

/** A post and what moderation needs of its author, as postJson selects it. */
type PostJson = [
  id: number, did: string, rkey: string, cid: string, title: string | null, text: string,
  boardId: number | null, rootId: number | null, parentId: number | null,
  createdAt: number, updatedAt: number | null,
  deletedByUser: boolean | number, deletedByMod: boolean | number, bannedByMod: boolean | number, locked: boolean | number,
  replyCount: number, lastReplyAt: number | null, lastActivityAt: number | null,
  handle: string | null, accountStatus: string | null, banExpiresAt: number | null,
];

function postJson(q: JsonSql, post: string, author: string): string {
  const ms = (column: string) => q.epochMs(`${post}.${column}`);
  return q.array([
    ...["id", "did", "rkey", "cid", "title", "text", "board_id", "root_id", "parent_id"].map((column) => `${post}.${column}`),
    ms("created_at"), ms("updated_at"),
    ...["deleted_by_user", "deleted_by_mod", "banned_by_mod", "locked", "reply_count"].map((column) => `${post}.${column}`),
    ms("last_reply_at"), ms("last_activity_at"),
    `${author}.handle`, `${author}.account_status`, q.epochMs(`${author}.ban_expires_at`),
  ]);
}

function postFromJson(p: PostJson): PostRow {
  return {
    id: p[0], did: p[1], rkey: p[2], cid: p[3], title: p[4], text: p[5],
    boardId: p[6], rootId: p[7], parentId: p[8],
    createdAt: new Date(p[9]), updatedAt: dateOrNull(p[10]),
    deletedByUser: flag(p[11]), deletedByMod: flag(p[12]), bannedByMod: flag(p[13]), locked: flag(p[14]),
    replyCount: p[15], lastReplyAt: dateOrNull(p[16]), lastActivityAt: dateOrNull(p[17]),
    handle: p[18], accountStatus: p[19], banExpiresAt: dateOrNull(p[20]),
  };
}

const postsOf = (cell: unknown) => jsonCell<PostJson[]>(cell).map(postFromJson);

/**
 * A page of posts as a deferred join: the page's ids come from an index-only
 * scan (`pageIds`, whose predicate is the index's own), skipping `offset`
 * entries without touching the table; only the page's rows are then read by
 * primary key. Deep pages stay nearly as cheap as the first. (The page's
 * tables keep their names: query-plans.test.ts reads the plan by them.)
 */
function postsPage(q: JsonSql, pageIds: string, order: string): string {
  const ordered = order.split(", ").map((term) => `posts.${term}`).join(", ");
  return `select ${q.arrayOf(postJson(q, "posts", "users"), ordered)} from posts left join users on users.did = posts.did
    where posts.id in (select id from posts where ${pageIds} order by ${order} limit ${q.param(2)} offset ${q.param(3)})`;
}

/** A board's topics by last activity, over posts_board_topics_idx (board_id, last_activity_at, id where root_uri is null). */
export const boardTopicsPageSql = (q: JsonSql) => postsPage(q, `board_id = ${q.param(1)} and root_uri is null`, "last_activity_at desc, id desc");

/** A topic's replies, oldest first, over posts_root_created_idx (root_id, created_at, id). */
export const topicRepliesPageSql = (q: JsonSql) => postsPage(q, `root_id = ${q.param(1)}`, "created_at, id");

export interface BoardTopicsPage {
  /** Every topic of the board, tombstones included (boards.topic_count, kept by the indexer). */
  total: number;
  topics: PostRow[];
}

/** The board's topic count and a page of its topics; null when there is no such board. */
export function boardTopicsPage({ dialect, values }: DatabaseHandle) {
  const q = jsonSql[dialect];
  const text = `select topic_count, (${boardTopicsPageSql(q)}) from boards where id = ${q.param(1)}`;
  return async (boardId: number, offset: number, limit: number): Promise<BoardTopicsPage | null> => {
    const [row] = await values(text, [boardId, limit, offset]);
    return row ? { total: countCell(row[0]), topics: postsOf(row[1]) } : null;
  };
}

export interface TopicPage {
  topic: PostRow;
  /** Every reply of the topic, hidden ones included: unlike posts.reply_count, which counts visible ones. */
  total: number;
  replies: PostRow[];
}

/** A topic, the number of its replies and a page of them; null when there is no such topic. */
export function topicPage({ dialect, values }: DatabaseHandle) {
  const q = jsonSql[dialect];
  const text = `select ${postJson(q, "topic", "author")}, (${topicRepliesPageSql(q)})
    from posts as topic left join users as author on author.did = topic.did
    where topic.id = ${q.param(1)} and topic.root_uri is null`;
  const countText = `select count(*) from posts where root_id = ${q.param(1)}`;
  return async (topicId: number, offset: number, limit: number): Promise<TopicPage | null> => {
    const [row] = await values(text, [topicId, limit, offset]);
    if (!row) return null;
    const replies = postsOf(row[1]);
    // A page that is not full is the topic's last: offset + its replies are
    // all there are. Only a full (or empty, past-the-end) page needs a count,
    // which on a 5,000-reply topic costs as much as the page.
    const pageEndsTopic = replies.length < limit && (replies.length > 0 || offset === 0);
    const total = pageEndsTopic ? offset + replies.length : countCell((await values(countText, [topicId]))[0]![0]);
    return { topic: postFromJson(jsonCell<PostJson>(row[0])), total, replies };
  };
}

/** What the forum index shows of a category or a board. */
export interface ForumPlace {
  id: number;
  did: string;
  rkey: string;
  name: string;
  description: string | null;
  sortOrder: number | null;
  createdAt: Date;
}

export interface BoardPlace extends ForumPlace {
  categoryId: number | null;
}

type PlaceJson = [id: number, did: string, rkey: string, name: string, description: string | null, sortOrder: number | null, createdAt: number];
type BoardPlaceJson = [...PlaceJson, categoryId: number | null];

/** Every category and every board, unsorted (forumOrder sorts them the same on both dialects). */
export function forumIndex({ dialect, values }: DatabaseHandle) {
  const q = jsonSql[dialect];
  const place = ["id", "did", "rkey", "name", "description", "sort_order", q.epochMs("created_at")];
  const text = `select (select ${q.arrayOf(q.array(place), "id")} from categories),
    (select ${q.arrayOf(q.array([...place, "category_id"]), "id")} from boards)`;
  const fromJson = ([id, did, rkey, name, description, sortOrder, createdAt]: PlaceJson | BoardPlaceJson): ForumPlace => ({
    id, did, rkey, name, description, sortOrder, createdAt: new Date(createdAt),
  });
  return async (): Promise<{ categories: ForumPlace[]; boards: BoardPlace[] }> => {
    const [[categories, boards]] = (await values(text, [])) as [[unknown, unknown]];
    return {
      categories: jsonCell<PlaceJson[]>(categories).map(fromJson),
      boards: jsonCell<BoardPlaceJson[]>(boards).map((board) => ({ ...fromJson(board), categoryId: board[7] })),
    };
  };
}
