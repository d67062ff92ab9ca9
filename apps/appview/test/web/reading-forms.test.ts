// What the pages show around writing, for a logged-in member, without a PDS
// (nothing here is written): quotes shown as quotes in replies, the quote
// link that opens the reply form with the post quoted, pinned and locked
// topics marked on the board, the lexicon's limits with grapheme counters,
// and a preview that renders the Markdown, keeps the text and writes nothing.
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { ForumStream, type Written } from "../support/forum-events.ts";
import { memberApp } from "../support/member-app.ts";
import { sessionCookieFor } from "../support/member-session.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];

describe(`quotes, badges and the writing forms (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let forum: Awaited<ReturnType<typeof memberApp>>;
  let cookie: string;
  const id = {} as Record<"talk" | "pinned" | "locked" | "other" | "opening" | "rude", string>;

  const get = async (path: string) => {
    const response = await forum.app.request(path, { headers: { cookie } });
    return { status: response.status, html: await response.text() };
  };
  const post = async (path: string, fields: Record<string, string>) => {
    // Every page's logout form carries the session's form token.
    const csrf = /name="csrf" value="([^"]+)"/.exec((await get("/")).html)![1]!;
    const response = await forum.app.request(path, {
      method: "POST",
      headers: { cookie, origin: forum.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, ...fields }).toString(),
    });
    return { status: response.status, html: await response.text() };
  };

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Forms Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
    for (const did of [alice, bob, carol]) {
      s.join(did, place, member);
      s.grant(did, member);
    }
    const talk = s.topic(bob, chat, "Talk", "The **opening** words");
    const rude = s.reply(carol, talk, talk, "Something rude");
    s.modAction("delete", { post: rude });
    const other = s.topic(bob, chat, "Other thread", "Words from *elsewhere*");
    const quoting = (quoted: Written, text: string) =>
      s.commit(carol, ids.post, {
        text,
        reply: { $type: "space.atbb.post#replyRef", root: talk.ref, parent: talk.ref },
        quote: { $type: "space.atbb.post#quoteRef", post: quoted.ref },
        createdAt: s.isoNow(),
      });
    quoting(talk, "Quoting the opening");
    quoting(rude, "Quoting the rude one");
    quoting(other, "Quoting another thread");
    const pinned = s.topic(bob, chat, "Read me first");
    s.modAction("pin", { post: pinned });
    const locked = s.topic(bob, chat, "Closed");
    s.modAction("lock", { post: locked });
    database = await createMigratedTestDatabase();
    forum = await memberApp(database.handle, s);
    cookie = await sessionCookieFor(database.handle, alice);
    const { topics } = (await (await forum.app.request("/api/boards/1/topics")).json()) as {
      topics: { id: string; title: string }[];
    };
    const byTitle = (title: string) => topics.find((t) => t.title === title)!.id;
    Object.assign(id, {
      talk: byTitle("Talk"),
      other: byTitle("Other thread"),
      pinned: byTitle("Read me first"),
      locked: byTitle("Closed"),
    });
    const { replies } = (await (await forum.app.request(`/api/topics/${id.talk}`)).json()) as {
      replies: { id: string; text: string | null }[];
    };
    id.opening = id.talk;
    id.rude = replies[0]!.id;
  });
  afterAll(async () => {
    await forum?.close();
    await database?.drop();
  });

  it("marks pinned and locked topics on the board, pinned ones first", async () => {
    const { html } = await get("/b/1");
    expect(html).toMatch(/<span class="badge">Pinned<\/span> {2}<a href="\/t\/\d+"><strong>Read me first/);
    expect(html).toMatch(/<span class="badge">Locked<\/span> <a href="\/t\/\d+"><strong>Closed/);
    expect(html.indexOf("Read me first")).toBeLessThan(html.indexOf("Talk"));
  });

  it("shows a quote of a post of the thread as a quote, a hidden one as why, and nothing of another thread", async () => {
    const { html } = await get(`/t/${id.talk}`);
    const quotes = [...html.matchAll(/<blockquote class="quote">([\s\S]*?)<\/blockquote>/g)].map((m) => m[1]!);
    expect(quotes).toHaveLength(2);
    expect(quotes[0]).toContain("wrote");
    expect(quotes[0]).toContain("The <strong>opening</strong> words");
    expect(quotes[1]).toContain("Removed by a moderator.");
    expect(quotes[1]).not.toContain("Something rude");
    expect(html).toContain("Quoting another thread");
    expect(html).not.toContain("elsewhere");
  });

  it("offers a quote link on each visible post, opening the reply form with the post quoted (no script needed)", async () => {
    const { html } = await get(`/t/${id.talk}`);
    expect(html).toContain(`href="/t/${id.talk}/reply?quote=${id.opening}" aria-label="Quote post 1"`);
    expect(html).not.toContain(`quote=${id.rude}"`);
    const form = await get(`/t/${id.talk}/reply?quote=${id.opening}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`<input type="hidden" name="quoteId" value="${id.opening}"/>`);
    expect(form.html).toContain("The <strong>opening</strong> words");
    expect((await get(`/t/${id.talk}/reply?quote=${id.rude}`)).status).toBe(400);
    expect((await get(`/t/${id.talk}/reply?quote=${id.other}`)).status).toBe(404);
    // A locked topic takes no replies, so offers no quotes.
    expect((await get(`/t/${id.locked}`)).html).not.toContain("/reply?quote=");
    expect((await get(`/t/${id.locked}/reply`)).status).toBe(409);
  });

  it("shows the lexicon's limits with a count of graphemes, as the server counts them", async () => {
    const { html } = await get("/b/1/new");
    expect(html).toContain('data-max-graphemes="120"');
    expect(html).toContain('data-max-graphemes="300"');
    expect(html).toContain('<p class="counter" id="topic-text-count">0 of 300 characters</p>');
    expect(html).toContain('aria-describedby="topic-text-count"');
    // A family emoji is one grapheme (five code points): the count is 3, not 7.
    const preview = await post("/b/1/new", { title: "Hi", text: "a👨‍👩‍👧b", preview: "yes" });
    expect(preview.html).toContain('<p class="counter" id="topic-text-count">3 of 300 characters</p>');
    const over = await post("/b/1/new", { title: "Hi", text: "x".repeat(301), preview: "yes" });
    expect(over.html).toContain('<p class="counter over" id="topic-text-count">301 of 300 characters</p>');
  });

  it("previews a draft: its Markdown rendered safely, the text kept in the form, nothing written", async () => {
    const before = await databaseSnapshot(database.handle);
    const text = "Some **bold** <script>alert(1)</script>";
    const topic = await post("/b/1/new", { title: "A <b>title</b>", text, preview: "yes" });
    expect(topic.status).toBe(200);
    expect(topic.html).toContain('<h2 id="preview-heading">Preview</h2>');
    expect(topic.html).toContain("<strong>bold</strong>");
    expect(topic.html).not.toContain("<script>alert");
    expect(topic.html).toContain("Some **bold** &lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
    expect(topic.html).toContain('value="A &lt;b&gt;title&lt;/b&gt;"');
    const reply = await post(`/t/${id.talk}/reply`, { text: "_quiet_", quoteId: id.opening, preview: "yes" });
    expect(reply.status).toBe(200);
    expect(reply.html).toContain("<em>quiet</em>");
    expect(reply.html).toContain(`name="quoteId" value="${id.opening}"`);
    expect(reply.html).toContain("_quiet_</textarea>");
    expect(await databaseSnapshot(database.handle)).toEqual(before);
  });

  it("refuses a reply form whose quote is not a post id, writing nothing", async () => {
    const before = await databaseSnapshot(database.handle);
    const refused = await post(`/t/${id.talk}/reply`, { text: "hello", quoteId: "1; drop table posts" });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("is not a post id");
    expect(await databaseSnapshot(database.handle)).toEqual(before);
  });
});
