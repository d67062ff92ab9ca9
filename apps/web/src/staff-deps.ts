// What the moderation pages need from the AppView, in the pages' own words:
// what a member may do (to show only the buttons that will work), and the
// moderators' actions themselves. The actions check everything again.
/** What the member logged in may moderate, as GET /api/auth/session's capabilities say. */
export interface StaffCapabilities {
  canHidePosts: boolean;
  canLock: boolean;
  canPin: boolean;
  canBan: boolean;
}

export type ModVerb = "hide" | "unhide" | "lock" | "unlock" | "pin" | "unpin" | "ban" | "unban";

/** What an action names: a member by DID, a topic or any post by its id here. */
export type ModTarget = { member: string } | { topicId: number } | { postId: number };

export interface StaffActions {
  capabilities(did: string): Promise<StaffCapabilities>;
  /** One moderator's action, written by the forum account; refused with the API's reason. */
  moderate(
    did: string,
    verb: ModVerb,
    target: ModTarget,
    input: { reason?: string; expiresAt?: string },
  ): Promise<{ ok: true; alreadyActive: boolean } | { ok: false; status: number; code: string; message: string }>;
}
