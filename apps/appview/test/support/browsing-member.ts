// A forum served in-process to a real browser (Debian's chromium), with one
// member logged in: the database, the app, one page, and what the page
// complains of (console errors, failed requests).
import { createMigratedTestDatabase } from "@atbb/testing";
import { launchChromium, pageProblems } from "./browser.ts";
import type { ForumStream } from "./forum-events.ts";
import { inProcessContext } from "./in-process-browser.ts";
import { memberApp } from "./member-app.ts";
import { sessionCookieFor } from "./member-session.ts";

export async function browsingMember(stream: ForumStream, did: string) {
  const [database, browser] = await Promise.all([createMigratedTestDatabase(), launchChromium()]);
  const forum = await memberApp(database.handle, stream);
  const [name, value] = (await sessionCookieFor(database.handle, did)).split("=") as [string, string];
  const context = await inProcessContext(browser, forum.app, forum.origin);
  await context.addCookies([{ name, value, url: forum.origin, httpOnly: true }]);
  const page = await context.newPage();
  return {
    database,
    forum,
    page,
    problems: pageProblems(page),
    async close() {
      await browser.close();
      await forum.close();
      await database.drop();
    },
  };
}
