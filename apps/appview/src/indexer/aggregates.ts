// Counts a listing would otherwise compute on every request, kept by the
// indexer: a topic's reply_count, last_reply_at and last_activity_at (board
// listings never count replies) and a board's topic_count (its page numbers).
// They are recomputed from the rows (not ±1), in one statement per batch for
// everything the batch touched, so duplicates, edits, deletes and replays
// cannot make them drift.
import { inArray, sql } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

const CHUNK = 500;

export async function recomputeAggregates(ctx: ApplyContext): Promise<void> {
  await recomputeTopics(ctx);
  await recomputeBoards(ctx);
}

async function recomputeTopics(ctx: ApplyContext): Promise<void> {
  const { tx, schema } = ctx;
  const { posts } = schema;
  const topicIds = [...ctx.dirtyTopics];
  ctx.dirtyTopics.clear();
  for (let i = 0; i < topicIds.length; i += CHUNK) {
    const visibleReplies = sql`from ${posts} as r where r.root_id = ${posts.id} and r.deleted_by_user = false and r.deleted_by_mod = false`;
    const lastReplyAt = sql`(select max(r.created_at) ${visibleReplies})`;
    await tx
      .update(posts)
      .set({
        replyCount: sql`(select count(*) ${visibleReplies})`,
        lastReplyAt,
        lastActivityAt: sql`coalesce(case when ${lastReplyAt} > ${posts.createdAt} then ${lastReplyAt} end, ${posts.createdAt})`,
      })
      .where(inArray(posts.id, topicIds.slice(i, i + CHUNK)));
  }
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
      .set({ topicCount: sql`(select count(*) from ${posts} where ${posts.boardId} = ${boards.id} and ${posts.rootUri} is null)` })
      .where(inArray(boards.id, boardIds.slice(i, i + CHUNK)));
  }
}
