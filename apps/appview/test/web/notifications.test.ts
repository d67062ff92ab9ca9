// The bell and the notifications page in a real browser (Debian's chromium):
// the count on every page, the list linking to the posts, "mark all read"
// (a plain form: test/api/notifications.test.ts posts it as a browser without
// JavaScript would), and the page accessible (axe-core, WCAG 2.1 AA).
import { dialect } from "@atbb/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { browsingMember } from "../support/browsing-member.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];

describe(`the notifications a member sees (${dialect})`, () => {
  let browsing: Awaited<ReturnType<typeof browsingMember>>;
  let forum: Awaited<ReturnType<typeof browsingMember>>["forum"];
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Bell Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    for (const did of [alice, bob, carol]) s.join(did, place);
    const topic = s.topic(alice, chat, "Alice asks");
    s.reply(bob, topic, topic, "Bob answers");
    s.reply(carol, topic, topic, "Carol answers");
    browsing = await browsingMember(s, alice);
    ({ forum, page, problems } = browsing);
    page.setDefaultTimeout(10_000);
  }, 60_000);
  afterAll(() => browsing?.close());

  it("shows the unread count in the bell, lists them linked to the posts, and marks them read", async () => {
    await page.goto(`${forum.origin}/b/1`);
    const bell = page.getByRole("link", { name: /Notifications/ });
    expect(await bell.innerText()).toMatch(/Notifications\s*2/);

    await bell.click();
    await page.waitForURL(`${forum.origin}/notifications`);
    const items = page.getByRole("list", { name: "Your notifications" }).getByRole("listitem");
    expect(await items.count()).toBe(2);
    expect(await items.first().innerText()).toContain("replied in your topic");
    const link = items.first().getByRole("link", { name: "Alice asks #3" });
    expect(await link.getAttribute("href")).toMatch(/^\/t\/\d+#3$/);
    expect(await axeViolations(page)).toEqual([]);
    // At a 360 px phone's width nothing runs off the side.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByRole("button", { name: "Mark all read" }).click();
    await page.waitForURL(`${forum.origin}/notifications`);
    expect(await page.locator(".list .badge.unread").count()).toBe(0);
    expect(await page.getByRole("link", { name: /Notifications/ }).innerText()).not.toMatch(/\d/);

    await link.click();
    await page.waitForURL(/\/t\/\d+#3$/);
    expect(await page.locator('[id="3"]').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
