// A topic carries reply_count, last_reply_at and last_activity_at so board
// listings never count replies. They are recomputed from the replies (not
// ±1), once per touched topic per batch, so duplicates, edits, deletes and
// replays cannot make them drift.
import { sql } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

export async function recomputeTopics(ctx: ApplyContext): Promise<void> {
  const { tx, schema } = ctx;
  const { posts } = schema;
  for (const topicId of ctx.dirtyTopics) {
    const visibleReplies = sql`from ${posts} as r where r.root_id = ${topicId} and r.deleted_by_user = false and r.deleted_by_mod = false`;
    const lastReplyAt = sql`(select max(r.created_at) ${visibleReplies})`;
    await tx
      .update(posts)
      .set({
        replyCount: sql`(select count(*) ${visibleReplies})`,
        lastReplyAt,
        lastActivityAt: sql`case when ${lastReplyAt} > ${posts.createdAt} then ${lastReplyAt} else ${posts.createdAt} end`,
      })
      .where(sql`${posts.id} = ${topicId}`);
  }
  ctx.dirtyTopics.clear();
}
