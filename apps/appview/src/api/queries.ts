// The read API's hot queries: one statement per request, its text rendered
// once per dialect from the schema's columns when the routes are made (no
// query building per request, and each text keeps one prepared statement:
// DatabaseHandle.values()), its rows as JSON arrays whose shape is one column
// list (rowShape) for both the SQL and the decoding.
import {
  aliasedTable,
  countCell,
  jsonCell,
  jsonSql,
  rowShape,
  outerJoined,
  type DatabaseHandle,
  type RowOf,
  type Schema,
} from "@atbb/db";
import { and, eq, exists, lte, or, sql, type SQL } from "drizzle-orm";

type Statements = Pick<DatabaseHandle, "dialect" | "schema" | "sqlText">;

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
 * The forum's tree: categories in forum order, each with its boards in forum
 * order, both shaped by the caller (the API, the pages and the administration
 * pages each show them their own way).
 */
export function forumTree<
  C extends { sortOrder: number | null; name: string; id: number },
  B extends { sortOrder: number | null; name: string; id: number; categoryId: number | null },
  CategoryShown extends object,
  BoardShown,
>(categories: C[], boards: B[], category: (row: C) => CategoryShown, board: (row: B) => BoardShown) {
  const sortedBoards = forumOrder(boards);
  return forumOrder(categories).map((row) => ({
    ...category(row),
    boards: sortedBoards.filter((b) => b.categoryId === row.id).map(board),
  }));
}

/**
 * SQL: the post's author is not banned now, by bodies/posts.ts bannedNow's
 * rule: its banned_by_mod is false, or its author's ban has an end that has
 * passed. For reads that filter in the database.
 */
export function authorNotBanned(
  { db, schema }: Pick<DatabaseHandle, "db" | "schema">,
  post: Schema["posts"],
  now: Date,
) {
  const { users } = schema;
  const endedBan = db
    .select({ one: sql`1` })
    .from(users)
    .where(and(eq(users.did, post.did), lte(users.banExpiresAt, now)));
  return or(eq(post.bannedByMod, false), exists(endedBan)) as SQL;
}

/** A post and what moderation needs of its author (read through a left join: a post may come before its author's row). */
const postColumns = (post: Schema["posts"], author: Schema["users"]) => ({
  id: post.id,
  did: post.did,
  rkey: post.rkey,
  cid: post.cid,
  title: post.title,
  text: post.text,
  boardId: post.boardId,
  rootId: post.rootId,
  parentId: post.parentId,
  quoteUri: post.quoteUri,
  createdAt: post.createdAt,
  seenAt: post.seenAt,
  updatedAt: post.updatedAt,
  deletedByUser: post.deletedByUser,
  deletedByMod: post.deletedByMod,
  bannedByMod: post.bannedByMod,
  locked: post.locked,
  lockedAt: post.lockedAt,
  pinned: post.pinned,
  deletedAt: post.deletedAt,
  replyCount: post.replyCount,
  lastReplyAt: post.lastReplyAt,
  lastActivityAt: post.lastActivityAt,
  handle: outerJoined(author.handle),
  accountStatus: outerJoined(author.accountStatus),
  banExpiresAt: outerJoined(author.banExpiresAt),
});

export type PostRow = RowOf<ReturnType<typeof postColumns>>;

export const postShape = (post: Schema["posts"], author: Schema["users"]) => rowShape(postColumns(post, author));

/** The posts that `which` (a condition on the posts table) picks, each with its author's moderation state; in no set order. */
export async function postRows({ db, dialect, schema }: DatabaseHandle, which: SQL | undefined): Promise<PostRow[]> {
  const { posts, users } = schema;
  const post = postShape(posts, users);
  const rows = await db
    .select({ row: post.json(dialect) })
    .from(posts)
    .leftJoin(users, sql`${users.did} = ${posts.did}`)
    .where(which);
  return rows.map(({ row }) => post.decode(jsonCell<unknown[]>(row)));
}

