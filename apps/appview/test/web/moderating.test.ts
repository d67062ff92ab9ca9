// A moderator's journey through the forum's pages in a real browser (Debian's
// chromium), against the real PDS of @atproto/dev-env and `atbb serve` logged
// in as the forum account: hide a post, lock a topic (the reply form goes, and
// a reply sent from a page opened before is refused), pin it, ban its author
// (their posts show as hidden), and undo each; with JavaScript on and off.
// Each action is in the forum's repository, naming the moderator. A member
// sees no moderation tools and is refused the moderation pages' forms.
import { CONTENT_SECURITY_POLICY } from "@atbb/web";
import { createDb, type DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { axeViolations } from "../support/axe.ts";
import { launchChromium, logInThroughPages, pageProblems } from "../support/browser.ts";
import { freePort, runCli, startServe, type Served } from "../support/cli.ts";
import { sessionCookieFor } from "../support/member-session.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

describe(`a moderator's pages in a real browser (${dialect})`, () => {
  let pds: PdsForum;
  let mia: Account;
  let bob: Account;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let browser: Browser;
  let served: Served;
  let base: string;
  let boardId: string;
  /** The Cookie value of mia's login: she only moderates, so no OAuth session is needed. */
  let miaSession: string;
  /** bob's cookies from a real login through the PDS's pages: he replies. */
  let bobCookies: Awaited<ReturnType<BrowserContext["cookies"]>>;
  const topics: Record<"on" | "off", { id: string; replyId: string }> = {} as never;
  const contexts: BrowserContext[] = [];

  const read = async (path: string) => (await (await fetch(`${base}${path}`)).json()) as any;
  const forumActions = async () =>
    (await pds.forum.agent.com.atproto.repo.listRecords({ repo: pds.forum.did, collection: ids.modAction })).data
      .records;
  const bobsPosts = async () =>
    (await bob.agent.com.atproto.repo.listRecords({ repo: bob.did, collection: ids.post })).data.records;

  beforeAll(async () => {
    [pds, browser] = await Promise.all([PdsForum.start(), launchChromium()]);
    mia = await pds.account("mia");
    bob = await pds.account("bob");
    const owner = await pds.account("alice");
    const { data } = await pds.forum.agent.com.atproto.server.createAppPassword({ name: "atbb" });
    const secrets = mkdtempSync(join(tmpdir(), "atbb-moderating-"));
    writeFileSync(join(secrets, "app-password"), `${data.password}\n`, { mode: 0o600 });
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      FORUM_DID: pds.forum.did,
      FORUM_HANDLE: pds.forum.handle,
      FORUM_APP_PASSWORD_FILE: join(secrets, "app-password"),
      PLC_URL: pds.plcUrl,
      HANDLE_RESOLVER_URL: pds.pdsUrl,
      ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "warn",
    };
    const atbb = async (...args: string[]) => {
      const result = await runCli(args, env);
      if (result.code !== 0) throw new Error(`atbb ${args.join(" ")} failed (${result.code}):\n${result.stderr}`);
    };
    await atbb("migrate");
    await atbb("init", "--owner", owner.did, "--name", "Moderated Pages", "--default-category");
    await atbb("role", "grant", mia.did, "Moderator");
    await atbb("role", "grant", bob.did, "Member");

    const repo = pds.forum.agent.com.atproto.repo;
    const forum = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
    const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
    const inForum = { $type: "space.atbb.post#forumRef", forum: { uri: forum.uri, cid: forum.cid } };
    const written: Record<"on" | "off", { topic: string; reply: string }> = {} as never;
    for (const javaScript of ["on", "off"] as const) {
      const topic = await pds.put(bob, ids.post, {
        title: `Bob asks, JavaScript ${javaScript}`,
        text: "A question.",
        forum: inForum,
        board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
        createdAt: new Date().toISOString(),
      });
      const reply = await pds.put(bob, ids.post, {
        text: `An unkind word (${javaScript}).`,
        forum: inForum,
        reply: { $type: "space.atbb.post#replyRef", root: topic.ref, parent: topic.ref },
        createdAt: new Date().toISOString(),
      });
      written[javaScript] = { topic: topic.uri, reply: reply.uri };
    }

    served = await startServe({
      ...env,
      STATE_DIRECTORY: mkdtempSync(join(tmpdir(), "atbb-moderating-state-")),
      PORT: String(await freePort()),
      SOURCE: "firehose",
      FIREHOSE_URL: pds.firehoseUrl,
      WRITES_PER_MINUTE: "100",
    });
    base = `http://127.0.0.1:${served.port}`;
    handle = await createDb(database.url, { create: false });
    boardId = (await read("/api/categories")).categories[0].boards[0].id;
    const listed = await waitFor("both topics indexed", async () => {
      const found = (await read(`/api/boards/${boardId}/topics`)).topics;
      return found?.length === 2 && found.every((t: any) => t.replyCount === 1) ? found : null;
    });
    for (const javaScript of ["on", "off"] as const) {
      const id = listed.find((t: any) => t.uri === written[javaScript].topic).id as string;
      topics[javaScript] = { id, replyId: (await read(`/api/topics/${id}`)).replies[0].id };
    }
    miaSession = (await sessionCookieFor(handle, mia.did)).split("=")[1]!;
    const login = await browser.newContext();
    const loginPage = await login.newPage();
    await logInThroughPages(loginPage, base, bob.handle, "bob-password");
    bobCookies = await login.cookies(base);
    await login.close();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    served?.child.kill("SIGTERM");
    await served?.exited;
    await handle?.close();
    await database?.drop();
    await pds?.close();
  });

  async function browsing(
    cookies: { name: string; value: string }[],
    javaScriptEnabled: boolean,
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    await context.addCookies(cookies.map(({ name, value }) => ({ name, value, url: base })));
    const page = await context.newPage();
    return { page, problems: pageProblems(page) };
  }
  const asMia = (javaScriptEnabled: boolean) =>
    browsing([{ name: SESSION_COOKIE, value: miaSession }], javaScriptEnabled);

  /** Follows a moderation link, gives a reason, presses the button, and must land back at `back`. */
  async function moderate(page: Page, link: string, button: string, back: string, reason: string) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await page.getByLabel("Reason").fill(reason);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
    const at = page.url().replace(/#.*$/, "");
    if (at !== back)
      throw new Error(
        `after "${button}" the browser is at ${at}, not ${back}: ${await page.locator("main").innerText()}`,
      );
  }

  for (const javaScript of ["on", "off"] as const) {
    it(`hides a post, locks, pins, bans its author, and undoes each (JavaScript ${javaScript})`, async () => {
      const { id, replyId } = topics[javaScript];
      const topicUrl = `${base}/t/${id}`;
      const { page, problems } = await asMia(javaScript === "on");
      const bobsView = await browsing(bobCookies, javaScript === "on");
      const before = (await forumActions()).length;

      // Hide bob's reply: it shows why, and the action names mia.
      await page.goto(topicUrl);
      await moderate(page, "Hide post 2", "Hide post", topicUrl, "Unkind.");
      expect(await page.locator('[id="2"]').innerText()).toContain("Removed by a moderator.");
      expect((await read(`/api/topics/${id}`)).replies[0].hidden).toBe("removed_by_moderator");
      await moderate(page, "Show again post 2", "Show post again", topicUrl, "On second thought.");
      expect(await page.locator('[id="2"]').innerText()).toContain("An unkind word");

      // Lock: bob's reply form goes; a reply from the page he opened before is refused, his text kept.
      await bobsView.page.goto(topicUrl);
      await bobsView.page.getByLabel("Your reply").fill("One more thing");
      await moderate(page, "Lock topic", "Lock topic", topicUrl, "Enough said.");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("Locked");
      const postsBefore = (await bobsPosts()).length;
      await Promise.all([
        bobsView.page.waitForNavigation(),
        bobsView.page.getByRole("button", { name: "Post reply" }).click(),
      ]);
      expect(await bobsView.page.getByRole("alert").innerText()).toMatch(/locked/i);
      expect(await bobsView.page.getByLabel("Your reply").inputValue()).toBe("One more thing");
      expect((await bobsPosts()).length).toBe(postsBefore);
      await bobsView.page.goto(topicUrl);
      expect(await bobsView.page.getByLabel("Your reply").count()).toBe(0);
      expect(await bobsView.page.locator("main").innerText()).toContain("This topic is locked");
      await moderate(page, "Unlock topic", "Unlock topic", topicUrl, "Go on.");
      await bobsView.page.goto(topicUrl);
      expect(await bobsView.page.getByLabel("Your reply").count()).toBe(1);

      // Pin: the topic is marked, and the board lists it first.
      await moderate(page, "Pin topic", "Pin topic", topicUrl, "Read this.");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("Pinned");
      expect((await read(`/api/boards/${boardId}/topics`)).topics[0]).toMatchObject({ id, pinned: true });
      await moderate(page, "Unpin topic", "Unpin topic", topicUrl, "Done.");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).not.toContain("Pinned");

      // A ban ending in the past is refused beside the form, the reason kept, nothing written.
      const actionsNow = (await forumActions()).length;
      await page.getByRole("link", { name: "Ban author of post 2" }).click();
      await page.getByLabel("Reason").fill("Too harsh.");
      await page.getByLabel("Ends").fill("2001-01-01T00:00");
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Ban member" }).click()]);
      expect(await page.getByRole("alert").innerText()).toContain("not in the future");
      expect(await page.getByLabel("Reason").inputValue()).toBe("Too harsh.");
      expect((await forumActions()).length).toBe(actionsNow);
      // Then without an end: bob's posts show as hidden, his ban in the log.
      await page.getByLabel("Ends").fill("");
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Ban member" }).click()]);
      expect(page.url().replace(/#.*$/, "")).toBe(topicUrl);
      for (const number of ["1", "2"])
        expect(await page.locator(`[id="${number}"]`).innerText()).toContain("its author is banned");
      await moderate(page, "Unban author of post 2", "Unban member", topicUrl, "Served.");
      expect(await page.locator('[id="2"]').innerText()).toContain("An unkind word");

      // Each of the eight actions is the forum account's record naming mia, with her reason.
      const actions = (await forumActions()).slice(0, (await forumActions()).length - before);
      expect(actions.length).toBe(8);
      for (const action of actions) expect(action.value).toMatchObject({ createdBy: mia.did });
      expect(actions.map((a) => (a.value as { reason?: string }).reason).sort()).toEqual(
        [
          "Unkind.",
          "On second thought.",
          "Enough said.",
          "Go on.",
          "Read this.",
          "Done.",
          "Too harsh.",
          "Served.",
        ].sort(),
      );
      expect((await read(`/api/topics/${id}`)).replies[0].hidden).toBeNull();
      expect(replyId).toMatch(/^\d+$/);
      // Nothing went wrong but the two refusals asked for: the past ban's end (400) and the reply to a locked topic (403).
      const refusal = (status: string) =>
        `console: Failed to load resource: the server responded with a status of ${status}`;
      expect(problems).toEqual([refusal("400 (Bad Request)")]);
      expect(bobsView.problems).toEqual([refusal("403 (Forbidden)")]);
    }, 180_000);
  }

  it("shows a member no moderation tools, and refuses them the moderation forms, writing nothing", async () => {
    const { id, replyId } = topics.off;
    const { page, problems } = await browsing(bobCookies, false);
    await page.goto(`${base}/t/${id}`);
    expect(await page.getByRole("navigation", { name: "Moderate this topic" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Hide post 2" }).count()).toBe(0);
    const before = (await forumActions()).length;
    await page.goto(`${base}/moderate/hide/p/${replyId}?back=/t/${id}`);
    await page.getByLabel("Reason").fill("I do not like it");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Hide post" }).click()]);
    expect(await page.getByRole("alert").innerText()).toContain(
      "You cannot hide posts: your role (Member) does not permit it",
    );
    expect((await forumActions()).length).toBe(before);
    // A form from another site, or without the token, is refused before anything is looked at.
    const crossSite = await fetch(`${base}/moderate/hide/p/${replyId}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: `${SESSION_COOKIE}=${miaSession}`,
        origin: "https://elsewhere.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "back=/",
    });
    expect(crossSite.status).toBe(403);
    const noToken = await fetch(`${base}/moderate/hide/p/${replyId}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: `${SESSION_COOKIE}=${miaSession}`,
        origin: base,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "back=/",
    });
    expect(noToken.status).toBe(403);
    expect((await forumActions()).length).toBe(before);
    // Unknown verbs, kinds and targets are not found; "back" never leads off the forum.
    for (const path of [
      "/moderate/delete/p/1",
      "/moderate/hide/t/1",
      "/moderate/hide/p/999999",
      "/moderate/ban/u/nobody",
    ])
      expect((await page.goto(`${base}${path}`))!.status(), path).toBe(404);
    expect(problems.filter((p) => !p.includes("404") && !p.includes("403"))).toEqual([]);
  }, 120_000);

  it("passes axe's WCAG 2.1 AA rules on the moderation pages, in light and dark, with the CSP", async () => {
    const { id, replyId } = topics.on;
    const { page, problems } = await asMia(true);
    const pages = [
      `/t/${id}`,
      `/moderate/hide/p/${replyId}?back=/t/${id}`,
      `/moderate/lock/t/${id}?back=/t/${id}`,
      `/moderate/ban/u/${bob.did}?back=//elsewhere.example`,
    ];
    for (const colorScheme of ["light", "dark"] as const)
      for (const path of pages) {
        await page.emulateMedia({ colorScheme });
        const response = await page.goto(`${base}${path}`);
        expect(response!.status(), path).toBe(200);
        expect(response!.headers()["content-security-policy"], path).toBe(CONTENT_SECURITY_POLICY);
        expect(await axeViolations(page), `${path} (${colorScheme})`).toEqual([]);
      }
    // The ban form's way back is this forum's index, not the other site it was given.
    expect(await page.locator('input[name="back"]').getAttribute("value")).toBe("/");
    expect(problems).toEqual([]);
  }, 120_000);
});
