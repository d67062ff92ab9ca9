// What members and moderators do with reports, said once for the API's
// handlers and the pages alike: filing one (one open report per member and
// post, counted by the same per-minute allowance wherever it is filed),
// reading the queue (moderatePosts), and resolving one through moderation's
// `act`, which judges the permission and the hierarchy before anything is
// written.
import type { DatabaseHandle } from "@atbb/db";
import { ids, recordUri } from "@atbb/lexicon";
import type { ForumWriter } from "../forum-agent/writer.ts";
import { moderation } from "../moderation/moderate.ts";
import { permits, PERMISSION, refuseUnlessPermitted, standingOf } from "../permissions.ts";
import type { writeLimiter } from "../writing/limits.ts";
import { Refusal } from "../writing/refusal.ts";
import { reportStore, type ReportReason, type ReportRow, type Resolution } from "./reports.ts";

export type ResolveAction = "dismiss" | "hide" | "ban";

const RESOLVED_AS: Record<ResolveAction, Resolution> = {
  dismiss: "dismissed",
  hide: "hidden",
  ban: "banned",
};

export function reporting(
  database: DatabaseHandle,
  forumDid: string | null,
  forumWriter: (() => Promise<ForumWriter>) | null,
  limiter: ReturnType<typeof writeLimiter>,
) {
  const store = reportStore(database);
  const moderating = moderation(database, forumDid, forumWriter);
  const standing = (did: string) => standingOf({ ...database, forumDid: forumDid ?? "" }, did);

  return {
    store,

    /** Whether the member may read the queue and resolve reports (the grants' moderatePosts). */
    async mayResolve(did: string): Promise<boolean> {
      return forumDid !== null && permits(await standing(did), PERMISSION.moderatePosts);
    },

    /** A 403 refusal unless the member may read the queue and resolve reports. */
    async requireResolver(did: string, what: string): Promise<void> {
      refuseUnlessPermitted(await standing(did), PERMISSION.moderatePosts, what);
    },

    /** Files the member's report of a post; refused when the post is unknown, reported already, or too fast. */
    async file(did: string, postId: number, reason: ReportReason, text: string): Promise<number> {
      const post = await store.post(postId);
      if (!post) throw new Refusal(404, "not_found", `Post ${postId} was not found.`);
      if ((await store.openReportOf(did, post)) !== null)
        throw new Refusal(
          409,
          "already_reported",
          "You have reported this post already; the moderators will look at it.",
        );
      const wait = limiter.wait(did);
      if (wait > 0)
        throw new Refusal(429, "rate_limited", `You are reporting too fast: wait ${wait} s and try again.`, wait);
      const filed = await store.file(did, post, reason, text);
      limiter.count(did);
      return filed;
    },

    /** Resolves an open report as `moderatorDid`; the hide or ban goes through moderation's checks. */
    async resolve(moderatorDid: string, id: number, action: ResolveAction, reason?: string): Promise<ReportRow> {
      const found = await store.one(id);
      if (!found) throw new Refusal(404, "not_found", `Report ${id} was not found.`);
      if (found.report.resolution !== null)
        throw new Refusal(
          409,
          "already_resolved",
          `Report ${id} was resolved already (${found.report.resolution}, by ${found.report.resolvedBy}); nothing was written.`,
        );
      let modActionUri: string | null = null;
      if (action !== "dismiss") {
        const postId = found.post?.id;
        if (postId === undefined || postId === null)
          throw new Refusal(
            409,
            "post_gone",
            "The reported post is no longer indexed here; dismiss the report instead.",
          );
        // Moderation judges the permission, the hierarchy and whether the hide or ban holds already
        // (then nothing is written, and the report is resolved all the same).
        const { modAction } = await moderating.act(
          moderatorDid,
          action,
          action === "ban" ? { member: found.report.postDid } : { postId },
          reason === undefined ? {} : { reason },
        );
        modActionUri = modAction ? recordUri(modAction.did, ids.modAction, modAction.rkey) : null;
      }
      // Two moderators at once: the first resolution stands (the other's action, if any, is in the log).
      if (!(await store.resolve(id, RESOLVED_AS[action], moderatorDid, modActionUri)))
        throw new Refusal(409, "already_resolved", `Report ${id} was resolved by someone else a moment ago.`);
      return (await store.one(id))!;
    },
  };
}

export type Reporting = ReturnType<typeof reporting>;
