import { ids, modActionKindOf, parseRecordUri, recordUri } from "@atbb/lexicon";
import { and, eq, sql } from "drizzle-orm";
import type { ApplyContext, CollectionIndexer } from "../context.ts";
import { recomputeBan, recomputePostModeration } from "../moderation.ts";
import type { NoticeDraft } from "../notices.ts";
import { authorOf } from "../notifications.ts";

async function applyEffects(ctx: ApplyContext, subject: { did: string | null; postUri: string | null }) {
  if (subject.did) await recomputeBan(ctx, subject.did);
  if (subject.postUri) await recomputePostModeration(ctx, subject.postUri);
}

/**
 * Whom a moderator's action concerns: the member acted on, or the author of
 * the post acted on (never the forum account itself). The moderator is the
 * record's createdBy; without one, the forum account.
 */
async function noticeOf(
  ctx: ApplyContext,
  action: string,
  subject: { did: string | null; postUri: string | null },
  values: { createdBy: string | null; createdAt: Date; seenAt: Date },
): Promise<NoticeDraft> {
  const { tx, schema, forumDid } = ctx;
  const recipientDid = subject.did ?? authorOf(subject.postUri);
  const target = subject.postUri ? parseRecordUri(subject.postUri) : null;
  const [post] = target
    ? await tx
        .select({ id: schema.posts.id })
        .from(schema.posts)
        .where(and(eq(schema.posts.did, target.did), eq(schema.posts.rkey, target.rkey)))
    : [];
  return {
    actorDid: values.createdBy ?? forumDid,
    postId: post?.id ?? null,
    // As a post's: the earlier of the claimed time and when the network saw it.
    createdAt: new Date(Math.min(values.createdAt.getTime(), values.seenAt.getTime())),
    direct: recipientDid && recipientDid !== forumDid ? [{ recipientDid, kind: "moderation", action }] : [],
    mentionedHandles: [],
  };
}

export const modActionIndexer: CollectionIndexer<typeof ids.modAction> = {
  collection: ids.modAction,
  async upsert(ctx, { did, rkey, cid, rev, record, timeUs }) {
    const { tx, schema, now } = ctx;
    const { modActions } = schema;
    const values = {
      cid,
      rev,
      // The short verb, whichever form arrived: moderation and the API read it so.
      action: modActionKindOf(record)!,
      subjectDid: record.subject.did ?? null,
      subjectPostUri: record.subject.post?.uri ?? null,
      reason: record.reason ?? null,
      createdBy: record.createdBy ?? null,
      expiresAt: record.expiresAt ? new Date(record.expiresAt) : null,
      createdAt: new Date(record.createdAt),
      seenAt: new Date(Math.floor(timeUs / 1000)),
      indexedAt: now,
    };
    const [previous] = await tx
      .select({ did: modActions.subjectDid, postUri: modActions.subjectPostUri })
      .from(modActions)
      .where(and(eq(modActions.did, did), eq(modActions.rkey, rkey)));
    await tx
      .insert(modActions)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({
        target: [modActions.did, modActions.rkey],
        // The time of the version the row holds, as posts.seen_at.
        set: {
          ...values,
          seenAt: sql`case when ${modActions.cid} = excluded.cid and ${modActions.seenAt} < excluded.seen_at then ${modActions.seenAt} else excluded.seen_at end`,
        },
      });
    // An edit may move the action to another subject: both get recomputed.
    if (previous) await applyEffects(ctx, previous);
    const subject = { did: values.subjectDid, postUri: values.subjectPostUri };
    await applyEffects(ctx, subject);
    // Off (NOTIFICATIONS=off), not even the post the notice would link is looked up.
    if (ctx.notices)
      ctx.notices.set(recordUri(did, ids.modAction, rkey), await noticeOf(ctx, values.action, subject, values));
  },
  async remove(ctx, { did, rkey }) {
    const { modActions } = ctx.schema;
    ctx.notices?.set(recordUri(did, ids.modAction, rkey), null);
    const [removed] = await ctx.tx
      .delete(modActions)
      .where(and(eq(modActions.did, did), eq(modActions.rkey, rkey)))
      .returning({ did: modActions.subjectDid, postUri: modActions.subjectPostUri });
    if (removed) await applyEffects(ctx, removed);
  },
};
