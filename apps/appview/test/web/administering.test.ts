// An administrator's journey through the administration pages in a real
// browser (Debian's chromium), against the real PDS of @atproto/dev-env and
// `atbb serve` logged in as the forum account: create a category and a board
// in it, rename the board, reorder the category, try to delete a board that
// holds a topic (refused, and why), delete an empty one, grant a role and be
// refused one above the hierarchy; with JavaScript on and off. Each step shows
// in the page, in the forum account's repository and in the database. A
// Member is refused /admin, and sees no link to it.
import { CONTENT_SECURITY_POLICY } from "@atbb/web";
import { ids } from "@atbb/lexicon";
import { dialect } from "@atbb/testing";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { axeViolations } from "../support/axe.ts";
import { launchChromium, pageProblems } from "../support/browser.ts";
import { ServedForum, type Member } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type Name = "alice" | "ada" | "carol" | "dan" | "erin";

describe(`an administrator's pages in a real browser (${dialect})`, () => {
  let forum: ServedForum<Name>;
  let people: Record<Name, Member>;
  let browser: Browser;
  /** The default board, which holds carol's topic. */
  let busyBoard: { id: string; name: string };
  const contexts: BrowserContext[] = [];

  const sessionOf = (who: Member) => who.cookie.split("=")[1]!;
  const rows = async <T extends "categories" | "boards" | "roleGrants">(table: T) => {
    const { db, schema } = forum.handle;
    return (await db.select().from(schema[table] as never)) as any[];
  };
  const repository = async () => ({
    categories: (await forum.forumRecords(ids.category)).map((r) => [r.uri, r.cid]),
    boards: (await forum.forumRecords(ids.board)).map((r) => [r.uri, r.cid]),
    grants: (await forum.forumRecords(ids.roleAssignment)).map((r) => [r.uri, r.cid]),
  });
  const everywhere = async () => ({
    repository: await repository(),
    categories: await rows("categories"),
    boards: await rows("boards"),
    grants: await rows("roleGrants"),
  });
  /** The state before a refusal, once the firehose has echoed every earlier write (an echo re-stamps indexedAt). */
  const settled = async () => {
    await forum.echoed();
    return everywhere();
  };

  beforeAll(async () => {
    [forum, browser] = await Promise.all([
      ServedForum.start<Name>({
        owner: "alice",
        roles: { ada: "Admin", carol: "Member", dan: "Member", erin: "Member" },
        forumName: "Administered Pages",
        // A topic on the default board, so that deleting it has something to refuse for.
        prepare: async (pds, who) => {
          const repo = pds.forum.agent.com.atproto.repo;
          const forumRecord = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
          const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
          await pds.put(who.carol, ids.post, {
            forum: { $type: "space.atbb.post#forumRef", forum: { uri: forumRecord.uri, cid: forumRecord.cid } },
            board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
            title: "Hello",
            text: "Carol says hello",
            createdAt: new Date().toISOString(),
          });
        },
      }),
      launchChromium(),
    ]);
    people = forum.people;
    busyBoard = await waitFor("carol's topic indexed", async () => {
      const board = (await forum.read("/api/categories")).categories[0]?.boards[0];
      return board && (await forum.read(`/api/boards/${board.id}/topics`)).topics?.length === 1 ? board : null;
    });
    await forum.logIn("ada", "carol");
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await forum?.close();
  });

  async function browsing(who: Member | null, javaScriptEnabled: boolean): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    if (who) await context.addCookies([{ name: SESSION_COOKIE, value: sessionOf(who), url: forum.base }]);
    const page = await context.newPage();
    return { page, problems: pageProblems(page) };
  }

  /** Presses a form's button and waits for the page it leads to. */
  async function press(page: Page, button: ReturnType<Page["getByRole"]>) {
    await Promise.all([page.waitForNavigation(), button.click()]);
  }
  const at = (page: Page) => new URL(page.url()).pathname;

  for (const javaScript of ["on", "off"] as const) {
    it(`creates, renames, reorders and deletes places, and grants a role (JavaScript ${javaScript})`, async () => {
      const { page, problems } = await browsing(people.ada, javaScript === "on");
      const categoryName = `Announcements ${javaScript}`;
      const boardName = `News ${javaScript}`;
      const renamed = `Forum news ${javaScript}`;

      // The header's link leads to the administration, and on to the structure.
      await page.goto(`${forum.base}/`);
      await press(page, page.getByRole("link", { name: "Administration", exact: true }));
      expect(at(page)).toBe("/admin");
      await press(page, page.getByRole("link", { name: "Categories and boards" }));

      // A category without a name is refused beside the field, the description kept, nothing written.
      const before = await settled();
      await page.locator("#new-category-description").fill("What the forum says.");
      await press(page, page.getByRole("button", { name: "Create category" }));
      expect(await page.locator("#new-category-name-error").innerText()).toContain("The name is empty");
      expect(await page.locator("#new-category-description").inputValue()).toBe("What the forum says.");
      expect(await everywhere()).toEqual(before);
      // With a name it is created: in the page, the repository and the database.
      await page.locator("#new-category-name").fill(categoryName);
      await press(page, page.getByRole("button", { name: "Create category" }));
      expect(at(page)).toBe("/admin/structure");
      expect(await page.getByRole("heading", { level: 2, name: categoryName }).count()).toBe(1);
      const categoryRecord = (await forum.forumRecords(ids.category)).find(
        (r) => (r.value as { name: string }).name === categoryName,
      )!;
      expect(categoryRecord.value).toMatchObject({ description: "What the forum says." });
      const categoryRow = (await rows("categories")).find((r) => r.name === categoryName);
      expect(categoryRow).toMatchObject({ description: "What the forum says.", cid: categoryRecord.cid });

      // A board in it.
      await press(page, page.getByRole("link", { name: `Edit category ${categoryName} or add a board to it` }));
      await page.locator("#new-board-name").fill(boardName);
      await press(page, page.getByRole("button", { name: "Create board" }));
      expect(await page.getByRole("list", { name: `Boards of ${categoryName}` }).innerText()).toContain(boardName);
      const boardRecord = (await forum.forumRecords(ids.board)).find(
        (r) => (r.value as { name: string }).name === boardName,
      )!;
      expect(boardRecord.value).toMatchObject({ category: { category: { uri: categoryRecord.uri } } });
      const boardRow = (await rows("boards")).find((r) => r.name === boardName);
      expect(boardRow).toMatchObject({ categoryId: categoryRow.id, cid: boardRecord.cid });

      // Renamed.
      await press(page, page.getByRole("link", { name: `Edit board ${boardName}` }));
      await page.locator("#board-name").fill(renamed);
      await press(page, page.getByRole("button", { name: "Save board" }));
      expect(await page.getByRole("list", { name: `Boards of ${categoryName}` }).innerText()).toContain(renamed);
      expect(await forum.forumRecord(ids.board, boardRecord.uri.split("/").pop()!)).toMatchObject({
        name: renamed,
        slug: `forum-news-${javaScript}`,
      });
      expect((await rows("boards")).find((r) => r.id === boardRow.id)).toMatchObject({ name: renamed });

      // Reordered: a sort order that is not a number is refused beside it; 0 puts the category first.
      await press(page, page.getByRole("link", { name: `Edit category ${categoryName} or add a board to it` }));
      await page.locator("#category-sort").fill("first");
      await press(page, page.getByRole("button", { name: "Save category" }));
      expect(await page.locator("#category-sort-error").innerText()).toContain("whole number");
      expect(await page.locator("#category-sort").inputValue()).toBe("first");
      await page.locator("#category-sort").fill("0");
      await press(page, page.getByRole("button", { name: "Save category" }));
      expect(await page.getByRole("heading", { level: 2 }).first().innerText()).toBe(categoryName);
      expect(await forum.forumRecord(ids.category, categoryRecord.uri.split("/").pop()!)).toMatchObject({
        sortOrder: 0,
      });
      expect((await rows("categories")).find((r) => r.id === categoryRow.id)).toMatchObject({ sortOrder: 0 });
      expect((await forum.read("/api/categories")).categories[0].name).toBe(categoryName);

      // Deleting the board that holds carol's topic is refused, and says why; nothing is deleted.
      const kept = await settled();
      await press(page, page.getByRole("link", { name: `Delete board ${busyBoard.name}` }));
      await press(page, page.getByRole("button", { name: "Delete board" }));
      expect(await page.getByRole("alert").innerText()).toContain(`holds 1 topic(s)`);
      expect(await everywhere()).toEqual(kept);
      // The empty one goes, after its confirmation page.
      await page.goto(`${forum.base}/admin/structure`);
      await press(page, page.getByRole("link", { name: `Delete board ${renamed}` }));
      expect(at(page)).toMatch(/^\/admin\/boards\/\d+\/delete$/);
      await press(page, page.getByRole("button", { name: "Delete board" }));
      expect(at(page)).toBe("/admin/structure");
      expect(await page.getByRole("link", { name: `Edit board ${renamed}` }).count()).toBe(0);
      expect(await forum.forumRecord(ids.board, boardRecord.uri.split("/").pop()!)).toBeNull();
      expect((await rows("boards")).some((r) => r.name === renamed)).toBe(false);

      // A role below ada's own is granted; one that is not below it is refused beside the form.
      const member = javaScript === "on" ? people.dan : people.erin;
      const rowOf = () => page.locator("li", { has: page.locator(`a[href="/u/${member.did}"]`) });
      await page.goto(`${forum.base}/admin`);
      await press(page, page.getByRole("link", { name: "Members and roles" }));
      expect(await rowOf().locator(".muted").innerText()).toContain("Member");
      await rowOf().getByRole("combobox").selectOption({ label: "Moderator (priority 20)" });
      await press(page, rowOf().getByRole("button", { name: "Grant role" }));
      expect(at(page)).toBe("/admin/members");
      expect(await rowOf().locator(".muted").innerText()).toContain("Moderator");
      const grant = await forum.forumRecord(ids.roleAssignment, member.did);
      expect(grant).toMatchObject({ did: member.did });
      const moderator = (await forum.read("/api/roles")).roles.find((r: { name: string }) => r.name === "Moderator");
      const { db, schema } = forum.handle;
      const [granted] = await db.select().from(schema.roleGrants).where(eq(schema.roleGrants.rkey, member.did));
      expect(String(granted!.roleId)).toBe(moderator.id);

      const unchanged = await settled();
      await rowOf().getByRole("combobox").selectOption({ label: "Admin (priority 10)" });
      await press(page, rowOf().getByRole("button", { name: "Grant role" }));
      expect(await rowOf().getByRole("alert").innerText()).toContain("Only a role below your own can be granted");
      expect(await rowOf().getByRole("combobox").inputValue()).toBe(
        (await forum.read("/api/roles")).roles.find((r: { name: string }) => r.name === "Admin").id,
      );
      expect(await everywhere()).toEqual(unchanged);

      // Nothing went wrong but the refusals asked for: the empty name and the bad sort order (400),
      // the busy board (409), the role above the hierarchy (403).
      const refusal = (status: string) =>
        `console: Failed to load resource: the server responded with a status of ${status}`;
      expect(problems).toEqual([
        refusal("400 (Bad Request)"),
        refusal("400 (Bad Request)"),
        refusal("409 (Conflict)"),
        refusal("403 (Forbidden)"),
      ]);
    }, 240_000);
  }

  it("refuses a Member the administration, and a logged-out visitor goes to the login", async () => {
    const { page, problems } = await browsing(people.carol, false);
    await page.goto(`${forum.base}/`);
    expect(await page.getByRole("link", { name: "Administration" }).count()).toBe(0);
    for (const path of ["/admin", "/admin/structure", "/admin/members", "/admin/log", "/admin/backfill"]) {
      const response = await page.goto(`${forum.base}${path}`);
      expect(response!.status(), path).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Not permitted");
    }
    // A form posted with carol's own token (every page's logout form carries it) is refused too, writing nothing.
    const carolsToken = (await page.locator('input[name="csrf"]').first().getAttribute("value"))!;
    const adas = await browsing(people.ada, false);
    await adas.page.goto(`${forum.base}/admin/structure`);
    const adasToken = (await adas.page.locator('input[name="csrf"]').first().getAttribute("value"))!;
    const before = await settled();
    const post = (who: Member, path: string, body: Record<string, string>, origin = forum.base) =>
      fetch(`${forum.base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: who.cookie, origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    expect((await post(people.carol, "/admin/categories", { csrf: carolsToken, name: "Mine" })).status).toBe(403);
    // ada's forms from another site, or without her token, are refused before anything is looked at.
    expect(
      (await post(people.ada, "/admin/categories", { csrf: adasToken, name: "X" }, "https://elsewhere.example")).status,
    ).toBe(403);
    expect((await post(people.ada, "/admin/categories", { name: "X" })).status).toBe(403);
    expect((await post(people.ada, `/admin/boards/${busyBoard.id}/delete`, { csrf: "forged" })).status).toBe(403);
    expect(await everywhere()).toEqual(before);

    const guest = await browsing(null, false);
    await guest.page.goto(`${forum.base}/admin/structure`);
    expect(at(guest.page)).toBe("/login");
    expect(problems.filter((p) => !p.includes("403"))).toEqual([]);
    expect(adas.problems).toEqual([]);
    expect(guest.problems).toEqual([]);
  }, 120_000);

  it("passes axe's WCAG 2.1 AA rules on every administration page, in light and dark, with the CSP", async () => {
    const { page, problems } = await browsing(people.ada, true);
    const categoryId = (await forum.read("/api/categories")).categories[0].id as string;
    // A moderator's action for the log to show: the operator locks carol's topic.
    const topic = (await forum.read(`/api/boards/${busyBoard.id}/topics`)).topics[0];
    await forum.atbb("mod", "lock", topic.uri, "--reason", "Enough said.");
    await waitFor("the lock in the log", async () => (await forum.read("/api/mod-actions")).total === 1);
    await page.goto(`${forum.base}/admin/log`);
    const log = await page.getByRole("list", { name: "Moderation actions" }).innerText();
    expect(log).toContain(`lock of the post ${topic.uri}`);
    expect(log).toContain("Enough said.");
    const pages = [
      "/admin",
      "/admin/structure",
      `/admin/categories/${categoryId}`,
      `/admin/boards/${busyBoard.id}`,
      `/admin/boards/${busyBoard.id}/delete`,
      `/admin/categories/${categoryId}/delete`,
      "/admin/members",
      "/admin/log",
      "/admin/backfill",
    ];
    for (const colorScheme of ["light", "dark"] as const)
      for (const path of pages) {
        await page.emulateMedia({ colorScheme });
        const response = await page.goto(`${forum.base}${path}`);
        expect(response!.status(), path).toBe(200);
        expect(response!.headers()["content-security-policy"], path).toBe(CONTENT_SECURITY_POLICY);
        expect(await axeViolations(page), `${path} (${colorScheme})`).toEqual([]);
      }
    // At a 360 px phone's width nothing runs off the side.
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of pages) {
      await page.goto(`${forum.base}${path}`);
      expect(await page.evaluate("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(360);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    // A refused form shows its error in the page, and that page passes too.
    await page.goto(`${forum.base}/admin/boards/${busyBoard.id}`);
    await page.locator("#board-name").fill("");
    await press(page, page.getByRole("button", { name: "Save board" }));
    expect(await page.locator("#board-name-error").innerText()).toContain("The name is empty");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([
      `console: Failed to load resource: the server responded with a status of 400 (Bad Request)`,
    ]);
  }, 180_000);
});
