// Why an event is not applied. Every rejection is counted by its reason
// (GET /api/health) and logged once with its detail; docs/indexer.md lists them.

export const REJECT_REASONS = [
  "invalid_json",
  "invalid_envelope",
  "unsupported_did",
  "unknown_kind",
  "unknown_collection",
  "invalid_operation",
  "invalid_rkey",
  "invalid_cid",
  "invalid_record",
  "not_forum_owner",
  "bad_reference",
  "database_error",
  "unverified_commit",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  detail: string;
  /** The event's time (µs) when it could be read: a rejected event still moves a Jetstream cursor. */
  timeUs: number | null;
  did?: string;
  collection?: string;
  rkey?: string;
}