/** What the forum index shows of a category or a board. */
const placeColumns = (place: Schema["categories"] | Schema["boards"]) => ({
  id: place.id,
  did: place.did,
  rkey: place.rkey,
  name: place.name,
  description: place.description,
  sortOrder: place.sortOrder,
  createdAt: place.createdAt,
});

export type ForumPlace = RowOf<ReturnType<typeof placeColumns>>;
const boardPlaceColumns = (boards: Schema["boards"]) => ({ ...placeColumns(boards), categoryId: boards.categoryId });
export type BoardPlace = RowOf<ReturnType<typeof boardPlaceColumns>>;

/**
 * A page of posts as a deferred join: the page's ids come from an index-only
 * scan (`ids`, whose predicate is the index's own), skipping entries without
 * touching the table; only the page's rows are then read by primary key. A
 * skip still steps over every entry it skips, so a page past the middle is
 * reached from the other end: the reversed order (`reversed`, each column's
 * direction and NULL placement turned round) skipping `total - offset -
 * limit` entries. The last page then costs what the first does, and no page
 * skips more than half the list. `total` must count exactly the rows `ids`
 * picks (boards.topic_count and posts.reply_total are recomputed from those
 * rows in the indexer's batches: aggregates.ts), and is read in the same
 * statement, so from the same snapshot. The arm not taken has limit 0, which
 * both engines answer without reading the index. (The page's tables keep
 * their names: query-plans.test.ts reads the plan by them.)
 */
function postsPage({ dialect, schema }: Statements, page: { ids: SQL; order: SQL; reversed: SQL; total: SQL }): SQL {
  const { posts, users } = schema;
  const q = jsonSql[dialect];
  const limit = sql`cast(${q.param(2)} as bigint)`;
  const offset = sql`cast(${q.param(3)} as bigint)`;
  const { total } = page;
  const fromEnd = sql`2 * ${offset} + ${limit} > ${total}`;
  const id = sql.identifier(posts.id.name);
  const pick = (name: string, order: SQL, count: SQL, skip: SQL) =>
    sql`select ${id} from (select ${posts.id} from ${posts} where ${page.ids} order by ${order} limit ${count} offset ${skip}) as ${sql.identifier(name)}`;
  const forward = pick("forward", page.order, sql`case when ${fromEnd} then 0 else ${limit} end`, offset);
  const backward = pick(
    "backward",
    page.reversed,
    sql`case when not (${fromEnd}) or ${total} <= ${offset} then 0 when ${total} - ${offset} < ${limit} then ${total} - ${offset} else ${limit} end`,
    sql`case when ${fromEnd} and ${total} - ${offset} > ${limit} then ${total} - ${offset} - ${limit} else 0 end`,
  );
  return sql`select ${q.arrayOf(postShape(posts, users).json(dialect), page.order)} from ${posts} left join ${users} on ${users.did} = ${posts.did}
    where ${posts.id} in (${forward} union all ${backward})`;
}

/** A board's topics, pinned first, by last activity, over posts_board_topics_idx (board_id, pinned, last_activity_at, id where root_uri is null). */
function boardTopicsPageQuery(statements: Statements): SQL {
  const { posts, boards } = statements.schema;
  const board = jsonSql[statements.dialect].param(1);
  return postsPage(statements, {
    ids: sql`${posts.boardId} = ${board} and ${posts.rootUri} is null`,
    order: sql`${posts.pinned} desc, ${posts.lastActivityAt} desc, ${posts.id} desc`,
    reversed: sql`${posts.pinned}, ${posts.lastActivityAt}, ${posts.id}`,
    total: sql`(select ${boards.topicCount} from ${boards} where ${boards.id} = ${board})`,
  });
}

/** A topic's replies, oldest first (by when each counts as written), over posts_root_posted_idx (root_id, posted_at, id). */
function topicRepliesPageQuery(statements: Statements): SQL {
  const { posts } = statements.schema;
  const topic = jsonSql[statements.dialect].param(1);
  const { table: counted, from } = aliasedTable(posts, "counted");
  return postsPage(statements, {
    ids: sql`${posts.rootId} = ${topic}`,
    order: sql`${posts.postedAt}, ${posts.id}`,
    reversed: sql`${posts.postedAt} desc, ${posts.id} desc`,
    total: sql`(select ${counted.replyTotal} from ${from} where ${counted.id} = ${topic})`,
  });
}

