// Full-text search through the API over a forum indexed by the real
// indexer: what a person's query finds, what moderation keeps out, and that
// no query text can break the engine's syntax.
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { searchPosts } from "../../src/api/search/reads.ts";
import { parseSearch } from "../../src/api/search/terms.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { ForumStream } from "../support/forum-events.ts";

const alice = "did:plc:alicealicealicealiceaaaa";
const bob = "did:plc:bobbobbobbobbobbobbobaaa";
const carol = "did:plc:carolcarolcarolcarolcccc";

let database: MigratedTestDatabase;
beforeEach(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => database?.drop());

/** A forum of two boards; `index()` applies everything written so far (a replay of what came before). */
function forum() {
  const s = new ForumStream();
  s.forum();
  const category = s.category("General");
  const chat = s.board(category, "Chat");
  const help = s.board(category, "Help");
  const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
  const app = createApp({
    database: database.handle,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[database.handle.dialect],
    forumDid: s.forumDid,
  });
  const search = async (query: Record<string, string>) => {
    const response = await app.request(`/api/search?${new URLSearchParams(query)}`);
    return { status: response.status, body: (await response.json()) as any };
  };
  /** The texts found, in order. */
  const found = async (q: string, extra: Record<string, string> = {}) => {
    const { status, body } = await search({ q, ...extra });
    expect(status, JSON.stringify(body)).toBe(200);
    return body.results.map((r: any) => r.text as string);
  };
  return { s, chat, help, search, found, index: () => applyMessages(indexer, s.messages) };
}

