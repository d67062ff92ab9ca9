// A member's notifications: the list (newest first, by pages) and "mark all
// read", a plain form (303 back to the list), so it works without JavaScript.
// On a forum that keeps none (NOTIFICATIONS=off) both addresses say so.
import type { Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { MemberActions, MemberNotifications, WebDeps } from "./deps.ts";
import { frameOf } from "./frame.ts";
import { NotificationsPage, NOTIFICATIONS_PAGE_SIZE } from "./pages/notifications.tsx";
import { NotFoundPage } from "./pages/problems.tsx";
import { offsetOf, paging } from "./paging.tsx";
import { idOf, TOPIC_PAGE_SIZE } from "./read-routes.tsx";
import { fromOrigin, validCsrfToken } from "./security.ts";
import type { StaticFiles } from "./static-files.ts";

export function notificationRoutes(
  app: Hono,
  deps: WebDeps,
  members: MemberActions,
  notifications: MemberNotifications,
  files: StaticFiles,
): void {
  const { refused } = pageAnswers(deps, files);

  app.get("/notifications", async (c) => {
    const frame = await frameOf(c, deps, files);
    if (!frame.viewer) return c.redirect("/login", 303);
    const first = await notifications.page(frame.viewer.did, 0, 0);
    const at = paging(c.req.query("page"), first.total, NOTIFICATIONS_PAGE_SIZE);
    if (!at) return c.html(<NotFoundPage frame={frame} what="There is no such page." />, 404);
    const page = await notifications.page(frame.viewer.did, offsetOf(at.page, at.size), at.size);
    return c.html(
      <NotificationsPage
        frame={frame}
        notifications={page.notifications}
        paging={at}
        topicPageSize={TOPIC_PAGE_SIZE}
      />,
    );
  });

  app.post("/notifications/read", async (c) => {
    if (!fromOrigin(c.req.header("origin"), members.origin))
      return refused(c, 403, "This form did not come from the forum's own pages: open the page again and resend it.");
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const form = await c.req.parseBody();
    if (!validCsrfToken(viewer.sessionId, form.csrf))
      return refused(c, 403, "This form's token does not match your login: open the page again and resend it.");
    const upTo = typeof form.upTo === "string" ? idOf(form.upTo) : null;
    if (upTo === null)
      return refused(c, 400, "This form does not say which notifications it marks: open the page again and resend it.");
    await notifications.markRead(viewer.did, String(upTo));
    return c.redirect("/notifications", 303);
  });
}

/** A forum that keeps no notifications: an old link or bookmark learns why there is nothing here. */
export function notificationsOffRoutes(app: Hono, deps: WebDeps, files: StaticFiles): void {
  const { notFound } = pageAnswers(deps, files);
  const off = (c: Parameters<typeof notFound>[0]) => notFound(c, "Notifications are off on this forum.");
  app.get("/notifications", off);
  app.post("/notifications/read", off);
}
