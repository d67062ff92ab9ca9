// atBB's pages, mounted by `atbb serve` at / beside the API (under /api).
// webRoutes(deps) makes them from what the AppView passes in (deps.ts); the
// AppView imports this package, never the other way round.
import { Hono, type Context } from "hono";
import { compress } from "hono/compress";
import { adminRoutes } from "./admin-routes.tsx";
import type { WebDeps } from "./deps.ts";
import { feedRoutes } from "./feeds.tsx";
import { frameOf } from "./frame.ts";
import { ErrorPage, NotFoundPage } from "./pages/problems.tsx";
import { notificationRoutes, notificationsOffRoutes } from "./notification-routes.tsx";
import { readMarkRoutes } from "./read-mark-routes.tsx";
import { readRoutes } from "./read-routes.tsx";
import { reportRoutes } from "./report-routes.tsx";
import { CONTENT_SECURITY_POLICY, pageHeaders } from "./security.ts";
import { staffRoutes } from "./staff-routes.tsx";
import { staticFiles } from "./static-files.ts";
import { writeRoutes } from "./write-routes.tsx";

export type * from "./deps.ts";
export type * from "./report-deps.ts";
export type * from "./staff-deps.ts";
export type * from "./admin-deps.ts";
export { CONTENT_SECURITY_POLICY } from "./security.ts";

export interface WebPages {
  routes: Hono;
  /** The not-found page, for any address neither the pages nor the API know. */
  notFound(c: Context): Promise<Response>;
  /** The error page, for a page that failed. */
  error(c: Context, error: unknown): Promise<Response>;
}

export function webRoutes(deps: WebDeps): WebPages {
  const app = new Hono();
  app.use(pageHeaders);
  app.use(compress());
  const files = staticFiles(app);
  readRoutes(app, deps, files);
  feedRoutes(app, deps, files);
  if (deps.members) writeRoutes(app, deps, deps.members, files);
  if (deps.members && deps.readMarks) readMarkRoutes(app, deps, deps.members, deps.readMarks, files);
  if (deps.members && deps.notifications) notificationRoutes(app, deps, deps.members, deps.notifications, files);
  else if (deps.members) notificationsOffRoutes(app, deps, files);
  if (deps.members && deps.staff) staffRoutes(app, deps, deps.members, deps.staff, files);
  if (deps.members && deps.reports) reportRoutes(app, deps, deps.members, deps.reports, files);
  if (deps.members && deps.admin) adminRoutes(app, deps, deps.members, deps.admin, files);
  const framed = async (c: Context) => {
    // The error page must show even when the database that names the forum is what failed.
    try {
      return await frameOf(c, deps, files);
    } catch {
      return {
        forumName: "atBB",
        viewer: null,
        canLogIn: false,
        canResolveReports: false,
        administers: false,
        files,
        path: new URL(c.req.url).pathname,
        unreadNotifications: null,
      };
    }
  };
  // These answer from the app's own fallbacks, outside the pages' middleware.
  const withPolicy = (c: Context) => {
    c.header("content-security-policy", CONTENT_SECURITY_POLICY);
    c.header("referrer-policy", "same-origin");
  };
  return {
    routes: app,
    async notFound(c) {
      withPolicy(c);
      return c.html(<NotFoundPage frame={await framed(c)} />, 404);
    },
    async error(c, error) {
      deps.onError(error, new URL(c.req.url).pathname);
      withPolicy(c);
      return c.html(<ErrorPage frame={await framed(c)} />, 500);
    },
  };
}
