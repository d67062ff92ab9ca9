// A moderator's journey through the forum's pages in a real browser (Debian's
// chromium), against the real PDS of @atproto/dev-env and `atbb serve` logged
// in as the forum account: hide a post, lock a topic (the reply form goes, and
// a reply sent from a page opened before is refused), pin it, ban its author
// (their posts show as hidden), and undo each; then resolve a report a member
// filed from the topic page, by hiding the post. With JavaScript on and off.
// Each action is in the forum's repository, naming the moderator. A member
// sees no moderation tools and is refused the moderation pages and the queue.
import { CONTENT_SECURITY_POLICY } from "@atbb/web";
import { ids } from "@atbb/lexicon";
import { dialect } from "@atbb/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { launchChromium, logInThroughPages, pageProblems } from "../support/browser.ts";
import { ServedForum } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type Name = "alice" | "mia" | "bob" | "carol";
type Cookie = { name: string; value: string; url: string };

describe(`a moderator's pages in a real browser (${dialect})`, () => {
  let forum: ServedForum<Name>;
  let browser: Browser;
  let base: string;
  let boardId: string;
  /** bob's cookies from a real login through the PDS's pages: he replies. */
  let bobCookies: Cookie[];
  /** Per JavaScript setting: bob's topic, his unkind reply (#2) and his spam (#3). */
  const topics: Record<"on" | "off", { id: string; replyId: string; spamId: string }> = {} as never;
  const contexts: BrowserContext[] = [];

  const read = (path: string) => forum.read(path);
  const forumActions = () => forum.forumRecords(ids.modAction);
  const bobsPosts = async () => {
    const bob = forum.people.bob;
    return (await bob.agent.com.atproto.repo.listRecords({ repo: bob.did, collection: ids.post })).data.records;
  };

  beforeAll(async () => {
    const started = await Promise.all([
      ServedForum.start<Name>({
        owner: "alice",
        roles: { mia: "Moderator", bob: "Member", carol: "Member" },
        forumName: "Moderated Pages",
        prepare: async (pds, people) => {
          const repo = pds.forum.agent.com.atproto.repo;
          const record = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
          const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
          const inForum = { $type: "space.atbb.post#forumRef", forum: { uri: record.uri, cid: record.cid } };
          const written: Record<string, string> = {};
          for (const javaScript of ["on", "off"] as const) {
            const topic = await pds.put(people.bob, ids.post, {
              title: `Bob asks, JavaScript ${javaScript}`,
              text: "A question.",
              forum: inForum,
              board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
              createdAt: new Date().toISOString(),
            });
            for (const text of [`An unkind word (${javaScript}).`, `Buy cheap watches (${javaScript}).`])
              await pds.put(people.bob, ids.post, {
                text,
                forum: inForum,
                reply: { $type: "space.atbb.post#replyRef", root: topic.ref, parent: topic.ref },
                createdAt: new Date().toISOString(),
              });
            written[javaScript] = topic.uri;
          }
          return written;
        },
      }),
      launchChromium(),
    ]);
    [forum, browser] = started;
    base = forum.base;
    const written = forum.prepared as Record<"on" | "off", string>;
    boardId = (await read("/api/categories")).categories[0].boards[0].id;
    const listed = await waitFor("both topics indexed", async () => {
      const found = (await read(`/api/boards/${boardId}/topics`)).topics;
      return found?.length === 2 && found.every((t: any) => t.replyCount === 2) ? found : null;
    });
    for (const javaScript of ["on", "off"] as const) {
      const id = listed.find((t: any) => t.uri === written[javaScript]).id as string;
      const replies = (await read(`/api/topics/${id}`)).replies;
      topics[javaScript] = { id, replyId: replies[0].id, spamId: replies[1].id };
    }
    await forum.logIn("mia", "carol");
    const login = await browser.newContext();
    await logInThroughPages(await login.newPage(), base, forum.people.bob.handle, "bob-password");
    bobCookies = (await login.cookies(base)).map(({ name, value }) => ({ name, value, url: base }));
    await login.close();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await forum?.close();
  });

  async function browsing(cookies: Cookie[], javaScriptEnabled: boolean): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    await context.addCookies(cookies);
    const page = await context.newPage();
    return { page, problems: pageProblems(page) };
  }
  const as = (name: "mia" | "carol", javaScriptEnabled: boolean) =>
    browsing([forum.browserCookie(name)], javaScriptEnabled);

  /** Presses a button that posts a form, and waits for the page it leads to. */
  const press = (page: Page, button: string) =>
    Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);

  /** Follows a moderation link, gives a reason, presses the button, and must land back at `back`. */
  async function moderate(page: Page, link: string, button: string, back: string, reason: string) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await page.getByLabel("Reason").fill(reason);
    await press(page, button);
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
      const { page, problems } = await as("mia", javaScript === "on");
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
      await press(bobsView.page, "Post reply");
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
      await press(page, "Ban member");
      expect(await page.getByRole("alert").innerText()).toContain("not in the future");
      expect(await page.getByLabel("Reason").inputValue()).toBe("Too harsh.");
      expect((await forumActions()).length).toBe(actionsNow);
      // Then without an end: bob's posts show as hidden, his ban in the log.
      await page.getByLabel("Ends").fill("");
      await press(page, "Ban member");
      expect(page.url().replace(/#.*$/, "")).toBe(topicUrl);
      for (const number of ["1", "2"])
        expect(await page.locator(`[id="${number}"]`).innerText()).toContain("its author is banned");
      await moderate(page, "Unban author of post 2", "Unban member", topicUrl, "Served.");
      expect(await page.locator('[id="2"]').innerText()).toContain("An unkind word");

      // Each of the eight actions is the forum account's record naming mia, with her reason.
      const actions = (await forumActions()).slice(0, (await forumActions()).length - before);
      expect(actions.length).toBe(8);
      for (const action of actions) expect(action.value).toMatchObject({ createdBy: forum.people.mia.did });
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

  for (const javaScript of ["on", "off"] as const) {
    it(`resolves a report a member filed from the topic page, by hiding the post (JavaScript ${javaScript})`, async () => {
      const { id, spamId } = topics[javaScript];
      const topicUrl = `${base}/t/${id}`;
      const carol = await as("carol", javaScript === "on");
      const mia = await as("mia", javaScript === "on");

      // carol reports bob's spam (#3): a reason that needs a note is refused beside the note, her choice kept.
      await carol.page.goto(topicUrl);
      expect(await carol.page.getByRole("link", { name: "Report post 3" }).count()).toBe(1);
      await carol.page.getByRole("link", { name: "Report post 3" }).click();
      await carol.page.getByLabel("Reason").selectOption("other");
      await press(carol.page, "Send report");
      expect(await carol.page.getByText("is needed when the reason is other").count()).toBe(1);
      expect(await carol.page.getByLabel("Reason").inputValue()).toBe("other");
      await carol.page.getByLabel("Reason").selectOption("spam");
      await carol.page.getByLabel(/What the moderators should know/).fill(`Watches again (${javaScript}).`);
      await press(carol.page, "Send report");
      expect(carol.page.url()).toBe(`${topicUrl}?reported=1#3`);
      expect(await carol.page.getByRole("status").innerText()).toContain("Your report was sent to the moderators");

      // A second report of the same post is refused beside the note, the text kept.
      await carol.page.getByRole("link", { name: "Report post 3" }).click();
      await carol.page.getByLabel(/What the moderators should know/).fill("And again.");
      await press(carol.page, "Send report");
      expect(await carol.page.getByText("You have reported this post already").count()).toBe(1);
      expect(await carol.page.getByLabel(/What the moderators should know/).inputValue()).toBe("And again.");

      // Her own reports say it is open; the queue is not hers to see.
      await carol.page.goto(`${base}/reports/mine`);
      const mine = carol.page.locator("article", { hasText: `Watches again (${javaScript}).` });
      expect(await mine.innerText()).toContain("Open");
      expect((await carol.page.goto(`${base}/reports`))!.status()).toBe(403);
      expect(await carol.page.getByRole("link", { name: "Reports", exact: true }).count()).toBe(0);

      // mia finds it in the queue from the header's link, and hides the post with a note.
      const before = (await forumActions()).length;
      await mia.page.goto(topicUrl);
      await mia.page.getByRole("link", { name: "Reports", exact: true }).click();
      const report = mia.page.locator("article", { hasText: `Watches again (${javaScript}).` });
      expect(await report.innerText()).toContain("Open");
      expect(await report.innerText()).toContain(forum.people.bob.handle);
      expect(await report.innerText()).toContain(forum.people.carol.did);
      // A Moderator may hide and ban: all three resolutions are offered.
      expect(await report.getByRole("button").allInnerTexts()).toEqual(["Dismiss", "Hide post", "Ban author"]);
      await report.getByLabel(/Note on report/).fill(`Spam (${javaScript}).`);
      await Promise.all([mia.page.waitForNavigation(), report.getByRole("button", { name: /^Hide post/ }).click()]);
      expect(mia.page.url()).toMatch(new RegExp(`^${base}/reports#report-\\d+$`));
      const resolved = mia.page.locator("article", { hasText: `Watches again (${javaScript}).` });
      expect(await resolved.innerText()).toContain("Resolved: the post was hidden");
      expect(await resolved.getByRole("button").count()).toBe(0);

      // The post shows as hidden; the hide is the forum account's record naming mia; carol sees it resolved.
      await mia.page.goto(topicUrl);
      expect(await mia.page.locator('[id="3"]').innerText()).toContain("Removed by a moderator.");
      expect((await read(`/api/topics/${id}`)).replies[1]).toMatchObject({
        id: spamId,
        hidden: "removed_by_moderator",
      });
      const actions = await forumActions();
      expect(actions.length).toBe(before + 1);
      expect(actions[0]!.value).toMatchObject({ createdBy: forum.people.mia.did, reason: `Spam (${javaScript}).` });
      await carol.page.goto(`${base}/reports/mine`);
      expect(await mine.innerText()).toContain("Resolved: the post was hidden");
      const refusal = (status: string) =>
        `console: Failed to load resource: the server responded with a status of ${status}`;
      expect(carol.problems).toEqual([
        refusal("400 (Bad Request)"),
        refusal("409 (Conflict)"),
        refusal("403 (Forbidden)"),
      ]);
      expect(mia.problems).toEqual([]);
    }, 120_000);
  }

  it("shows a member no moderation tools, and refuses them the moderation forms, writing nothing", async () => {
    const { id, replyId } = topics.off;
    const { page, problems } = await browsing(bobCookies, false);
    await page.goto(`${base}/t/${id}`);
    expect(await page.getByRole("navigation", { name: "Moderate this topic" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Hide post 2" }).count()).toBe(0);
    // Nobody reports their own posts.
    expect(await page.getByRole("link", { name: "Report post 2" }).count()).toBe(0);
    const before = (await forumActions()).length;
    await page.goto(`${base}/moderate/hide/p/${replyId}?back=/t/${id}`);
    await page.getByLabel("Reason").fill("I do not like it");
    await press(page, "Hide post");
    expect(await page.getByRole("alert").innerText()).toContain(
      "You cannot hide posts: your role (Member) does not permit it",
    );
    expect((await forumActions()).length).toBe(before);
    // A form from another site, or without the token, is refused before anything is looked at.
    const formPost = (path: string, origin: string) =>
      fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: forum.people.mia.cookie, origin, "content-type": "application/x-www-form-urlencoded" },
        body: "back=/&reason=spam&action=dismiss",
      });
    for (const path of [`/moderate/hide/p/${replyId}`, `/p/${replyId}/report`, "/reports/1/resolution"]) {
      const crossSite = await formPost(path, "https://elsewhere.example");
      expect(crossSite.status, path).toBe(403);
      expect(await crossSite.text(), path).toContain("did not come from the forum");
      const noToken = await formPost(path, base);
      expect(noToken.status, path).toBe(403);
      expect(await noToken.text(), path).toContain("token does not match");
    }
    expect((await forumActions()).length).toBe(before);
    expect((await forum.read("/api/reports/mine", forum.people.mia)).total).toBe(0);
    // Unknown verbs, kinds and targets are not found; "back" never leads off the forum.
    for (const path of [
      "/moderate/delete/p/1",
      "/moderate/hide/t/1",
      "/moderate/hide/p/999999",
      "/moderate/ban/u/nobody",
      "/p/999999/report",
    ])
      expect((await page.goto(`${base}${path}`))!.status(), path).toBe(404);
    expect(problems.filter((p) => !p.includes("404") && !p.includes("403"))).toEqual([]);
  }, 120_000);

  it("passes axe's WCAG 2.1 AA rules on the moderation and report pages, in light and dark, with the CSP", async () => {
    const { id, replyId } = topics.on;
    const mia = await as("mia", true);
    const carol = await as("carol", true);
    const pages: [Page, string][] = [
      [mia.page, `/t/${id}`],
      [mia.page, `/moderate/hide/p/${replyId}?back=/t/${id}`],
      [mia.page, `/moderate/lock/t/${id}?back=/t/${id}`],
      [mia.page, `/moderate/ban/u/${forum.people.bob.did}?back=//elsewhere.example`],
      [mia.page, "/reports"],
      [carol.page, `/t/${id}?reported=1#2`],
      [carol.page, `/p/${replyId}/report?back=/t/${id}%232`],
      [carol.page, "/reports/mine"],
    ];
    for (const colorScheme of ["light", "dark"] as const)
      for (const [page, path] of pages) {
        await page.emulateMedia({ colorScheme });
        const response = await page.goto(`${base}${path}`);
        expect(response!.status(), path).toBe(200);
        expect(response!.headers()["content-security-policy"], path).toBe(CONTENT_SECURITY_POLICY);
        expect(await axeViolations(page), `${path} (${colorScheme})`).toEqual([]);
      }
    // At a 360 px phone's width nothing runs off the side.
    for (const [page, path] of pages) {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`${base}${path}`);
      expect(await page.evaluate("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(360);
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    // The report form with a refusal beside its note, too.
    await carol.page.goto(`${base}/p/${replyId}/report?back=/t/${id}%232`);
    await carol.page.getByLabel("Reason").selectOption("other");
    await press(carol.page, "Send report");
    expect(await carol.page.getByText("is needed when the reason is other").count()).toBe(1);
    expect(await axeViolations(carol.page)).toEqual([]);
    // The ban form's way back is this forum's index, not the other site it was given.
    await mia.page.goto(`${base}/moderate/ban/u/${forum.people.bob.did}?back=//elsewhere.example`);
    expect(await mia.page.locator('input[name="back"]').getAttribute("value")).toBe("/");
    expect(mia.problems).toEqual([]);
    expect(carol.problems).toEqual([
      `console: Failed to load resource: the server responded with a status of 400 (Bad Request)`,
    ]);
  }, 120_000);
});
