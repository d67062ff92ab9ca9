// Replies that wait for a root which is not (or not yet) a topic of this
// forum. Anyone may publish a reply to any post of the network — another
// atBB forum's topic, a reply, a post that was never written — and the
// indexer cannot tell which of them will still come to belong here (a topic
// may arrive after its replies: out of order, or by a later backfill of its
// author). So such a reply is kept, unlinked, for a while, then dropped; it
// is never shown or counted meanwhile (it has no topic). What one can store
// is bounded by what the network publishes in that while.
import { sql } from "drizzle-orm";
import { runStatement } from "./bulk.ts";
import type { ApplyContext } from "./context.ts";

/** Longer than Jetstream keeps events (24–36 h): a root still missing after this is not on its way. */
export const WAITING_REPLY_RETENTION_MS = 3 * 24 * 60 * 60_000;
/** The sweep reads only the waiting index, but once a minute is plenty for a bound of days. */
const SWEEP_EVERY_MS = 60_000;

/**
 * A sweep to run inside each batch: at most once a minute it deletes the
 * replies still waiting for their root that were last written more than
 * `retentionMs` before the batch's clock. (Replies to them lose their parent
 * by the foreign key; they wait for the same root, so they go too.)
 */
export function waitingReplySweep(retentionMs = WAITING_REPLY_RETENTION_MS): (ctx: ApplyContext) => Promise<void> {
  let lastSweep = Number.NEGATIVE_INFINITY;
  return async (ctx) => {
    if (ctx.now.getTime() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = ctx.now.getTime();
    const { posts } = ctx.schema;
    const cutoff = sql.param(new Date(ctx.now.getTime() - retentionMs), posts.indexedAt);
    // The conditions are posts_waiting_root_idx's own; SQLite is told so, as in post.ts's linking.
    const from = ctx.dialect === "sqlite" ? sql`${posts} indexed by posts_waiting_root_idx` : sql`${posts}`;
    await runStatement(
      ctx,
      sql`delete from ${from} where ${posts.rootId} is null and ${posts.rootUri} is not null and ${posts.indexedAt} < ${cutoff}`,
    );
  };
}
