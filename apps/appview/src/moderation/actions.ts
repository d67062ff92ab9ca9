// The moderation actions as the forum account writes them, for the operator's
// `atbb mod` and for moderators' routes alike: space.atbb.modAction records
// with the action as a token (as atBB publishes them), naming the member by
// DID or the post by the version of it this AppView has indexed. hide/unhide
// are the lexicon's delete/undelete: the post stays in its author's
// repository, the forum stops showing it.
import type { DatabaseHandle } from "@atbb/db";
import { ids, modActionToken, type ModActionKind, type PublishedRecordTypes } from "@atbb/lexicon";
import { recordUri } from "@atbb/lexicon/syntax";
import type { SQL } from "drizzle-orm";

/** The verbs moderators and operators say, and the action each writes. */
export const MOD_VERBS = {
  ban: "ban",
  unban: "unban",
  lock: "lock",
  unlock: "unlock",
  hide: "delete",
  unhide: "undelete",
  pin: "pin",
  unpin: "unpin",
} as const satisfies Record<string, ModActionKind>;
export type ModVerb = keyof typeof MOD_VERBS;

export const isModVerb = (verb: string): verb is ModVerb => Object.hasOwn(MOD_VERBS, verb);

/** Bans and unbans name a member; every other action names a post. */
export const actsOnMember = (verb: ModVerb) => verb === "ban" || verb === "unban";

/** A post as an action names it: the version indexed here (a strongRef). */
export interface PostRef {
  uri: string;
  cid: string;
}

export type ModSubject = { did: string } | { post: PostRef };

/** The indexed version of the post `where` picks, or null when none is indexed. */
export async function indexedPost(
  { db, schema }: DatabaseHandle,
  where: SQL | undefined,
): Promise<(PostRef & { id: number; did: string; rootUri: string | null; deletedByUser: boolean }) | null> {
  const { posts } = schema;
  const [row] = await db
    .select({
      id: posts.id,
      did: posts.did,
      rkey: posts.rkey,
      cid: posts.cid,
      rootUri: posts.rootUri,
      deletedByUser: posts.deletedByUser,
    })
    .from(posts)
    .where(where);
  if (!row) return null;
  return { ...row, uri: recordUri(row.did, ids.post, row.rkey) };
}

export interface ModActionDetails {
  reason?: string | undefined;
  /** Bans only: when the ban ends (ISO 8601). */
  expiresAt?: string | undefined;
  /** The moderator who acted, when one did (the operator's commands act as the forum itself). */
  createdBy?: string | undefined;
}

export function modActionRecord(
  verb: ModVerb,
  subject: ModSubject,
  { reason, expiresAt, createdBy }: ModActionDetails,
  now = new Date(),
): PublishedRecordTypes[typeof ids.modAction] {
  return {
    action: modActionToken(MOD_VERBS[verb]),
    subject: "did" in subject ? { did: subject.did } : { post: subject.post },
    ...(reason ? { reason } : {}),
    ...(createdBy ? { createdBy } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    createdAt: now.toISOString(),
  };
}
