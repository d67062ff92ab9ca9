// The report pages: /p/{id}/report shows the form and takes it, then goes
// back to the post with a notice; /reports is the moderators' queue and each
// report's resolution is posted to /reports/{id}/resolution; /reports/mine
// is a member's own reports. Every post passes the forms' one check first;
// the AppView checks the permission, the limits and the hierarchy again.
import type { Context, Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { MemberActions, Viewer, WebDeps } from "./deps.ts";
import { formPosts, safeBack } from "./form-posts.tsx";
import { offsetOf, paging } from "./paging.tsx";
import {
  MyReportsPage,
  queueHref,
  type ReportForm,
  ReportPostPage,
  ReportQueuePage,
  type ResolveProblem,
} from "./pages/reports.tsx";
import { idOf } from "./read-routes.tsx";
import type { ReportActions, ResolveAction } from "./report-deps.ts";
import type { StaticFiles } from "./static-files.ts";

const QUEUE_PAGE_SIZE = 50;
const MINE_SHOWN = 100;
const RESOLVE_ACTIONS: ResolveAction[] = ["dismiss", "hide", "ban"];

/** The page to go back to, with the notice that the report was sent (before its #anchor). */
export function withReportedNotice(back: string): string {
  const [path, anchor] = back.split("#", 2) as [string, string | undefined];
  const joined = `${path}${path.includes("?") ? "&" : "?"}reported=1`;
  return anchor === undefined ? joined : `${joined}#${anchor}`;
}

export function reportRoutes(
  app: Hono,
  deps: WebDeps,
  members: MemberActions,
  reports: ReportActions,
  files: StaticFiles,
): void {
  const { reads } = deps;
  const { page, notFound, refused } = pageAnswers(deps, files);
  const posted = formPosts(deps, members, files);
  const reportForm = (c: Context, viewer: Viewer, form: ReportForm, problem: string | null, status = 200) =>
    page(
      c,
      (f) => (
        <ReportPostPage
          frame={f}
          viewer={viewer}
          form={form}
          reasons={reports.reasons}
          textLimit={reports.textLimit}
          problem={problem}
        />
      ),
      status,
    );

  /** The post the address names, or null when there is none here. */
  const reportedPost = async (c: Context) => {
    const id = idOf(c.req.param("id") ?? "");
    return id === null || !(await reads.ownPost(id)) ? null : id;
  };

  app.get("/p/:id/report", async (c) => {
    const id = await reportedPost(c);
    if (id === null) return notFound(c, "There is no such post.");
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const form = { postId: String(id), back: safeBack(c.req.query("back")), reason: reports.reasons[0]!, text: "" };
    return reportForm(c, viewer, form, null);
  });

  app.post("/p/:id/report", async (c) => {
    const post = await posted(c);
    if (post instanceof Response) return post;
    const id = await reportedPost(c);
    if (id === null) return notFound(c, "There is no such post.");
    const form = {
      postId: String(id),
      back: safeBack(post.form.back),
      reason: post.form.reason ?? "",
      text: post.form.text ?? "",
    };
    const filed = await reports.file(post.viewer.did, id, { reason: form.reason, text: form.text });
    if (filed.ok) return c.redirect(withReportedNotice(form.back), 303);
    return reportForm(c, post.viewer, form, filed.message, filed.status);
  });

  /** The queue's page as the moderator asked for it, or the answer that says why not. */
  async function queuePage(c: Context, viewer: Viewer, problem: ResolveProblem | null, status = 200) {
    const first = await reports.queue(viewer.did, 0, 0);
    if (!first.ok) return refused(c, first.status, first.message);
    const at = paging(c.req.query("page"), first.total, QUEUE_PAGE_SIZE);
    if (!at) return notFound(c, "There is no such page of reports.");
    const [list, may] = await Promise.all([
      reports.queue(viewer.did, offsetOf(at.page, at.size), at.size),
      deps.staff?.capabilities(viewer.did) ?? null,
    ]);
    if (!list.ok) return refused(c, list.status, list.message);
    // Only the buttons the role allows (a moderator who may not ban sees no "Ban author").
    const actions = RESOLVE_ACTIONS.filter(
      (action) => action === "dismiss" || (action === "hide" ? may?.canHidePosts : may?.canBan),
    );
    return page(
      c,
      (f) => <ReportQueuePage frame={f} viewer={viewer} list={list} paging={at} actions={actions} problem={problem} />,
      status,
    );
  }

  app.get("/reports", async (c) => {
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    return queuePage(c, viewer, null);
  });

  app.post("/reports/:id/resolution", async (c) => {
    const post = await posted(c);
    if (post instanceof Response) return post;
    const id = idOf(c.req.param("id"));
    if (id === null) return notFound(c, "There is no such report.");
    const note = post.form.note ?? "";
    const done = await reports.resolve(post.viewer.did, id, { action: post.form.action ?? "", note });
    if (done.ok) return c.redirect(`${queueHref(1)}#report-${id}`, 303);
    // Beside the report's note; without the permission to read the queue, the queue's own refusal instead.
    return queuePage(c, post.viewer, { reportId: String(id), note, message: done.message }, done.status);
  });

  app.get("/reports/mine", async (c) => {
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const list = await reports.mine(viewer.did, 0, MINE_SHOWN);
    return page(c, (f) => <MyReportsPage frame={f} list={list} />);
  });
}
