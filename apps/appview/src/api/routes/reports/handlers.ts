import type { DatabaseHandle } from "@atbb/db";
import type { MemberAccess } from "../../../login/access.ts";
import { PERMISSION } from "../../../permissions.ts";
import type { Reporting } from "../../../reports/reporting.ts";
import { forumActing, type ForumWriterSource } from "../../acting.ts";
import { NewReport, ReportResolution, serializeReport } from "../../bodies/reports.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

export function reportRoutes(
  database: DatabaseHandle,
  access: MemberAccess | null,
  forumWriter: ForumWriterSource,
  reports: Reporting,
) {
  const { store } = reports;
  const acting = forumActing(database, access, forumWriter);
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
    const filed = await reports.file(did, id, reason, text);
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
    return c.json(serializeReport(await reports.resolve(moderator.did, id, action, reason)), 200);
  });

  return app;
}
