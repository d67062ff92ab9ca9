// The pages by keyboard alone, in a real browser: the first Tab reaches the
// skip link, shown and outlined; following it lands in the page's main
// content; Tab and Enter alone walk from the index to a board, to the
// new-topic form, and through it to a preview of what was typed. Every focus
// on the way is visibly outlined.
import { dialect } from "@atbb/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browsingMember } from "../support/browsing-member.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob] = sampleUsers as [string, string];
/** More Tabs than any of these pages has stops before the one looked for. */
const MOST_TABS = 40;

interface Focus {
  tag: string;
  text: string;
  name: string | null;
  outlined: boolean;
  onScreen: boolean;
}

/** What has the focus: its tag, its text or name, and whether it is drawn with an outline (read in the page). */
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.textContent ?? "").trim(),
    name: element.getAttribute("name"),
    outlined: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0,
    onScreen: box.right > 0 && box.bottom > 0 && box.width > 0 && box.height > 0,
  };
})()`;
const focused = (page: Page) => page.evaluate(FOCUSED) as Promise<Focus | null>;

/** Presses Tab until the focus is on what `wanted` picks (failing after MOST_TABS); every stop on the way must be outlined. */
async function tabTo(
  page: Page,
  what: string,
  wanted: (at: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean,
) {
  for (let n = 0; n < MOST_TABS; n++) {
    await page.keyboard.press("Tab");
    const at = await focused(page);
    if (at === null) continue;
    expect({ what, stop: at.text || at.name, outlined: at.outlined }).toEqual({
      what,
      stop: at.text || at.name,
      outlined: true,
    });
    if (wanted(at)) return at;
  }
  throw new Error(`${MOST_TABS} Tabs did not reach ${what}`);
}

describe(`the pages by keyboard alone (${dialect})`, () => {
  let browsing: Awaited<ReturnType<typeof browsingMember>>;
  let forum: Awaited<ReturnType<typeof browsingMember>>["forum"];
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Keyboard Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
    for (const did of [alice, bob]) {
      s.join(did, place, member);
      s.grant(did, member);
    }
    s.topic(bob, chat, "Hello by keyboard", "Read me without a mouse.");
    browsing = await browsingMember(s, alice);
    ({ forum, page, problems } = browsing);
  }, 60_000);
  afterAll(() => browsing?.close());

  it("walks from the index to a previewed new topic with Tab and Enter, every focus outlined", async () => {
    await page.goto(`${forum.origin}/`);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", text: expect.stringMatching(/skip/i), outlined: true });
    expect((await focused(page))!.onScreen).toBe(true);
    await page.keyboard.press("Enter");
    expect(new URL(page.url()).hash).toBe("#main");

    await tabTo(page, "the board's link", (at) => at.tag === "a" && at.text === "Chat");
    await Promise.all([page.waitForURL(/\/b\/1$/), page.keyboard.press("Enter")]);
    await tabTo(page, "the new-topic link", (at) => at.tag === "a" && at.text === "New topic");
    await Promise.all([page.waitForURL(/\/b\/1\/new$/), page.keyboard.press("Enter")]);

    await tabTo(page, "the title field", (at) => at.name === "title");
    await page.keyboard.type("Typed, never clicked");
    await tabTo(page, "the text field", (at) => at.name === "text");
    await page.keyboard.type("Every key a *keyboard* key.");
    await tabTo(page, "the preview button", (at) => at.tag === "button" && at.text === "Preview");
    await Promise.all([page.waitForLoadState("load"), page.waitForURL(/\/b\/1\/new$/), page.keyboard.press("Enter")]);
    await page.locator(".preview").waitFor();
    expect(await page.locator(".preview").innerText()).toContain("Every key a keyboard key.");
    expect(await page.locator('input[name="title"]').inputValue()).toBe("Typed, never clicked");
    expect(problems).toEqual([]);
  });
});
