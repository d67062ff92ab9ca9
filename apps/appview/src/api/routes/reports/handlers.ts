import type { DatabaseHandle } from "@atbb/db";
import { ids, recordUri } from "@atbb/lexicon";
import type { MemberAccess } from "../../../login/access.ts";
import { moderation } from "../../../moderation/moderate.ts";
import { PERMISSION } from "../../../permissions.ts";
import { reportStore, type Resolution } from "../../../reports/reports.ts";
import { writeLimiter } from "../../../writing/limits.ts";
import { forumActing, type ForumWriterSource } from "../../acting.ts";
import { NewReport, ReportResolution, serializeReport } from "../../bodies/reports.ts";
import { ApiError, notFound } from "../../errors.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

const RESOLVED_AS: Record<"dismiss" | "hide" | "ban", Resolution> = {
  dismiss: "dismissed",
  hide: "hidden",
  ban: "banned",
};

export function reportRoutes(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  const store = reportStore(database);
  const acting = forumActing(database, access, forumWriter);
  const moderating = moderation(database, access?.forumDid ?? null, forumWriter);
  // Counted apart from posting, with the same per-minute allowance.
  const limiter = writeLimiter(access?.writesPerMinute ?? 0);
  const page = (rows: Awaited<ReturnType<typeof store.queue>>, offset: number, limit: number) => ({
    reports: rows.rows.map(serializeReport),
    total: rows.total,
    offset,
    limit,
  });
  const app = resource();

  mount(app, routes.file, async (c, { params: { id } }) => {
    const { did } = await requireMember(c, access);
    const { reason, text = "" } = parse(NewReport, await jsonBody(c));
    const post = await store.post(id);
    if (!post) throw notFound(`Post ${id}`);
    if ((await store.openReportOf(did, post)) !== null)
      throw new ApiError(
        409,
        "already_reported",
        "You have reported this post already; the moderators will look at it.",
      );
    const wait = limiter.wait(did);
    if (wait > 0) {
      c.header("retry-after", String(wait));
      throw new ApiError(429, "rate_limited", `You are reporting too fast: wait ${wait} s and try again.`);
    }
    const filed = await store.file(did, post, reason, text);
    limiter.count(did);
    return c.json({ id: String(filed), status: "open" as const }, 201);
  });

  mount(app, routes.queue, async (c, { query: { offset, limit } }) => {
    await acting.actor(c, PERMISSION.moderatePosts, "read the reports");
    return c.json(page(await store.queue(offset, limit), offset, limit), 200);
  });

  mount(app, routes.mine, async (c, { query: { offset, limit } }) => {
    const { did } = await requireMember(c, access);
    return c.json(page(await store.byReporter(did, offset, limit), offset, limit), 200);
  });

  mount(app, routes.resolve, async (c, { params: { id } }) => {
    const moderator = await acting.actor(c, PERMISSION.moderatePosts, "resolve reports");
    const { action, reason } = parse(ReportResolution, await jsonBody(c));
    const found = await store.one(id);
    if (!found) throw notFound(`Report ${id}`);
    if (found.report.resolution !== null)
      throw new ApiError(
        409,
        "already_resolved",
        `Report ${id} was resolved already (${found.report.resolution}, by ${found.report.resolvedBy}); nothing was written.`,
      );
    let modActionUri: string | null = null;
    if (action !== "dismiss") {
      const postId = found.post?.id;
      if (postId === undefined || postId === null)
        throw new ApiError(
          409,
          "post_gone",
          "The reported post is no longer indexed here; dismiss the report instead.",
        );
      // Moderation judges the permission, the hierarchy and whether the hide or ban holds already
      // (then nothing is written, and the report is resolved all the same).
      const { modAction } = await moderating.act(
        moderator.did,
        action,
        action === "ban" ? { member: found.report.postDid } : { postId },
        { reason },
      );
      modActionUri = modAction ? recordUri(modAction.did, ids.modAction, modAction.rkey) : null;
    }
    // Two moderators at once: the first resolution stands (the other's action, if any, is in the log).
    if (!(await store.resolve(id, RESOLVED_AS[action], moderator.did, modActionUri)))
      throw new ApiError(409, "already_resolved", `Report ${id} was resolved by someone else a moment ago.`);
    return c.json(serializeReport((await store.one(id))!), 200);
  });

  return app;
}
