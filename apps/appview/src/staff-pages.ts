// The moderators' side of the pages: capabilities from the same permission
// checks as GET /api/auth/session, actions through the same moderation()
// the API's /api/moderation routes call. No HTTP hop.
import type { DatabaseHandle } from "@atbb/db";
import type { StaffActions } from "@atbb/web";
import type { ForumWriter } from "./forum-agent/writer.ts";
import { moderation } from "./moderation/moderate.ts";
import { capabilitiesOf, standingOf } from "./permissions.ts";
import { Refusal } from "./writing/posts.ts";

export function staffActions(
  database: DatabaseHandle,
  forumDid: string,
  forumWriter: (() => Promise<ForumWriter>) | null,
): StaffActions {
  const moderating = moderation(database, forumDid, forumWriter);
  return {
    async capabilities(did) {
      // Moderating needs no ban check: a ban stops writing posts, not the role's permissions.
      const { canHidePosts, canLock, canPin, canBan } = capabilitiesOf(
        await standingOf({ ...database, forumDid }, did),
        { banned: false },
      );
      return { canHidePosts, canLock, canPin, canBan };
    },
    async moderate(did, verb, target, input) {
      try {
        const { alreadyActive } = await moderating.act(did, verb, target, input);
        return { ok: true, alreadyActive };
      } catch (error) {
        if (error instanceof Refusal)
          return { ok: false, status: error.status, code: error.code, message: error.message };
        throw error;
      }
    },
  };
}
