// What a member has read: the board's unread markers, the topic's "jump to
// first unread", and "mark board read". Reading a topic's page marks the posts
// it showed as read (only ever forward: an earlier page un-reads nothing).
import type { Context, Hono } from "hono";
import type { MemberActions, ReadMarks, WebDeps } from "./deps.ts";
import { frameOf } from "./frame.ts";
import { boardHref } from "./pages/board.tsx";
import { BadRequestPage, NotFoundPage } from "./pages/problems.tsx";
import { postHref, topicHref } from "./pages/topic.tsx";
import { idOf, TOPIC_PAGE_SIZE } from "./read-routes.tsx";
import { fromOrigin, validCsrfToken } from "./security.ts";
import type { StaticFiles } from "./static-files.ts";

export function readMarkRoutes(
  app: Hono,
  deps: WebDeps,
  members: MemberActions,
  marks: ReadMarks,
  files: StaticFiles,
): void {
  const refused = async (c: Context, status: number, message: string) =>
    c.html(<BadRequestPage frame={await frameOf(c, deps, files)} message={message} />, status as 400);
  const notFound = async (c: Context, what: string) =>
    c.html(<NotFoundPage frame={await frameOf(c, deps, files)} what={what} />, 404);

  // The board's "New" marker links here: the first post the member has not read.
  app.get("/t/:id/unread", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null || !(await deps.reads.topic(id, 0, 0))) return notFound(c, "There is no such topic.");
    const viewer = await members.viewer(c);
    const first = viewer ? await marks.firstUnread(viewer.did, String(id)) : null;
    return c.redirect(first === null ? topicHref(String(id)) : postHref(String(id), first, TOPIC_PAGE_SIZE), 303);
  });

  app.post("/b/:id/read", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null || !(await deps.reads.board(id, 0, 0))) return notFound(c, "There is no such board.");
    if (!fromOrigin(c.req.header("origin"), members.origin))
      return refused(c, 403, "This form did not come from the forum's own pages: open the page again and resend it.");
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const form = await c.req.parseBody();
    if (!validCsrfToken(viewer.sessionId, form.csrf))
      return refused(c, 403, "This form's token does not match your login: open the page again and resend it.");
    await marks.boardRead(viewer.did, String(id));
    return c.redirect(boardHref(String(id)), 303);
  });
}
