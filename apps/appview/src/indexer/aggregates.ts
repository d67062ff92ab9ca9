// Counts a listing would otherwise compute on every request, kept by the
// indexer: a topic's reply_count, last_reply_at and last_activity_at (board
// listings never count replies; they are ordered by last_activity_at), its
// reply_total (a topic page's total, hidden replies included) and a board's
// topic_count (its page numbers). Kept, a page's total is one row's column:
// a count(*) of a 5,000-reply topic cost ~3 ms on PostgreSQL, more whenever
// autovacuum had not yet marked the pages all-visible.
// They are recomputed from the rows (not ±1), in one statement per batch for
// everything the batch touched, so duplicates, edits, deletes and replays
// cannot make them drift.
import { inArray, sql } from "drizzle-orm";
import { jsonTable, runStatement } from "./bulk.ts";
import type { ApplyContext } from "./context.ts";

const CHUNK = 500;

export async function recomputeAggregates(ctx: ApplyContext): Promise<void> {
  await recomputeTopics(ctx);
  await recomputeBoards(ctx);
}

async function recomputeTopics(ctx: ApplyContext): Promise<void> {
  const { schema, dialect } = ctx;
  const { posts } = schema;
  const topicIds = [...ctx.dirtyTopics];
  ctx.dirtyTopics.clear();
  if (topicIds.length === 0) return;
  const k = jsonTable(
    dialect,
    "k",
    topicIds.map((id) => ({ id })),
    { id: "bigint" },
  );
  const topic = k.column("id");
  // One pass over each topic's visible replies gives both the count and the
  // latest (three correlated subqueries read a long thread three times).
  // Times are posted_at, when a post counts as written: the earlier of its
  // author's claim (created_at) and when the network saw it (seen_at), so a
  // claim in the future can neither pin a topic on top nor bump one, and a
  // claim in the past only moves the author's own post down. Replies the
  // network saw after the topic was locked or deleted by its author are
  // hidden: they neither count nor bump it.
  const counts = sql`select ${topic} as topic_id, count(r.id) as replies, max(r.posted_at) as last_reply_at,
      (select count(*) from ${posts} as every where every.root_id = ${topic}) as total
    from ${k.from}
    join ${posts} as t on t.id = ${topic}
    left join ${posts} as r on r.root_id = ${topic} and r.deleted_by_user = false and r.deleted_by_mod = false
      and (t.locked_at is null or r.seen_at <= t.locked_at) and (t.deleted_at is null or r.seen_at <= t.deleted_at)
    group by ${topic}`;
  await runStatement(
    ctx,
    sql`update ${posts} set reply_count = a.replies, reply_total = a.total, last_reply_at = a.last_reply_at,
      last_activity_at = case when a.last_reply_at > ${posts.postedAt} then a.last_reply_at else ${posts.postedAt} end
    from (${counts}) as a where ${posts.id} = a.topic_id`,
  );
}

/** Every topic of the board counts, tombstones included: the board listing shows them. */
async function recomputeBoards(ctx: ApplyContext): Promise<void> {
  const { tx, schema } = ctx;
  const { boards, posts } = schema;
  const boardIds = [...ctx.dirtyBoards];
  ctx.dirtyBoards.clear();
  for (let i = 0; i < boardIds.length; i += CHUNK) {
    await tx
      .update(boards)
      .set({
        topicCount: sql`(select count(*) from ${posts} where ${posts.boardId} = ${boards.id} and ${posts.rootUri} is null)`,
      })
      .where(inArray(boards.id, boardIds.slice(i, i + CHUNK)));
  }
}