/** The text of a board's topic page (parameters: board, limit, offset). */
export const boardTopicsPageSql = (statements: Statements) => statements.sqlText(boardTopicsPageQuery(statements));

/** The text of a topic's reply page (parameters: topic, limit, offset). */
export const topicRepliesPageSql = (statements: Statements) => statements.sqlText(topicRepliesPageQuery(statements));

export interface BoardTopicsPage {
  /** Every topic of the board, tombstones included (boards.topic_count, kept by the indexer). */
  total: number;
  topics: PostRow[];
}

/** The board's topic count and a page of its topics; null when there is no such board. */
export function boardTopicsPage(database: DatabaseHandle) {
  const { dialect, schema, values, sqlText } = database;
  const { boards, posts, users } = schema;
  const q = jsonSql[dialect];
  const post = postShape(posts, users);
  const text = sqlText(
    sql`select ${boards.topicCount}, (${boardTopicsPageQuery(database)}) from ${boards} where ${boards.id} = ${q.param(1)}`,
  );
  return async (boardId: number, offset: number, limit: number): Promise<BoardTopicsPage | null> => {
    const [row] = await values(text, [boardId, limit, offset]);
    return row ? { total: countCell(row[0]), topics: jsonCell<unknown[][]>(row[1]).map(post.decode) } : null;
  };
}

export interface TopicPage {
  topic: PostRow;
  /** Every reply of the topic, hidden ones included: unlike posts.reply_count, which counts visible ones. */
  total: number;
  replies: PostRow[];
}

/**
 * A topic, the number of its replies and a page of them; null when there is
 * no such topic — or it has no board (not indexed yet, or deleted): a topic
 * belongs to the forum only through one of its boards.
 */
export function topicPage(database: DatabaseHandle) {
  const { dialect, schema, values, sqlText } = database;
  const { posts, users } = schema;
  const q = jsonSql[dialect];
  const topic = aliasedTable(posts, "topic");
  const author = aliasedTable(users, "author");
  const topicRow = postShape(topic.table, author.table);
  const reply = postShape(posts, users);
  const text =
    sqlText(sql`select ${topicRow.json(dialect)}, (${topicRepliesPageQuery(database)}), ${topic.table.replyTotal}
    from ${topic.from} left join ${author.from} on ${author.table.did} = ${topic.table.did}
    where ${topic.table.id} = ${q.param(1)} and ${topic.table.rootUri} is null and ${topic.table.boardId} is not null`);
  return async (topicId: number, offset: number, limit: number): Promise<TopicPage | null> => {
    const [row] = await values(text, [topicId, limit, offset]);
    if (!row) return null;
    const replies = jsonCell<unknown[][]>(row[1]).map(reply.decode);
    return { topic: topicRow.decode(jsonCell<unknown[]>(row[0])), total: countCell(row[2]), replies };
  };
}

/** Every category and every board, unsorted (forumOrder sorts them the same on both dialects). */
export function forumIndex({ dialect, schema, values, sqlText }: DatabaseHandle) {
  const { categories, boards } = schema;
  const q = jsonSql[dialect];
  const category = rowShape(placeColumns(categories));
  const board = rowShape(boardPlaceColumns(boards));
  const text =
    sqlText(sql`select (select ${q.arrayOf(category.json(dialect), sql`${categories.id}`)} from ${categories}),
    (select ${q.arrayOf(board.json(dialect), sql`${boards.id}`)} from ${boards})`);
  return async (): Promise<{ categories: ForumPlace[]; boards: BoardPlace[] }> => {
    const [[categoryCell, boardCell]] = (await values(text, [])) as [[unknown, unknown]];
    return {
      categories: jsonCell<unknown[][]>(categoryCell).map(category.decode),
      boards: jsonCell<unknown[][]>(boardCell).map(board.decode),
    };
  };
}
