// The search page and the search box, as HTML without JavaScript: a plain
// GET form on every page, results with their escaped, highlighted snippet.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ForumStream } from "../support/forum-events.ts";
import { seededApp } from "../support/seeded-app.ts";

const alice = "did:plc:alicealicealicealiceaaaa";

let database: MigratedTestDatabase;
beforeEach(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => database?.drop());

describe(`the search page (${dialect})`, () => {
  it("is reached from a box on every page and shows what was found, escaped and highlighted", async () => {
    const s = new ForumStream();
    s.forum("Bakers");
    const board = s.board(s.category("General"), "Chat");
    s.topic(alice, board, "Rye <b>bread</b>", "Rye <i>flour</i> needs a long proof");
    const app = await seededApp(database.handle, s, { pages: true });

    const index = await (await app.request("/")).text();
    expect(index).toContain('<form class="search-box" method="get" action="/search">');

    const response = await app.request(`/search?${new URLSearchParams({ q: "flour" })}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("1 post found");
    expect(html).toContain("Rye &lt;b&gt;bread&lt;/b&gt;");
    expect(html).toContain("Rye &lt;i&gt;<mark>flour</mark>&lt;/i&gt; needs a long proof");
    expect(html).not.toContain("<i>flour");
  });

  it("says why a query cannot be read, and that nothing was found", async () => {
    const s = new ForumStream();
    s.forum("Bakers");
    s.board(s.category("General"), "Chat");
    const app = await seededApp(database.handle, s, { pages: true });
    const refused = await app.request(`/search?${new URLSearchParams({ q: "-only" })}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("q must contain at least one word to look for");
    const none = await app.request(`/search?${new URLSearchParams({ q: "missing" })}`);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain("Nothing found.");
  });
});

describe(`the search page's filters (${dialect})`, () => {
  const bob = "did:plc:bobbobbobbobbobbobbobbbb";
  const DAY_US = 86_400_000_000;

  /** Each event a day after the one before: alice's 21 topics in Chat (2026-11-05 to 25), then bob's topic and reply in Oven. */
  async function bakers() {
    const s = new ForumStream({ stepUs: DAY_US });
    s.forum("Bakers");
    const category = s.category("General");
    const chat = s.board(category, "Chat");
    const oven = s.board(category, "Oven");
    for (let i = 1; i <= 21; i++) s.topic(alice, chat, `Flour ${i}`, `Flour, batch ${i}`);
    const topic = s.topic(bob, oven, "Bob's flour", "Which flour?");
    s.reply(bob, topic, topic, "This flour, I think.");
    const app = await seededApp(database.handle, s, { pages: true });
    // Handles count once verified (beside the indexer, against the DID document): alice's is.
    const { users } = database.handle.schema;
    await database.handle.db.update(users).set({ handle: "alice.test" }).where(eq(users.did, alice));
    const boards = ((await (await app.request("/api/categories")).json()) as any).categories[0].boards;
    const idOf = (name: string) => boards.find((b: { name: string }) => b.name === name).id as string;
    return { app, chat: idOf("Chat"), oven: idOf("Oven") };
  }
  const searching = async (app: Awaited<ReturnType<typeof bakers>>["app"], params: Record<string, string>) => {
    const response = await app.request(`/search?${new URLSearchParams(params)}`);
    return { status: response.status, html: await response.text() };
  };

  it("narrows by board, author, topics only, dates and order, keeping each filter in the form and the page links", async () => {
    const { app, chat, oven } = await bakers();
    expect((await searching(app, { q: "flour" })).html).toContain("23 posts found");
    expect((await searching(app, { q: "flour", board: oven })).html).toContain("2 posts found");
    expect((await searching(app, { q: "flour", author: bob })).html).toContain("2 posts found");
    // A handle known here stands for its member's DID.
    expect((await searching(app, { q: "flour", author: "alice.test" })).html).toContain("21 posts found");
    expect((await searching(app, { q: "flour", author: bob, topics: "only" })).html).toContain("1 post found");
    // Alice's last topic is of 2026-11-25, bob's topic and reply of the two days after.
    const dated = await searching(app, { q: "flour", since: "2026-11-25", until: "2026-11-27" });
    expect(dated.html).toContain("2 posts found");
    expect(dated.html).toContain("Flour 21");
    expect(dated.html).toContain("Bob&#39;s flour");
    const newest = await searching(app, { q: "flour", order: "newest", board: chat });
    expect(newest.html.indexOf("Flour 21")).toBeLessThan(newest.html.indexOf("Flour 20"));

    // The form shows what was asked, and the next page's link keeps it all.
    const asked = {
      q: "flour",
      board: chat,
      author: "alice.test",
      topics: "only",
      since: "2026-11-01",
      order: "newest",
    };
    const { status, html } = await searching(app, asked);
    expect(status).toBe(200);
    expect(html).toContain("21 posts found");
    expect(html).toContain(`<option value="${chat}" selected="">Chat</option>`);
    expect(html).toContain('name="author" value="alice.test"');
    expect(html).toMatch(/name="topics" value="only" checked=""/);
    expect(html).toContain('name="since" value="2026-11-01"');
    expect(html).toContain('<option value="newest" selected="">Newest first</option>');
    const next = new URLSearchParams({ ...asked, page: "2" }).toString().replaceAll("&", "&amp;");
    expect(html).toContain(`<a href="/search?${next}">Next</a>`);
    const second = await searching(app, { ...asked, page: "2" });
    expect(second.html).toContain("Flour 1<");
    expect(second.html).toContain(
      `<a href="/search?${new URLSearchParams(asked).toString().replaceAll("&", "&amp;")}">Previous</a>`,
    );
  });

  it("says which filter it cannot read, with a 400 and the form kept, never a failure", async () => {
    const { app } = await bakers();
    for (const [filter, value, message] of [
      ["board", "chat", "board must be a board&#39;s numeric id"],
      ["author", "nobody.test", "author nobody.test is not a handle known here"],
      ["author", "did:nope", "author must be a DID such as did:plc:abc123"],
      ["topics", "all", "topics"],
      ["since", "yesterday", "since must be a date such as 2026-01-31"],
      ["until", "2026-13-45", "until must be a date such as 2026-01-31"],
      ["order", "oldest", "order"],
    ] as const) {
      const { status, html } = await searching(app, { q: "flour", [filter]: value });
      expect(status, `${filter}=${value}`).toBe(400);
      expect(html, `${filter}=${value}`).toMatch(
        new RegExp(`role="alert">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      );
      expect(html, `${filter}=${value}`).toContain(`name="q" value="flour"`);
      expect(html, `${filter}=${value}`).not.toContain("posts found");
    }
  });
});
