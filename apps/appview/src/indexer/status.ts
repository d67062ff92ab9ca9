import type { UnpublishedForm } from "@atbb/lexicon";
import type { RejectReason } from "../events/index.ts";

/** What the health endpoint and `atbb status` report about indexing. */
export interface IndexerStatus {
  connected: boolean;
  /** The last committed cursor (Jetstream time_us), or null before the first batch. */
  cursor: number | null;
  /** How far behind the network the committed cursor is, in milliseconds. */
  lagMs: number | null;
  applied: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** Records accepted in a form atBB does not publish (flat references, short action verbs…), by form. */
  unpublishedForms: Partial<Record<UnpublishedForm, number>>;
  /**
   * Membership records accepted that name a role: each a member's own claim,
   * ignored (roles come from the forum's grants). An operator sees claims arrive.
   */
  ignoredRoleClaims: number;
  /** Since when, and why, the database refuses the stream's writes; null while they go in. */
  failing: { since: string; error: string } | null;
}
