// Search as two statements, each rendered once per dialect: the page's post
// ids in order (the engine's match, moderation and filters, ranked), then
// those posts' rows read by id like every other page of posts.
import { aliasedTable, countCell, jsonCell, jsonSql, type DatabaseHandle } from "@atbb/db";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { postShape, type PostRow } from "../queries.ts";
import { fts5Query, tsQuery, type SearchTerms } from "./terms.ts";

export type SearchOrder = "relevance" | "newest";

export interface SearchFilters {
  boardId: number | null;
  authorDid: string | null;
  topicsOnly: boolean;
  /** Posted at or after, in ms since the epoch. */
  since: number | null;
  /** Posted before, in ms since the epoch. */
  until: number | null;
}

export interface SearchHit {
  post: PostRow;
  /** The topic a reply belongs to (a topic is its own). */
  topicId: number;
}

export interface SearchPage {
  /** The posts found, counted up to the bound. */
  total: number;
  /** More than `total` were found: counting stopped at the bound. */
  moreThanTotal: boolean;
  hits: SearchHit[];
}

/**
 * How far a search counts what it found. Counting every match of a common
 * word on a forum of a million replies took seconds (`pnpm bench --parts api`);
 * nobody reads past a thousand results, so a larger count says no more.
 */
export const SEARCH_COUNT_BOUND = 1000;

// Parameters by position: 1 the engine's query, 2 board, 3 author, 4 topics
// only (0/1), 5 since, 6 until, 7 now (all ms), 8 limit, 9 offset. "count"
// counts the posts found up to its limit (8) rather than listing a page.
function idsQuery(database: DatabaseHandle, order: SearchOrder | "count"): SQL {
  const { dialect, schema } = database;
  const { posts, users } = schema;
  const q = jsonSql[dialect];
  const pg = dialect === "postgresql";
  const param = (n: number, type: string) => (pg ? sql`cast(${q.param(n)} as ${sql.raw(type)})` : q.param(n));
  const topic = aliasedTable(posts, "topic");
  const t = topic.table;
  const ms = (column: SQLWrapper) => q.epochMs(column);
  // PostgreSQL: the stored words (schema.ts search_vector) the GIN index is
  // over, so the recheck and ts_rank read them rather than parse each text.
  const vector = posts.searchVector;
  // On SQLite the match is made once, in a subquery that also scores each
  // hit (bm25 can only be read there, in the FTS5 table's own scan); a
  // scoring subquery per post found instead re-ran the match for each one,
  // quadratic in the number of matches.
  const score = order === "relevance" ? sql`, bm25(posts_search) as score` : sql``;
  const found = pg
    ? sql`${posts}`
    : sql`(select rowid as id${score} from posts_search where posts_search match ${q.param(1)}) as hit
      join ${posts} on ${posts.id} = hit.id`;
  const match = pg ? sql`${vector} @@ to_tsquery('simple', ${param(1, "text")})` : sql`true`;
  const rank = pg ? sql`ts_rank(${vector}, to_tsquery('simple', ${param(1, "text")})) desc,` : sql`hit.score,`;
  const seenAfter = (moment: SQL) =>
    sql`(${moment} is not null and not (${posts.seenAt} is not null and ${posts.seenAt} <= ${moment}))`;
  // The same rules as bodies/posts.ts hiddenReason: a post whose content a
  // thread would not show is not found either.
  const visible = sql`${posts.deletedByUser} = false and ${posts.deletedByMod} = false
    and not (${posts.bannedByMod} = true and (${users.banExpiresAt} is null or ${ms(users.banExpiresAt)} > ${param(7, "int8")}))
    and (${users.accountStatus} is null or ${users.accountStatus} = 'active')
    and (${posts.rootId} is null or not (${seenAfter(sql`${t.lockedAt}`)} or ${seenAfter(sql`${t.deletedAt}`)}))`;
  const board = sql`coalesce(${t.boardId}, ${posts.boardId})`;
  const filters = sql`${board} is not null
    and (${posts.rootUri} is null or ${posts.rootId} is not null)
    and (${param(2, "int8")} is null or ${board} = ${param(2, "int8")})
    and (${param(3, "text")} is null or ${posts.did} = ${param(3, "text")})
    and (${param(4, "int4")} = 0 or ${posts.rootUri} is null)
    and (${param(5, "int8")} is null or ${ms(posts.postedAt)} >= ${param(5, "int8")})
    and (${param(6, "int8")} is null or ${ms(posts.postedAt)} < ${param(6, "int8")})`;
  const from = sql`from ${found} left join ${users} on ${users.did} = ${posts.did} left join ${topic.from} on ${t.id} = ${posts.rootId}
    where ${match} and ${visible} and ${filters}`;
  // Without an order the engine can stop at the limit, whatever the number of matches.
  if (order === "count") return sql`select count(*) from (select 1 ${from} limit ${param(8, "int8")}) as counted`;
  // Ties (and the whole order, for "newest") by when posted, then id: the same on both dialects.
  const orderBy = sql`${order === "relevance" ? rank : sql``} ${posts.postedAt} desc, ${posts.id} desc`;
  return sql`select ${posts.id}, coalesce(${posts.rootId}, ${posts.id}) ${from}
    order by ${orderBy} limit ${param(8, "int8")} offset ${param(9, "int8")}`;
}

