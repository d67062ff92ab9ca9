// Reports of posts: what a member files, what moderators see and decide.
import { z } from "@hono/zod-openapi";
import { REPORT_REASONS, RESOLUTIONS, type ReportRow } from "../../reports/reports.ts";
import { graphemes } from "../../writing/limits.ts";
import { AtUri, Id, iso, Timestamp } from "./time.ts";

/** What a reporter may write to the moderators, in graphemes. */
export const REPORT_TEXT_MAX = 1000;

export const NewReport = z
  .strictObject({
    reason: z.enum(REPORT_REASONS).describe("Why: spam, harassment, off_topic, illegal or other"),
    text: z
      .string()
      .max(REPORT_TEXT_MAX * 10)
      .refine((t) => graphemes(t) <= REPORT_TEXT_MAX, `is longer than ${REPORT_TEXT_MAX} characters: shorten it`)
      .optional()
      .describe(
        `What the moderators should know, up to ${REPORT_TEXT_MAX} characters; needed when the reason is other`,
      ),
  })
  .refine((r) => r.reason !== "other" || (r.text ?? "").trim() !== "", {
    message: "is needed when the reason is other: say what is wrong",
    path: ["text"],
  })
  .openapi("NewReport");

export const ReportResolution = z
  .strictObject({
    action: z
      .enum(["dismiss", "hide", "ban"])
      .describe(
        "dismiss: nothing done; hide: the post is hidden (moderatePosts); ban: its author is banned (banUsers)",
      ),
    reason: z
      .string()
      .max(30000)
      .refine((t) => graphemes(t) <= 3000, "is longer than 3000 characters: shorten it")
      .optional()
      .describe("Shown in the public moderation log with the hide or ban"),
  })
  .openapi("ReportResolution");

const ReportedPost = z
  .strictObject({
    id: Id.nullable().describe("null once the post is gone from this AppView"),
    uri: AtUri,
    cid: z.string().describe("The version reported"),
    author: z.strictObject({ did: z.string(), handle: z.string().nullable() }),
    title: z.string().nullable(),
    text: z.string().nullable().describe("As indexed now, shown to moderators even when hidden"),
    hidden: z.enum(["deleted_by_author", "removed_by_moderator"]).nullable(),
  })
  .openapi("ReportedPost");

export const Report = z
  .strictObject({
    id: Id,
    reporterDid: z.string(),
    reason: z.enum(REPORT_REASONS),
    text: z.string(),
    createdAt: Timestamp,
    status: z.enum(["open", ...RESOLUTIONS]),
    resolvedBy: z.string().nullable().describe("The moderator who resolved it"),
    resolvedAt: Timestamp.nullable(),
    modActionUri: AtUri.nullable().describe(
      "The moderation record the resolution wrote (none for a dismissal, nor when the post was hidden or its author banned already)",
    ),
    post: ReportedPost,
  })
  .openapi("Report");

export const FiledReport = z.strictObject({ id: Id, status: z.literal("open") }).openapi("FiledReport");

export function serializeReport({ report, post }: ReportRow): z.input<typeof Report> {
  return {
    id: String(report.id),
    reporterDid: report.reporterDid,
    reason: report.reason as z.infer<typeof Report>["reason"],
    text: report.text,
    createdAt: iso(report.createdAt),
    status: (report.resolution ?? "open") as z.infer<typeof Report>["status"],
    resolvedBy: report.resolvedBy,
    resolvedAt: iso(report.resolvedAt),
    modActionUri: report.modActionUri,
    post: {
      id: post ? String(post.id) : null,
      uri: `at://${report.postDid}/space.atbb.post/${report.postRkey}`,
      cid: report.postCid,
      author: { did: report.postDid, handle: post?.handle ?? null },
      title: post?.title ?? null,
      text: post?.text ?? null,
      hidden: post?.deletedByUser ? "deleted_by_author" : post?.deletedByMod ? "removed_by_moderator" : null,
    },
  };
}
