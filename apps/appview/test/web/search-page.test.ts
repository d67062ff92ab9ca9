// The search page and the search box, as HTML without JavaScript: a plain
// GET form on every page, results with their escaped, highlighted snippet.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
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
