// Moderation state is derived, never toggled: after any mod action arrives or
// is deleted, the subject's state is recomputed from the latest action of each
// pair (ban/unban, lock/unlock, delete/undelete, pin/unpin). Replays and out-of-order
// arrivals therefore converge on the same state.
import { parseRecordUri } from "@atbb/lexicon";
import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";
import { upsertUser } from "./users.ts";

type Pair = readonly [on: string, off: string];
export const BAN: Pair = ["ban", "unban"];
export const LOCK: Pair = ["lock", "unlock"];
export const DELETE: Pair = ["delete", "undelete"];
export const PIN: Pair = ["pin", "unpin"];

/** SQL: is the latest action of `pair` on this subject the "on" one? (false when none) */
export function latestIs(
  ctx: Pick<ApplyContext, "schema">,
  pair: Pair,
  subject: { did: string } | { postUri: string },
): SQL {
  const { modActions } = ctx.schema;
  const where =
    "did" in subject
      ? sql`${modActions.subjectDid} = ${subject.did}`
      : sql`${modActions.subjectPostUri} = ${subject.postUri}`;
  return sql`coalesce((select ${modActions.action} = ${pair[0]} from ${modActions}
    where ${where} and ${modActions.action} in (${pair[0]}, ${pair[1]})
    order by ${modActions.createdAt} desc, ${modActions.rkey} desc limit 1), false)`;
}

/** SQL: when the network saw the lock in effect on this post, or null when the latest of lock/unlock is not a lock. */
export function lockedSince(ctx: Pick<ApplyContext, "schema">, postUri: string): SQL {
  const { modActions } = ctx.schema;
  return sql`(select case when ${modActions.action} = ${LOCK[0]} then ${modActions.seenAt} end from ${modActions}
    where ${modActions.subjectPostUri} = ${postUri} and ${modActions.action} in (${LOCK[0]}, ${LOCK[1]})
    order by ${modActions.createdAt} desc, ${modActions.rkey} desc limit 1)`;
}

export interface ModerationState {
  banned: boolean;
  deletedByMod: boolean;
  locked: boolean;
  /** When the network saw the lock in effect (null when not locked): replies it saw later are hidden. */
  lockedAt: Date | null;
  pinned: boolean;
}

/**
 * latestIs for every post of a run at once: the moderation state of each
 * (author, post uri), from one query over the mod actions that name any of
 * them. The same rule: the latest action of each pair wins, by created_at,
 * then rkey.
 */
export async function moderationOf(
  ctx: Pick<ApplyContext, "tx" | "schema">,
  posts: { did: string; uri: string }[],
): Promise<(post: { did: string; uri: string }) => ModerationState> {
  const { tx, schema } = ctx;
  const { modActions } = schema;
  const actions = await tx
    .select({
      action: modActions.action,
      did: modActions.subjectDid,
      postUri: modActions.subjectPostUri,
      createdAt: modActions.createdAt,
      rkey: modActions.rkey,
      seenAt: modActions.seenAt,
    })
    .from(modActions)
    .where(
      or(
        and(
          inArray(modActions.subjectDid, [...new Set(posts.map((p) => p.did))]),
          inArray(modActions.action, [...BAN]),
        ),
        and(
          inArray(
            modActions.subjectPostUri,
            posts.map((p) => p.uri),
          ),
          inArray(modActions.action, [...LOCK, ...DELETE, ...PIN]),
        ),
      ),
    );
  // Oldest first, so the last one written to each map is the latest.
  actions.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.rkey < b.rkey ? -1 : a.rkey > b.rkey ? 1 : 0),
  );
  const latest = new Map<string, { action: string; seenAt: Date | null }>();
  const pairOf = (action: string) => [BAN, LOCK, DELETE, PIN].find((pair) => pair.includes(action))!;
  for (const { action, did, postUri, seenAt } of actions)
    latest.set(`${pairOf(action)[0]} ${did ?? postUri}`, { action, seenAt });
  return ({ did, uri }) => {
    const lock = latest.get(`${LOCK[0]} ${uri}`);
    const locked = lock?.action === LOCK[0];
    return {
      banned: latest.get(`${BAN[0]} ${did}`)?.action === BAN[0],
      deletedByMod: latest.get(`${DELETE[0]} ${uri}`)?.action === DELETE[0],
      locked,
      lockedAt: locked ? lock!.seenAt : null,
      pinned: latest.get(`${PIN[0]} ${uri}`)?.action === PIN[0],
    };
  };
}

export async function recomputeBan(ctx: ApplyContext, did: string): Promise<void> {
  const { tx, schema } = ctx;
  const { modActions, posts } = schema;
  const [latest] = await tx
    .select({ action: modActions.action, expiresAt: modActions.expiresAt })
    .from(modActions)
    .where(and(eq(modActions.subjectDid, did), inArray(modActions.action, [...BAN])))
    .orderBy(desc(modActions.createdAt), desc(modActions.rkey))
    .limit(1);
  const banned = latest?.action === BAN[0];
  await tx
    .update(posts)
    .set({ bannedByMod: banned })
    .where(and(eq(posts.did, did), sql`${posts.bannedByMod} <> ${banned}`));
  await upsertUser(ctx, did, { banExpiresAt: banned ? (latest?.expiresAt ?? null) : null });
}

export async function recomputePostModeration(ctx: ApplyContext, postUri: string): Promise<void> {
  const { tx, schema, dirtyTopics } = ctx;
  const { posts } = schema;
  const target = parseRecordUri(postUri);
  if (!target) return;
  const changed = await tx
    .update(posts)
    .set({
      locked: latestIs(ctx, LOCK, { postUri }),
      lockedAt: lockedSince(ctx, postUri),
      deletedByMod: latestIs(ctx, DELETE, { postUri }),
      // Only a topic is pinned: a pin naming a reply changes nothing.
      pinned: sql`(${posts.rootUri} is null and ${latestIs(ctx, PIN, { postUri })})`,
    })
    .where(and(eq(posts.did, target.did), eq(posts.rkey, target.rkey)))
    .returning({ id: posts.id, rootId: posts.rootId });
  // A reply's removal changes its topic's counts; a lock changes which replies count.
  for (const post of changed) dirtyTopics.add(post.rootId ?? post.id);
}