describe(`search (${dialect})`, () => {
  it("finds posts by every word, by a phrase, and without excluded words", async () => {
    const f = forum();
    const topic = f.s.topic(alice, f.chat, "Sourdough starter", "My sourdough starter smells of apples");
    f.s.reply(bob, topic, topic, "A starter that smells of apples is hungry");
    f.s.reply(carol, topic, topic, "Apples smell, starters do not");
    f.s.topic(bob, f.help, "Bread machine", "The machine kneads bread dough");
    await f.index();

    expect(await f.found("apples starter", { order: "newest" })).toEqual([
      "A starter that smells of apples is hungry",
      "My sourdough starter smells of apples",
    ]);
    expect(await f.found('"smells of apples"', { order: "newest" })).toEqual([
      "A starter that smells of apples is hungry",
      "My sourdough starter smells of apples",
    ]);
    expect(await f.found('"apples smells"')).toEqual([]);
    expect((await f.found("apples -hungry")).sort()).toEqual([
      "Apples smell, starters do not",
      "My sourdough starter smells of apples",
    ]);
    expect(await f.found('apples -"is hungry" -sourdough')).toEqual(["Apples smell, starters do not"]);
    // Titles are searched too; matching is case-blind.
    expect(await f.found("BREAD MACHINE")).toEqual(["The machine kneads bread dough"]);
  });

  it("filters by board, author, topics only and date range, and pages the results", async () => {
    const f = forum();
    const first = f.s.topic(alice, f.chat, "Kettles", "kettle one");
    f.s.reply(bob, first, first, "kettle two");
    const middle = f.s.isoNow();
    f.s.topic(bob, f.help, "More kettles", "kettle three");
    f.s.reply(alice, first, first, "kettle four");
    await f.index();
    const { body: boards } = await f.search({ q: "kettle", order: "newest" });
    expect(boards.total).toBe(4);
    const chatId = boards.results.find((r: any) => r.text === "kettle one").topicId;

    expect(await f.found("kettle", { order: "newest" })).toEqual([
      "kettle four",
      "kettle three",
      "kettle two",
      "kettle one",
    ]);
    expect(await f.found("kettle", { author: alice, order: "newest" })).toEqual(["kettle four", "kettle one"]);
    expect(await f.found("kettle", { topics: "only", order: "newest" })).toEqual(["kettle three", "kettle one"]);
    expect(await f.found("kettle", { since: middle, order: "newest" })).toEqual(["kettle four", "kettle three"]);
    expect(await f.found("kettle", { until: middle, order: "newest" })).toEqual(["kettle two", "kettle one"]);
    const { body: chatBoard } = await f.search({ q: "kettle", order: "newest" });
    const helpTopic = chatBoard.results.find((r: any) => r.text === "kettle three");
    expect(helpTopic.topicId).toBe(helpTopic.id);
    expect(chatId).not.toBe(helpTopic.id);

    const { body: page } = await f.search({ q: "kettle", order: "newest", offset: "1", limit: "2" });
    expect(page).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(page.results.map((r: any) => r.text)).toEqual(["kettle three", "kettle two"]);
  });

  it("filters by board", async () => {
    const f = forum();
    const topic = f.s.topic(alice, f.chat, "Lamps", "a lamp in chat");
    f.s.reply(bob, topic, topic, "a lamp reply in chat");
    f.s.topic(bob, f.help, "Lamps", "a lamp in help");
    await f.index();
    const { boards } = database.handle.schema;
    const [help] = await database.handle.db.select({ id: boards.id }).from(boards).where(eq(boards.rkey, f.help.rkey));
    expect(await f.found("lamp", { board: String(help!.id) })).toEqual(["a lamp in help"]);
    const [chat] = await database.handle.db.select({ id: boards.id }).from(boards).where(eq(boards.rkey, f.chat.rkey));
    expect(await f.found("lamp", { board: String(chat!.id), order: "newest" })).toEqual([
      "a lamp reply in chat",
      "a lamp in chat",
    ]);
    const { body: none } = await f.search({ q: "lamp", board: "999999" });
    expect(none).toMatchObject({ total: 0, results: [] });
  });

  it("never finds a post a thread would not show: deleted, removed, banned, unavailable, after a lock", async () => {
    const f = forum();
    const topic = f.s.topic(alice, f.chat, "Visible topic", "marmalade shown");
    const deleted = f.s.reply(bob, topic, topic, "marmalade deleted by its author");
    const removed = f.s.reply(bob, topic, topic, "marmalade removed by a moderator");
    f.s.reply(carol, topic, topic, "marmalade by a banned author");
    const dave = "did:plc:davedavedavedavedavedddd";
    f.s.reply(dave, topic, topic, "marmalade by an unavailable account");
    await f.index();
    expect(await f.found("marmalade")).toHaveLength(5);

    f.s.remove(deleted);
    f.s.modAction("delete", { post: removed });
    f.s.modAction("ban", { did: carol });
    f.s.account(dave, false, "suspended");
    f.s.modAction("lock", { post: topic });
    f.s.reply(bob, topic, topic, "marmalade after the lock");
    await f.index();
    expect(await f.found("marmalade")).toEqual(["marmalade shown"]);
  });

  it("stops counting at its bound and says more were found, counting only what it would show", async () => {
    const f = forum();
    const topic = f.s.topic(alice, f.chat, "Jam", "quince one");
    f.s.reply(bob, topic, topic, "quince two");
    f.s.reply(carol, topic, topic, "quince three");
    f.s.reply(alice, topic, topic, "quince four");
    const deleted = f.s.reply(bob, topic, topic, "quince deleted");
    await f.index();
    f.s.remove(deleted);
    f.s.modAction("ban", { did: carol });
    await f.index();
    const filters = { boardId: null, authorDid: null, topicsOnly: false, since: null, until: null };
    const counted = async (bound: number, order: "relevance" | "newest") => {
      const page = await searchPosts(database.handle, bound)(parseSearch("quince"), filters, order, 0, 2);
      return { total: page.total, moreThanTotal: page.moreThanTotal, texts: page.hits.map((h) => h.post.text) };
    };
    for (const order of ["relevance", "newest"] as const) {
      // Three shown (the banned author's and the deleted reply are not), so a bound of two is passed…
      expect(await counted(2, order)).toMatchObject({ total: 2, moreThanTotal: true });
      // …and a bound of three or more is not.
      expect(await counted(3, order)).toMatchObject({ total: 3, moreThanTotal: false });
      expect(await counted(4, order)).toMatchObject({ total: 3, moreThanTotal: false });
    }
    // The bound cuts the count, never the order: the page is the newest two of the three.
    expect((await counted(1, "newest")).texts).toEqual(["quince four", "quince two"]);
    const { body } = await f.search({ q: "quince" });
    expect(body).toMatchObject({ total: 3, moreThanTotal: false });
  });

  it("an edit moves a post into or out of the results as soon as it is applied", async () => {
    const f = forum();
    const topic = f.s.topic(alice, f.chat, "Edits", "about teapots");
    const reply = f.s.reply(bob, topic, topic, "about kettles");
    await f.index();
    expect(await f.found("teapots")).toEqual(["about teapots"]);
    f.s.update(reply, {
      text: "now about teapots",
      reply: { root: topic.ref, parent: topic.ref },
      createdAt: f.s.isoNow(),
    });
    await f.index();
    expect(await f.found("teapots", { order: "newest" })).toEqual(["now about teapots", "about teapots"]);
    expect(await f.found("kettles")).toEqual([]);
  });

  it("highlights the words looked for in an escaped snippet", async () => {
    const f = forum();
    f.s.topic(alice, f.chat, "Markup", `<script>alert("x")</script> the snippet word & more`);
    await f.index();
    const { body } = await f.search({ q: "snippet" });
    expect(body.results[0].snippet).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the <mark>snippet</mark> word &amp; more",
    );
  });

  it("answers a query that looks like SQL or engine syntax with results or a clear 400, never a 500", async () => {
    const f = forum();
    f.s.topic(alice, f.chat, "Syntax", "near star quote paren drop table posts");
    await f.index();
    const hostile = [
      '"',
      '""',
      '"near',
      "*",
      "star*",
      "NEAR",
      "NEAR(star quote)",
      "near/2 star",
      "(paren",
      "paren)",
      "((()))",
      "'; drop table posts; --",
      "posts OR 1=1",
      "a & b | !c <-> d",
      "body:star",
      "^star",
      "-",
      "--star",
      "-star",
      "x".repeat(10_240),
      "word ".repeat(40),
    ];
    for (const q of hostile) {
      const { status, body } = await f.search({ q });
      expect([200, 400], `${q.slice(0, 40)}: ${JSON.stringify(body)}`).toContain(status);
      if (status === 400)
        expect(body).toMatchObject({ error: "invalid_request", message: expect.stringMatching(/^q /) });
    }
    // The words of such queries are still searched for as words.
    expect(await f.found("NEAR(star quote)")).toEqual(["near star quote paren drop table posts"]);
    expect(await f.found("'; drop table posts; --")).toEqual(["near star quote paren drop table posts"]);
    expect((await f.search({ q: "x".repeat(10_240) })).status).toBe(400);
    expect((await f.search({ q: "-star" })).status).toBe(400);
    expect((await f.search({})).status).toBe(400);
  });
});
