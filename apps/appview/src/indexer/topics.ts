// A topic carries reply_count, last_reply_at and last_activity_at so board
// listings never count replies. They are recomputed from the replies (not
// ±1), in one statement per batch for every touched topic, so duplicates,
// edits, deletes and replays cannot make them drift.
import { inArray, sql } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

export async function recomputeTopics(ctx: ApplyContext): Promise<void> {
  const { tx, schema } = ctx;
  const { posts } = schema;
  const topicIds = [...ctx.dirtyTopics];
  ctx.dirtyTopics.clear();
  for (let i = 0; i < topicIds.length; i += 500) {
    const visibleReplies = sql`from ${posts} as r where r.root_id = ${posts.id} and r.deleted_by_user = false and r.deleted_by_mod = false`;
    const lastReplyAt = sql`(select max(r.created_at) ${visibleReplies})`;
    await tx
      .update(posts)
      .set({
        replyCount: sql`(select count(*) ${visibleReplies})`,
        lastReplyAt,
        lastActivityAt: sql`coalesce(case when ${lastReplyAt} > ${posts.createdAt} then ${lastReplyAt} end, ${posts.createdAt})`,
      })
      .where(inArray(posts.id, topicIds.slice(i, i + 500)));
  }
}
