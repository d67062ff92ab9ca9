// The space.atbb.modAction record a moderator's decision becomes, written by
// the forum account and carrying the moderator who took it (createdBy), in
// atBB's published form (the action as a full token). Resolving a report
// builds its hide or ban here; the moderation routes build the same records.
import { type ids, modActionToken, type ModActionKind, type PublishedRecordTypes, type StrongRef } from "@atbb/lexicon";

export type ModActionRecord = PublishedRecordTypes[typeof ids.modAction];

/** A ban or unban names a member; every other action names a post, in the version acted on. */
export type ModActionSubject = { did: string } | { post: StrongRef };

export function modActionRecord(
  kind: ModActionKind,
  subject: ModActionSubject,
  moderatorDid: string,
  options: { reason?: string; expiresAt?: Date } = {},
): ModActionRecord {
  return {
    action: modActionToken(kind),
    subject: "did" in subject ? { did: subject.did } : { post: { uri: subject.post.uri, cid: subject.post.cid } },
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.expiresAt ? { expiresAt: options.expiresAt.toISOString() } : {}),
    createdBy: moderatorDid,
    createdAt: new Date().toISOString(),
  };
}
