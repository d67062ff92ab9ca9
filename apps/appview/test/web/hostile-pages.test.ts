// The hostile-Markdown corpus as the pages show it, in a real browser (Debian's
// chromium): each entry a reply, one quoted, all of them previewed. Nothing
// runs (no dialog opens, the console stays quiet: a CSP refusal would be an
// error there), and what the posts became holds only harmless elements and
// attributes — no handler, no inline style, no HTMX or data attribute, no
// unsafe link. (The pages' CSS and JS weight is checked in serve.test.ts.)
import { dialect } from "@atbb/testing";
import { ids } from "@atbb/lexicon";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE } from "../../../web/test/hostile-markdown.ts";
import { browsingMember } from "../support/browsing-member.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];
const ELEMENTS = new Set(
  "p strong em s ul ol li blockquote code pre br hr table thead tbody tr th td a time h2".split(" "),
);
const ATTRIBUTES = new Set(["class", "href", "rel", "title", "start", "style", "datetime", "id"]);

/**
 * Every part of the posts' bodies, quotes and the preview that is not
 * harmless, said as a sentence. (Run in the page: written as source, since
 * these tests are typed without the DOM's types.)
 */
const UNSAFE_PARTS = `(() => {
  const elements = ${JSON.stringify([...ELEMENTS])};
  const attributes = ${JSON.stringify([...ATTRIBUTES])};
  const found = [];
  for (const element of document.querySelectorAll(".post .body *, .preview *")) {
    const name = element.tagName.toLowerCase();
    if (!elements.includes(name)) found.push("element <" + name + ">");
    for (const { name: attribute, value } of element.attributes) {
      if (!attributes.includes(attribute)) found.push("attribute " + attribute + " on <" + name + ">");
      if (attribute === "style" && !/^text-align:(left|right|center)$/.test(value)) found.push("style " + value);
      if (attribute === "href" && !/^(https?:|mailto:|#|\\/(?!\\/))/i.test(value)) found.push("href " + value);
    }
  }
  // The page's own scripts come from its own origin; nothing else loads or frames anything.
  for (const script of document.querySelectorAll("script"))
    if (!script.src.startsWith(location.origin + "/static/")) found.push("script " + script.outerHTML);
  for (const element of document.querySelectorAll("iframe, object, embed, img, svg, style, base, meta[http-equiv]"))
    found.push("element " + element.outerHTML);
  return found;
})()`;

const unsafeParts = (page: Page) => page.evaluate(UNSAFE_PARTS) as Promise<string[]>;

describe(`the hostile-Markdown corpus in the pages, in a real browser (${dialect})`, () => {
  let browsing: Awaited<ReturnType<typeof browsingMember>>;
  let forum: typeof browsing.forum;
  let page: Page;
  let problems: string[];
  const dialogs: string[] = [];
  let topicId: string;
  let quotedId: string;

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Hostile Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
    for (const did of [alice, bob, carol]) {
      s.join(did, place, member);
      s.grant(did, member);
    }
    const topic = s.topic(bob, chat, '<script>alert("title")</script>', HOSTILE.join("\n\n"));
    const replies = HOSTILE.map((text) => s.reply(carol, topic, topic, text));
    s.commit(carol, ids.post, {
      text: "Quoting the worst one",
      reply: { $type: "space.atbb.post#replyRef", root: topic.ref, parent: topic.ref },
      quote: { $type: "space.atbb.post#quoteRef", post: replies[0]!.ref },
      createdAt: s.isoNow(),
    });
    browsing = await browsingMember(s, alice);
    ({ forum, page, problems } = browsing);
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const { topics } = (await (await forum.app.request("/api/boards/1/topics")).json()) as { topics: { id: string }[] };
    topicId = topics[0]!.id;
    const { replies: shown } = (await (await forum.app.request(`/api/topics/${topicId}`)).json()) as {
      replies: { id: string }[];
    };
    quotedId = shown[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await browsing?.close();
  });

  it("shows every page of the thread, the board, the quote and the member inert", async () => {
    const pages = [
      "/",
      "/b/1",
      `/t/${topicId}`,
      `/t/${topicId}?page=2`,
      `/t/${topicId}/reply?quote=${quotedId}`,
      `/u/${carol}`,
    ];
    for (const path of pages) {
      const response = await page.goto(`${forum.origin}${path}`);
      expect(response!.status(), path).toBe(200);
      expect(await unsafeParts(page), path).toEqual([]);
    }
    // The quote on page 2 carries the quoted reply's text, as text.
    await page.goto(`${forum.origin}/t/${topicId}?page=2`);
    expect(await page.locator("blockquote.quote").innerText()).toContain("<script>alert(1)</script>");
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("previews the whole corpus inert, keeping it in the form as typed", async () => {
    const corpus = HOSTILE.join("\n\n");
    await page.goto(`${forum.origin}/t/${topicId}/reply`);
    await page.getByLabel("Your reply").fill(corpus);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Preview" }).click()]);
    expect(await page.locator(".preview").count()).toBe(1);
    expect(await page.getByLabel("Your reply").inputValue()).toBe(corpus);
    expect(await unsafeParts(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("the detector finds what it looks for: an element with a handler, an unsafe link and a foreign script fail", async () => {
    await page.goto(`${forum.origin}/t/${topicId}`);
    await page.evaluate(`
      document.querySelector(".post .body").insertAdjacentHTML("beforeend", '<img src="data:," onerror="void 0"><span hx-get="/x">x</span><a href="javascript:void 0">x</a><a href="/t/1">fine</a>');
      const script = document.createElement("script");
      script.src = "https://cdn.example/x.js";
      document.head.append(script);
    `);
    expect(await unsafeParts(page)).toEqual(
      expect.arrayContaining([
        "element <img>",
        "attribute onerror on <img>",
        "element <span>",
        "attribute hx-get on <span>",
        "href javascript:void 0",
        expect.stringContaining("script <script"),
      ]),
    );
  });
});
