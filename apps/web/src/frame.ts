// What every page's frame needs, asked once per request.
import type { Context } from "hono";
import type { WebDeps } from "./deps.ts";
import type { Frame } from "./layout.tsx";
import { administers } from "./pages/admin.tsx";
import type { StaticFiles } from "./static-files.ts";

/** The name shown before the forum record is indexed. */
const UNNAMED = "atBB";

export async function frameOf(c: Context, deps: WebDeps, files: StaticFiles): Promise<Frame> {
  const [forum, viewer] = await Promise.all([deps.reads.forum(), deps.members?.viewer(c) ?? null]);
  // The per-member lookups of every page, side by side.
  const [may, resolvesReports, unreadNotifications] = await Promise.all([
    viewer && deps.admin ? deps.admin.capabilities(viewer.did) : null,
    viewer && deps.reports ? deps.reports.mayResolve(viewer.did) : false,
    viewer && deps.notifications ? deps.notifications.unread(viewer.did) : null,
  ]);
  return {
    forumName: forum?.name ?? UNNAMED,
    viewer,
    canLogIn: deps.members !== null,
    canResolveReports: resolvesReports,
    administers: may !== null && administers(may),
    files,
    path: new URL(c.req.url).pathname,
    unreadNotifications,
  };
}
