// Reports of posts: a logged-in member files one; moderators (moderatePosts)
// read the queue and resolve each, by dismissing it, hiding the post, or
// banning its author (banUsers too) through the forum account; a reporter
// sees only their own. Reports stay in this AppView's database.
import { createRoute, z } from "@hono/zod-openapi";
import { ErrorBody } from "../../bodies/errors.ts";
import { FiledReport, NewReport, Report, ReportResolution } from "../../bodies/reports.ts";
import { answer } from "../../resource.ts";
import { idParam, pageFields, pagination } from "../../validation.ts";
import { json, refusals } from "../structure/routes.ts";

const page = z.strictObject({ reports: z.array(Report), ...pageFields("Reports in all") });
const reading = { 400: refusals[400], 401: refusals[401] } as const;

export const file = createRoute({
  method: "post",
  path: "/posts/{id}/reports",
  summary: "Reports a post to the moderators (any logged-in member)",
  description:
    "Permission: none beyond a session. One open report per member and post; rate limited like posting. Kept in this AppView only, never written to a PDS.",
  request: { params: idParam, ...json(NewReport) },
  responses: {
    201: answer("The report, filed", FiledReport),
    ...reading,
    403: answer("A request from another site", ErrorBody),
    404: answer("No such post", ErrorBody),
    409: answer("The member has an open report of this post already", ErrorBody),
    429: answer("Reporting too fast: Retry-After says how many seconds to wait", ErrorBody),
  },
});

export const queue = createRoute({
  method: "get",
  path: "/reports",
  summary:
    "The moderators' queue: open reports first, oldest first, each with the post and its author (needs moderatePosts)",
  description: "Permission: space.atbb.permission.moderatePosts.",
  request: { query: pagination(50, 100) },
  responses: { 200: answer("A page of the queue", page), ...reading, 403: refusals[403] },
});

export const mine = createRoute({
  method: "get",
  path: "/reports/mine",
  summary: "The member's own reports, newest first, with what became of each",
  description: "Permission: none beyond a session; nobody sees another member's reports here.",
  request: { query: pagination(50, 100) },
  responses: { 200: answer("A page of the member's reports", page), ...reading },
});

export const resolve = createRoute({
  method: "post",
  path: "/reports/{id}/resolution",
  summary: "Resolves a report: dismiss, hide the post, or ban its author (needs moderatePosts; a ban also banUsers)",
  description:
    "Permission: space.atbb.permission.moderatePosts, and space.atbb.permission.banUsers to ban. Hiding or banning is written by the forum account as a space.atbb.modAction with createdBy = the moderator, and only on an author whose role is below the moderator's. When the post is hidden or its author banned already, nothing is written and the report is resolved all the same.",
  request: { params: idParam, ...json(ReportResolution) },
  responses: {
    200: answer("The report, resolved", Report),
    ...refusals,
    403: answer(
      "The role does not permit it, the author's role is equal or higher, or a request from another site",
      ErrorBody,
    ),
    409: answer("Already resolved, or the post is gone; nothing was written", ErrorBody),
  },
});
