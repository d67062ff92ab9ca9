// What a causing record says about whom it concerns, gathered over a batch
// (ApplyContext.notices) and applied before it commits (notifications.ts).
export const NOTIFICATION_KINDS = ["post_reply", "topic_reply", "quote", "mention", "moderation"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What one causing record says about whom it concerns; the mentioned handles are resolved for the batch at once. */
export interface NoticeDraft {
  actorDid: string;
  postId: number | null;
  createdAt: Date;
  /** Recipients the record names, most specific first (a member hears of a record once). */
  direct: { recipientDid: string; kind: NotificationKind; action?: string }[];
  mentionedHandles: string[];
  /** The record was not held before this batch, so no notification of it is either. */
  firstSeen?: boolean;
}

/** Causing records of this batch, by URI: the latest draft of each, or null once it is gone. */
export type Notices = Map<string, NoticeDraft | null>;
