// What the pages show of a forum, read in-process from an indexed stream:
// the index's counts, a board's rows, a topic by pages with its #N anchors,
// hidden posts saying why (as the API does), a member, and the error page.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";
import { seededApp } from "../support/seeded-app.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];
const LONG_THREAD_REPLIES = 45;

describe(`the pages over an indexed forum (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let app: Awaited<ReturnType<typeof seededApp>>;
  const ids: Record<string, string> = {};
  const page = async (path: string) => {
    const response = await app.request(path);
    return { status: response.status, html: await response.text() };
  };
  const api = async (path: string) => (await app.request(path)).json() as Promise<any>;

  beforeAll(async () => {
    const s = new ForumStream();
    const forum = s.forum("Reading Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    const member = s.role("Member", ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"], 100);
    for (const did of [alice, bob, carol]) {
      s.join(did, forum, member);
      s.grant(did, member);
    }
    const locked = s.topic(alice, chat, "Locked one", "Read **this**");
    s.reply(bob, locked, locked, "First!");
    const rude = s.reply(bob, locked, locked, "Something rude");
    s.modAction("lock", { post: locked });
    s.modAction("delete", { post: rude }, { reason: "rude" });
    const long = s.topic(bob, chat, "Long thread");
    for (let n = 0; n < LONG_THREAD_REPLIES; n++)
      s.reply(n === LONG_THREAD_REPLIES - 1 ? alice : carol, long, long, `Reply ${n}`);
    s.modAction("ban", { did: carol }, { reason: "spam" });
    database = await createMigratedTestDatabase();
    app = await seededApp(database.handle, s, { pages: true });
    // Handles count once verified (beside the indexer, against the DID document): alice's and bob's are.
    const { users } = database.handle.schema;
    for (const [did, handle] of [
      [alice, "alice.test"],
      [bob, "bob.test"],
    ] as const)
      await database.handle.db.update(users).set({ handle }).where(eq(users.did, did));
    const topics = (await api("/api/boards/1/topics")).topics as { id: string; title: string }[];
    ids.locked = topics.find((t) => t.title === "Locked one")!.id;
    ids.long = topics.find((t) => t.title === "Long thread")!.id;
  });
  afterAll(async () => database?.drop());

  it("shows the index: categories, boards, and each board's topic and post counts as the API counts them", async () => {
    const { status, html } = await page("/");
    expect(status).toBe(200);
    expect(html).toContain("<h1>Reading Forum</h1>");
    expect(html).toContain('<h2 id="category-1">General</h2>');
    const { topics } = await api("/api/boards/1/topics");
    const posts = topics.length + topics.reduce((n: number, t: { replyCount: number }) => n + t.replyCount, 0);
    expect(html).toContain(`2 topics, ${posts} posts`);
    expect(html).toMatch(/Latest: <time datetime="[^"]+Z">/);
  });

  it("shows a board's topics by last activity, locked ones marked, with reply counts and the last replier", async () => {
    const { html } = await page("/b/1");
    const long = html.indexOf("Long thread");
    const locked = html.indexOf("Locked one");
    expect(long).toBeGreaterThan(-1);
    // The long thread's last reply is the latest activity: it comes first.
    expect(long).toBeLessThan(locked);
    expect(html).toMatch(/<span class="badge">Locked<\/span> <a href="\/t\/\d+"><strong>Locked one/);
    const { topics } = await api("/api/boards/1/topics");
    const longTopic = topics.find((t: { title: string }) => t.title === "Long thread");
    expect(html).toContain(`${longTopic.replyCount} replies`);
    expect(html).toContain("Last reply by alice.test, ");
    expect((await page("/b/2")).status).toBe(404);
    expect((await page("/b/1?page=0")).status).toBe(404);
  });

  it("shows a topic by pages, the opening post as #1 and each reply numbered after it", async () => {
    const first = await page(`/t/${ids.long}`);
    expect(first.html).toContain('<article class="post" id="1"');
    expect(first.html).toContain('id="21"');
    expect(first.html).not.toContain('id="22"');
    expect(first.html).toContain(`href="/t/${ids.long}?page=3" aria-label="Last page"`);
    const last = await page(`/t/${ids.long}?page=3`);
    expect(last.html).toContain('id="46"');
    expect(last.html).not.toContain('id="1"');
    expect(last.html).toContain(`href="/t/${ids.long}" aria-label="First page"`);
    expect(last.html).toContain('aria-current="page"');
    // Past the end is the last page; a page that is not a number is not a page.
    expect((await page(`/t/${ids.long}?page=99`)).html).toContain('id="46"');
    expect((await page(`/t/${ids.long}?page=two`)).status).toBe(404);
  });

  it("says why a post is hidden, as the API does, and renders the others' Markdown", async () => {
    const { html } = await page(`/t/${ids.locked}`);
    const replies = (await api(`/api/topics/${ids.locked}`)).replies as { hidden: string | null }[];
    expect(replies.map((r) => r.hidden)).toEqual([null, "removed_by_moderator"]);
    expect(html).toContain("<strong>this</strong>");
    expect(html).toContain("Removed by a moderator.");
    expect(html).not.toContain("Something rude");
    expect(html).toContain("This topic is locked: no more replies.");
    // A banned author's replies are hidden too.
    expect((await page(`/t/${ids.long}`)).html).toContain("Hidden: its author is banned from this forum.");
  });

  it("shows a member: verified handle (else the DID), joined, role and recent posts", async () => {
    const { status, html } = await page(`/u/${alice}`);
    expect(status).toBe(200);
    expect(html).toContain("<h1>alice.test</h1>");
    expect(html).toContain("alice.test (verified)");
    expect(html).toContain("<dd>Member</dd>");
    expect(html).toContain(`<a href="/t/${ids.locked}">Locked one</a>`);
    expect(html).toContain(`<a href="/t/${ids.long}">Reply ${LONG_THREAD_REPLIES - 1}</a>`);
    expect((await page(`/u/${carol}`)).html).toContain(`<h1>${carol}</h1>`);
    expect((await page(`/u/${carol}`)).html).toContain("Not verified yet");
    expect((await page("/u/did:plc:nobodynobodynobodynobody")).status).toBe(404);
  });

  it("answers a page that fails with the error page, in the 500 status, and logs it", async () => {
    const broken = await createMigratedTestDatabase();
    const logged: unknown[] = [];
    const logger = Object.assign(Object.create(silentLogger), { error: (entry: unknown) => logged.push(entry) });
    const failing = await seededApp(broken.handle, new ForumStream(), { pages: true, logger });
    await broken.handle.close();
    try {
      const response = await failing.request("/");
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("<h1>Something went wrong</h1>");
      expect(logged).toHaveLength(1);
    } finally {
      await broken.drop();
    }
  });
});
