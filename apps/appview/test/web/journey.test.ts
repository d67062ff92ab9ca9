// A member's journey through the forum's pages in a real browser (Debian's
// chromium), against the real PDS of @atproto/dev-env and `atbb serve` as an
// operator runs it: the index, the login through the PDS's own pages, a new
// topic, a reply, an edit and a delete, each seen on the page and in the
// member's repository; with JavaScript on and off. Every page passes axe's
// WCAG 2.1 AA rules in light and dark, carries the CSP, and logs no error.
import { CONTENT_SECURITY_POLICY } from "@atbb/web";
import { ids } from "@atbb/lexicon";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { axeViolations } from "../support/axe.ts";
import { launchChromium, logInThroughPages, pageProblems } from "../support/browser.ts";
import { freePort, startServe, type Served } from "../support/cli.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

/** More topics than a board page holds (25), so the board has a second page. */
const BUSY_TOPICS = 27;

describe(`the forum's pages in a real browser (${dialect})`, () => {
  let pds: PdsForum;
  let alice: Account;
  let bob: Account;
  let database: TestDatabase;
  let browser: Browser;
  let served: Served;
  let base: string;
  let chatId: string;
  let busyId: string;
  let welcomeId: string;
  let bobReplyId: string;
  const contexts: BrowserContext[] = [];

  const read = async (path: string) => (await (await fetch(`${base}${path}`)).json()) as any;
  const postsInRepo = async (who: Account) =>
    (await who.agent.com.atproto.repo.listRecords({ repo: who.did, collection: ids.post })).data.records;
  const recordOf = async (who: Account, uri: string) =>
    (await postsInRepo(who)).find((record) => record.uri === uri)?.value as
      | { text?: string; title?: string }
      | undefined;

  beforeAll(async () => {
    [pds, browser] = await Promise.all([PdsForum.start(), launchChromium()]);
    const now = () => new Date().toISOString();
    alice = await pds.account("alice");
    bob = await pds.account("bob");
    const forum = await pds.put(pds.forum, ids.forum, { name: "Pages Forum", createdAt: now() });
    const category = await pds.put(pds.forum, ids.category, { name: "General", createdAt: now() });
    const inCategory = { $type: "space.atbb.forum.board#categoryRef", category: category.ref };
    const chat = await pds.put(pds.forum, ids.board, { name: "Chat", category: inCategory, createdAt: now() });
    const busy = await pds.put(pds.forum, ids.board, { name: "Busy", category: inCategory, createdAt: now() });
    const role = await pds.put(pds.forum, ids.role, {
      name: "Member",
      permissions: ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"],
      priority: 100,
      createdAt: now(),
    });
    for (const member of [alice, bob])
      await pds.put(
        pds.forum,
        ids.roleAssignment,
        {
          did: member.did,
          role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: role.ref },
          createdAt: now(),
        },
        member.did,
      );
    const inForum = { $type: "space.atbb.post#forumRef", forum: forum.ref };
    const welcome = await pds.put(bob, ids.post, {
      title: "Welcome",
      text: "Say **hello**. <script>alert(1)</script> [a link](https://example.org)",
      forum: inForum,
      board: { $type: "space.atbb.post#boardRef", board: chat.ref },
      createdAt: now(),
    });
    await pds.put(bob, ids.post, {
      text: "And a reply of my own.",
      forum: inForum,
      reply: { $type: "space.atbb.post#replyRef", root: welcome.ref, parent: welcome.ref },
      createdAt: now(),
    });
    for (let n = 1; n <= BUSY_TOPICS; n++)
      await pds.put(bob, ids.post, {
        title: `Busy topic ${n}`,
        text: `Topic number ${n}`,
        forum: inForum,
        board: { $type: "space.atbb.post#boardRef", board: busy.ref },
        createdAt: now(),
      });

    database = await createTestDatabase();
    served = await startServe(
      {
        DATABASE_URL: database.url,
        STATE_DIRECTORY: mkdtempSync(join(tmpdir(), "atbb-pages-")),
        PORT: String(await freePort()),
        FORUM_DID: pds.forum.did,
        SOURCE: "firehose",
        FIREHOSE_URL: pds.firehoseUrl,
        PLC_URL: pds.plcUrl,
        HANDLE_RESOLVER_URL: pds.pdsUrl,
        ALLOW_LOOPBACK: "true",
        WRITES_PER_MINUTE: "100",
        LOG_LEVEL: "warn",
      },
      ["--migrate"],
    );
    base = `http://127.0.0.1:${served.port}`;
    const boards = await waitFor("both boards", async () => {
      const found = (await read("/api/categories")).categories?.[0]?.boards;
      return found?.length === 2 ? (found as { id: string; name: string }[]) : null;
    });
    chatId = boards.find((b) => b.name === "Chat")!.id;
    busyId = boards.find((b) => b.name === "Busy")!.id;
    await waitFor(
      "every busy topic",
      async () => (await read(`/api/boards/${busyId}/topics?limit=50`)).total === BUSY_TOPICS,
      60_000,
    );
    const welcomeTopic = await waitFor("the welcome topic and its reply", async () => {
      const topic = (await read(`/api/boards/${chatId}/topics`)).topics?.[0];
      return topic?.replyCount === 1 ? topic : null;
    });
    welcomeId = welcomeTopic.id;
    bobReplyId = (await read(`/api/topics/${welcomeId}`)).replies[0].id;
    await waitFor(
      "the grants",
      async () => (await read(`/api/members/${alice.did}/permissions`)).permissions?.length === 2,
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    served?.child.kill("SIGTERM");
    await served?.exited;
    await database?.drop();
    await pds?.close();
  });

  /**
   * A browser logged in as `who` through the forum's pages. The PDS's own
   * sign-in pages need JavaScript; the forum's are then used in a context
   * with JavaScript as asked, holding the same cookie.
   */
  async function loggedIn(who: Account, javaScriptEnabled: boolean): Promise<{ page: Page; problems: string[] }> {
    const login = await browser.newContext();
    const loginPage = await login.newPage();
    await logInThroughPages(loginPage, base, who.handle, `${who.handle.split(".")[0]}-password`);
    expect(loginPage.url()).toBe(`${base}/`);
    const cookies = await login.cookies(base);
    expect(cookies.map((c) => c.name)).toContain(SESSION_COOKIE);
    await login.close();
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    await context.addCookies(cookies);
    const page = await context.newPage();
    return { page, problems: pageProblems(page) };
  }

  /** Presses a form's button and follows where the answer leads: it must be `url`, else the page's words say why not. */
  async function submit(page: Page, button: string, url: RegExp | string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
    const at = page.url();
    if (typeof url === "string" ? at !== url : !url.test(at))
      throw new Error(
        `after "${button}" the browser is at ${at}, not ${url}: ${await page.locator("main").innerText()}`,
      );
  }

  for (const javaScript of [true, false]) {
    it(`takes a member from the index through login, a new topic, a reply, an edit and a delete (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const { page, problems } = await loggedIn(alice, javaScript);
      // The handle is shown once verified (beside the indexer, after the first login).
      await waitFor(
        "alice's handle verified",
        async () => (await read(`/api/users/${alice.did}`)).handle === alice.handle,
      );
      const index = await page.goto(`${base}/`);
      expect(index!.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.getByRole("navigation", { name: "Your account" }).innerText()).toContain(
        `Logged in as ${alice.handle}`,
      );

      await page.getByRole("link", { name: "Chat" }).click();
      await page.getByRole("link", { name: "New topic" }).click();
      const title = `A journey with JavaScript ${javaScript ? "on" : "off"}`;
      await page.getByLabel("Title").fill(title);
      await page.getByLabel("Text").fill("Hello *world*");
      await submit(page, "Start topic", /\/t\/\d+$/);
      const topicUrl = page.url();
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain(title);
      expect(await page.locator('[id="1"] em').innerText()).toBe("world");
      const topic = (await postsInRepo(alice)).find((r) => (r.value as { title?: string }).title === title);
      expect(topic?.value).toMatchObject({ title, text: "Hello *world*" });

      await page.getByLabel("Your reply").fill("A first reply");
      await submit(page, "Post reply", /#2$/);
      expect(await page.locator('[id="2"]').innerText()).toContain("A first reply");
      const replyUri = (await postsInRepo(alice)).find(
        (r) => (r.value as { text?: string }).text === "A first reply",
      )?.uri;
      expect(replyUri).toBeDefined();

      // Quote: the post's link opens the reply form with it quoted; the reply shows it as a quote,
      // and its record names the quoted post. A preview renders the Markdown first and keeps the text.
      await page.getByRole("link", { name: "Quote post 2" }).click();
      expect(page.url()).toMatch(/\/reply\?quote=\d+$/);
      expect(await page.locator("form blockquote.quote").innerText()).toContain("A first reply");
      await page.getByLabel("Your reply").fill("Quoting **that**");
      // The counter counts as the server does, kept current by its script with JavaScript on.
      expect(await page.locator("#reply-text-count").innerText()).toBe(
        javaScript ? "16 of 300 characters" : "0 of 300 characters",
      );
      await submit(page, "Preview", /\/reply$/);
      expect(await page.locator(".preview strong").innerText()).toBe("that");
      expect(await page.getByLabel("Your reply").inputValue()).toBe("Quoting **that**");
      expect(await page.locator("#reply-text-count").innerText()).toBe("16 of 300 characters");
      await submit(page, "Post reply", /#3$/);
      expect(await page.locator('[id="3"] blockquote.quote').innerText()).toContain("A first reply");
      const quoting = (await postsInRepo(alice)).find(
        (r) => (r.value as { text?: string }).text === "Quoting **that**",
      );
      expect(quoting?.value).toMatchObject({ quote: { post: { uri: replyUri } } });

      // A refused reply shows the form again, the reason beside the field and the text kept,
      // in a 400 (which the browser notes on its console, as it does for any page answered so).
      expect(problems).toEqual([]);
      const tooLong = "x".repeat(301);
      await page.getByLabel("Your reply").fill(tooLong);
      await submit(page, "Post reply", /\/reply$/);
      expect(await page.locator("#reply-text-error").innerText()).toContain("at most 300 fit");
      expect(await page.getByLabel("Your reply").inputValue()).toBe(tooLong);
      expect(await page.getByLabel("Your reply").getAttribute("aria-invalid")).toBe("true");
      expect(problems.splice(0)).toEqual([
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
      ]);

      await page.goto(topicUrl);
      await page.locator('[id="2"]').getByRole("link", { name: "Edit" }).click();
      await page.getByLabel("Text").fill("An edited reply");
      await submit(page, "Save", topicUrl);
      expect(await page.locator('[id="2"]').innerText()).toContain("An edited reply");
      expect((await recordOf(alice, replyUri!))?.text).toBe("An edited reply");

      await page.locator('[id="2"]').getByRole("link", { name: "Delete" }).click();
      await submit(page, "Delete the reply", topicUrl);
      expect(await page.locator('[id="2"]').innerText()).toContain("Deleted by its author.");
      expect(await recordOf(alice, replyUri!)).toBeUndefined();
      // The reply that quoted it now says why the quoted post is not shown.
      expect(await page.locator('[id="3"] blockquote.quote').innerText()).toContain("Deleted by its author.");

      await submit(page, "Log out", `${base}/`);
      expect(await page.getByRole("navigation", { name: "Your account" }).innerText()).toContain("Log in");
      expect(problems).toEqual([]);
    }, 180_000);
  }

  it("shows a board by pages, and loads the next page in place with JavaScript on", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled });
      contexts.push(context);
      const page = await context.newPage();
      const problems = pageProblems(page);
      await page.goto(`${base}/b/${busyId}`);
      const topics = page.getByRole("list", { name: "Topics" }).locator(":scope > li:not(.more)");
      await expect.poll(() => topics.count()).toBe(25);
      expect(await page.getByRole("link", { name: "Page 2" }).first().isVisible()).toBe(true);
      expect(await page.getByRole("link", { name: "Last page" }).first().getAttribute("href")).toBe(
        `/b/${busyId}?page=2`,
      );
      await page.getByRole("link", { name: "Load more topics" }).click();
      if (javaScriptEnabled) {
        await expect.poll(() => topics.count()).toBe(BUSY_TOPICS);
        expect(page.url()).toBe(`${base}/b/${busyId}`);
        await expect.poll(() => page.getByRole("link", { name: "Load more topics" }).count()).toBe(0);
      } else {
        await page.waitForURL(`${base}/b/${busyId}?page=2`);
        await expect.poll(() => topics.count()).toBe(BUSY_TOPICS - 25);
      }
      // The oldest topic is last: topics go by last activity.
      expect(await topics.last().innerText()).toContain("Busy topic 1");
      expect(problems).toEqual([]);
    }
  }, 60_000);

  it("refuses a form without the session's token, or from another site, and writes nothing", async () => {
    const { page } = await loggedIn(alice, true);
    const cookie = (await page.context().cookies(base)).find((c) => c.name === SESSION_COOKIE)!.value;
    const before = await postsInRepo(alice);
    const send = (origin: string, body: string) =>
      fetch(`${base}/t/${welcomeId}/reply`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: `${SESSION_COOKIE}=${cookie}`, origin, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    const noToken = await send(base, "text=forged");
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain("token does not match");
    const wrongToken = await send(base, "text=forged&csrf=abc");
    expect(wrongToken.status).toBe(403);
    const crossSite = await send("https://elsewhere.example", "text=forged");
    expect(crossSite.status).toBe(403);
    expect(await postsInRepo(alice)).toEqual(before);
    expect((await read(`/api/topics/${welcomeId}`)).total).toBe(1);
  }, 60_000);

  it("passes axe's WCAG 2.1 AA rules on every page, in light and dark, fits a 360 px phone, with the CSP and no console error", async () => {
    const { page, problems } = await loggedIn(bob, true);
    const pages = [
      "/",
      `/b/${chatId}`,
      `/b/${busyId}?page=2`,
      `/t/${welcomeId}`,
      `/u/${bob.did}`,
      `/b/${chatId}/new`,
      `/p/${bobReplyId}/edit`,
      `/p/${bobReplyId}/delete`,
      `/t/${welcomeId}/reply?quote=${welcomeId}`,
      `/search?q=welcome&board=${chatId}&topics=only&order=newest`,
      "/no/such/page",
    ];
    const anonymous = await browser.newContext();
    contexts.push(anonymous);
    const reader = await anonymous.newPage();
    const readerProblems = pageProblems(reader);
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [who, path] of [...pages.map((p) => [page, p] as const), [reader, "/login"] as const]) {
        await who.emulateMedia({ colorScheme });
        const response = await who.goto(`${base}${path}`);
        expect(response!.headers()["content-security-policy"], path).toBe(CONTENT_SECURITY_POLICY);
        expect(await axeViolations(who), `${path} (${colorScheme})`).toEqual([]);
      }
    }
    // At a 360 px phone's width nothing runs off the side.
    for (const [who, path] of [...pages.map((p) => [page, p] as const), [reader, "/login"] as const]) {
      await who.setViewportSize({ width: 360, height: 740 });
      await who.goto(`${base}${path}`);
      expect(await who.evaluate("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(360);
    }
    // The checker does find what it looks for: a page without a language and with an unlabelled image fails.
    await reader.goto("about:blank");
    await reader.setContent('<html><body><img src="data:,"></body></html>');
    expect((await axeViolations(reader)).map((v) => v.id)).toEqual(
      expect.arrayContaining(["html-has-lang", "image-alt"]),
    );
    // The welcome topic's hostile markup came out as text.
    await page.goto(`${base}/t/${welcomeId}`);
    expect(await page.locator('[id="1"]').innerText()).toContain("<script>alert(1)</script>");
    expect(await page.locator('[id="1"] a[href="https://example.org"]').getAttribute("rel")).toBe(
      "nofollow ugc noopener",
    );
    // The 404 page is an answer of its own, in the 404 status.
    expect((await page.goto(`${base}/no/such/page`))!.status()).toBe(404);
    expect([...problems, ...readerProblems].filter((p) => !p.includes("404"))).toEqual([]);
  }, 180_000);
});
