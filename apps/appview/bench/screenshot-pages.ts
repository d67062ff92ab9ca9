// What `pnpm screenshots` (screenshots.ts) does: PNGs of every page of the forum for review: desktop and a 360 px phone,
// light and dark, in Debian's chromium (as the browser tests use it). The
// forum is seeded from a ForumStream into a throwaway SQLite file and served
// in-process: the browser's requests are answered by the app itself (no
// port; test/support/in-process-browser.ts). Written to screenshots/ (git-ignored) unless --out says otherwise.
import { createDb, migrate } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { eq } from "drizzle-orm";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BrowserContext } from "playwright-core";
import { migrationsFolder } from "../src/migrations.ts";
import { PERMISSION } from "../src/permissions.ts";
import { launchChromium } from "../test/support/browser.ts";
import { ForumStream, type Written } from "../test/support/forum-events.ts";
import { inProcessContext } from "../test/support/in-process-browser.ts";
import { memberApp } from "../test/support/member-app.ts";
import { sessionCookieFor } from "../test/support/member-session.ts";
import { sampleUsers } from "../test/support/sample-forum.ts";

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } } as const;
const SCHEMES = ["light", "dark"] as const;
const LONG_THREAD_REPLIES = 50;

const [alice, bob, carol] = sampleUsers as [string, string, string];

/** A forum with a bit of everything a page can show: pins, locks, quotes, hidden posts, a long thread. */
function seededStream(): ForumStream {
  const s = new ForumStream({ startUs: Date.UTC(2026, 10, 1) * 1000, stepUs: 60_000_000 });
  const forum = s.forum("Screenshot Forum");
  const general = s.category("General", 1);
  const chat = s.board(general, "Chat", 1);
  s.board(general, "News", 2);
  s.board(s.category("Help", 2), "Questions", 1);
  const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
  // Alice owns the forum, so that the moderators' and administrators' pages show her everything.
  const owner = s.role("Owner", Object.values(PERMISSION), 0);
  for (const did of [alice, bob, carol]) {
    s.join(did, forum, member);
    s.grant(did, did === alice ? owner : member);
  }
  const rules = s.topic(
    bob,
    chat,
    "Forum rules",
    "Be kind. **Stay on topic.** Links like [this](https://example.org) are fine.",
  );
  s.modAction("pin", { post: rules });
  const closed = s.topic(bob, chat, "An old argument", "This went on for too long.");
  s.reply(carol, closed, closed, "Something rude");
  s.modAction("lock", { post: closed });
  const welcome = s.topic(alice, chat, "Welcome, everyone", "Say *hello* here.\n\n- one\n- two\n\n`code` and > quotes");
  const hello = s.reply(bob, welcome, welcome, "Hello! <script>alert(1)</script> stays text.");
  const quote = (quoted: Written, text: string) =>
    s.commit(carol, ids.post, {
      text,
      reply: { $type: "space.atbb.post#replyRef", root: welcome.ref, parent: welcome.ref },
      quote: { $type: "space.atbb.post#quoteRef", post: quoted.ref },
      createdAt: s.isoNow(),
    });
  quote(hello, "Quoting bob: agreed.");
  const removed = s.reply(carol, welcome, welcome, "Spam spam spam");
  s.modAction("delete", { post: removed });
  const long = s.topic(bob, chat, "A long thread", "Fifty replies follow.");
  for (let n = 1; n <= LONG_THREAD_REPLIES; n++) s.reply(n % 2 ? carol : alice, long, long, `Reply number ${n}`);
  for (let n = 1; n <= 30; n++) s.topic(carol, chat, `Another topic ${n}`);
  return s;
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string", default: "screenshots" } } });
  const out = resolve(process.cwd(), values.out);
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "atbb-screenshots-"));
  const url = `file:${join(dir, "forum.db")}`;
  await migrate(url, { migrationsFolder: migrationsFolder("sqlite") });
  const emptyUrl = `file:${join(dir, "empty.db")}`;
  await migrate(emptyUrl, { migrationsFolder: migrationsFolder("sqlite") });
  const [database, empty] = [await createDb(url), await createDb(emptyUrl)];
  const stream = seededStream();
  const forum = await memberApp(database, stream);
  const firstRun = await memberApp(empty, new ForumStream());
  const browser = await launchChromium();
  try {
    const { users } = database.schema;
    for (const [did, handle] of [
      [alice, "alice.example"],
      [bob, "bob.example"],
    ] as const)
      await database.db.update(users).set({ handle }).where(eq(users.did, did));
    const cookie = (await sessionCookieFor(database, alice)).split("=");
    const api = async (path: string) => (await forum.app.request(path)).json() as Promise<any>;
    const { topics } = await api("/api/boards/1/topics?limit=50");
    const topicId = (title: string) => topics.find((t: { title: string }) => t.title === title).id as string;
    const welcome = topicId("Welcome, everyone");
    const own = (await api(`/api/topics/${welcome}`)).topic.id as string;
    const pages: [name: string, path: string, as: "member" | "reader" | "first-run"][] = [
      ["index", "/", "member"],
      ["board", "/b/1", "member"],
      ["board-page-2", "/b/1?page=2", "reader"],
      ["topic", `/t/${welcome}`, "member"],
      ["topic-long-last-page", `/t/${topicId("A long thread")}?page=3`, "member"],
      ["topic-locked", `/t/${topicId("An old argument")}`, "reader"],
      ["reply-with-quote", `/t/${welcome}/reply?quote=${own}`, "member"],
      ["new-topic", "/b/1/new", "member"],
      ["edit", `/p/${own}/edit`, "member"],
      ["delete", `/p/${own}/delete`, "member"],
      ["report", `/p/${(await api(`/api/topics/${welcome}`)).replies[0].id}/report`, "member"],
      ["reports", "/reports", "member"],
      ["reports-mine", "/reports/mine", "member"],
      ["notifications", "/notifications", "member"],
      ["search", "/search?q=hello", "reader"],
      ["admin", "/admin", "member"],
      ["admin-structure", "/admin/structure", "member"],
      ["admin-board", "/admin/boards/1", "member"],
      ["admin-members", "/admin/members", "member"],
      ["admin-log", "/admin/log", "member"],
      ["admin-backfill", "/admin/backfill", "member"],
      ["member", `/u/${alice}`, "reader"],
      ["login", "/login", "reader"],
      ["not-found", "/no/such/page", "reader"],
      ["first-run", "/", "first-run"],
    ];
    for (const [viewport, size] of Object.entries(VIEWPORTS))
      for (const colorScheme of SCHEMES) {
        const contexts: BrowserContext[] = [];
        const contextFor = async (as: "member" | "reader" | "first-run") => {
          const app = as === "first-run" ? firstRun.app : forum.app;
          const context = await inProcessContext(browser, app, forum.origin, { viewport: size, colorScheme });
          contexts.push(context);
          if (as === "member")
            await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: forum.origin, httpOnly: true }]);
          return context.newPage();
        };
        const byWho = {
          member: await contextFor("member"),
          reader: await contextFor("reader"),
          "first-run": await contextFor("first-run"),
        };
        for (const [name, path, as] of pages) {
          const page = byWho[as];
          await page.goto(`${forum.origin}${path}`);
          const file = join(out, `${name}.${viewport}.${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
        }
        await Promise.all(contexts.map((context) => context.close()));
      }
    console.log(`screenshots: ${pages.length * 4} PNGs of ${pages.length} pages in ${out}`);
  } finally {
    await browser.close();
    await Promise.all([forum.close(), firstRun.close()]);
    await Promise.all([database.close(), empty.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export const taking = main();
