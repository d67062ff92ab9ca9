// The report pages over this AppView: the same reporting service and the
// same request bodies as the API's /api/reports routes (so a form is held
// to the API's limits, in graphemes), and the same serialization. No HTTP hop.
import type { ReportActions, ReportView } from "@atbb/web";
import { NewReport, REPORT_TEXT_MAX, ReportResolution, serializeReport } from "./api/bodies/reports.ts";
import { ApiError } from "./api/errors.ts";
import { parse } from "./api/validation.ts";
import { REPORT_REASONS, type ReportRow } from "./reports/reports.ts";
import type { Reporting } from "./reports/reporting.ts";
import { Refusal } from "./writing/refusal.ts";

const viewOf = (row: ReportRow): ReportView => {
  const body = serializeReport(row);
  // A post gone from the index leaves only the report's own copy of its address: nothing to read it in.
  const topicId = row.post?.id ? String(row.post.rootId ?? row.post.id) : null;
  return { ...body, post: { ...body.post, topicId } } as ReportView;
};

/** A refusal as the pages show it; anything else is a failure and goes on up. */
async function outcome<T extends object>(action: () => Promise<T>) {
  try {
    return { ok: true as const, ...(await action()) };
  } catch (error) {
    if (error instanceof Refusal || error instanceof ApiError)
      return { ok: false as const, status: error.status, code: error.code, message: error.message };
    throw error;
  }
}

export function reportActions(reports: Reporting): ReportActions {
  const { store } = reports;
  return {
    reasons: REPORT_REASONS,
    textLimit: REPORT_TEXT_MAX,
    mayResolve: (did) => reports.mayResolve(did),
    file: (did, postId, input) =>
      outcome(async () => {
        const { reason, text = "" } = parse(NewReport, input);
        return { id: await reports.file(did, postId, reason, text) };
      }),
    queue: (did, offset, limit) =>
      outcome(async () => {
        await reports.requireResolver(did, "read the reports");
        const { rows, total } = await store.queue(offset, limit);
        return { total, reports: rows.map(viewOf) };
      }),
    async mine(did, offset, limit) {
      const { rows, total } = await store.byReporter(did, offset, limit);
      return { total, reports: rows.map(viewOf) };
    },
    resolve: (did, reportId, { action, note }) =>
      outcome(async () => {
        await reports.requireResolver(did, "resolve reports");
        const resolution = parse(ReportResolution, { action, ...(note.trim() ? { reason: note } : {}) });
        await reports.resolve(did, reportId, resolution.action, resolution.reason);
        return {};
      }),
  };
}