/** `countBound` is SEARCH_COUNT_BOUND but for tests, which cannot cheaply find more than a thousand posts. */
export function searchPosts(database: DatabaseHandle, countBound = SEARCH_COUNT_BOUND) {
  const { dialect, schema, values, sqlText } = database;
  const { posts, users } = schema;
  const q = jsonSql[dialect];
  const post = postShape(posts, users);
  const idTexts = {
    relevance: sqlText(idsQuery(database, "relevance")),
    newest: sqlText(idsQuery(database, "newest")),
  };
  const countText = sqlText(idsQuery(database, "count"));
  const idList =
    dialect === "postgresql"
      ? sql`any(cast(${q.param(1)} as int8[]))`
      : sql`(select value from json_each(${q.param(1)}))`;
  const postOp = dialect === "postgresql" ? sql`=` : sql`in`;
  const rowsText = sqlText(
    sql`select ${q.arrayOf(post.json(dialect), sql`${posts.id}`)} from ${posts} left join ${users} on ${users.did} = ${posts.did} where ${posts.id} ${postOp} ${idList}`,
  );
  return async (
    terms: SearchTerms,
    filters: SearchFilters,
    order: SearchOrder,
    offset: number,
    limit: number,
  ): Promise<SearchPage> => {
    const engineQuery = dialect === "postgresql" ? tsQuery(terms) : fts5Query(terms);
    const asked = [
      engineQuery,
      filters.boardId,
      filters.authorDid,
      filters.topicsOnly ? 1 : 0,
      filters.since,
      filters.until,
      Date.now(),
    ];
    const found = await values(idTexts[order], [...asked, limit, offset]);
    // One past the bound, to tell "exactly the bound" from "more".
    const [[counted]] = (await values(countText, [...asked, countBound + 1])) as [[unknown]];
    const count = countCell(counted);
    const total = Math.min(count, countBound);
    if (found.length === 0) return { total, moreThanTotal: count > countBound, hits: [] };
    const ids = found.map((row) => Number(row[0]));
    const [[cell]] = (await values(rowsText, [
      dialect === "postgresql" ? `{${ids.join(",")}}` : JSON.stringify(ids),
    ])) as [[unknown]];
    const byId = new Map(
      jsonCell<unknown[][]>(cell)
        .map((r) => post.decode(r))
        .map((p) => [p.id, p]),
    );
    return {
      total,
      moreThanTotal: count > countBound,
      hits: found.map((row) => ({ post: byId.get(Number(row[0]))!, topicId: Number(row[1]) })),
    };
  };
}
