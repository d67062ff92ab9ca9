// What a member has read, as the pages show it: every topic is new to a
// member until they open it; a new reply marks it again; "jump to first
// unread" lands on the first post they have not been shown, page and anchor;
// reading a page marks only what it showed, never backwards; "mark board
// read" clears the board (and only with the form's token, from the forum).
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForumStream, type Written } from "../support/forum-events.ts";
import { memberApp } from "../support/member-app.ts";
import { sessionCookieFor } from "../support/member-session.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];
/** More replies than a topic page holds (20 with the opening post), so the thread has a second page. */
const LONG_REPLIES = 25;

describe(`unread topics for a member (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let forum: Awaited<ReturnType<typeof memberApp>>;
  let cookie: string;
  const s = new ForumStream();
  let short: Written;
  const id = {} as Record<"short" | "long" | "quiet", string>;

  const get = async (path: string, as: string | null = cookie) => {
    const response = await forum.app.request(path, { headers: as ? { cookie: as } : {} });
    return { status: response.status, location: response.headers.get("location"), html: await response.text() };
  };
  /** The topics the board marks as new for alice. */
  const marked = async () =>
    [...(await get("/b/1")).html.matchAll(/href="\/t\/(\d+)\/unread"/g)].map((m) => m[1]).sort();
  const markBoardRead = async (init: { csrf?: string; origin?: string } = {}) => {
    const csrf = init.csrf ?? /name="csrf" value="([^"]+)"/.exec((await get("/b/1")).html)![1]!;
    return forum.app.request("/b/1/read", {
      method: "POST",
      headers: {
        cookie,
        origin: init.origin ?? forum.origin,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrf }).toString(),
    });
  };

  beforeAll(async () => {
    const place = s.forum("Unread Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    const member = s.role("Member", ["space.atbb.permission.createPosts"], 100);
    for (const did of [alice, bob, carol]) {
      s.join(did, place, member);
      s.grant(did, member);
    }
    short = s.topic(bob, chat, "Short one");
    s.reply(carol, short, short, "First");
    s.reply(carol, short, short, "Second");
    const long = s.topic(bob, chat, "Long one");
    for (let n = 0; n < LONG_REPLIES; n++) s.reply(carol, long, long, `Reply ${n}`);
    s.topic(bob, chat, "Quiet one");
    database = await createMigratedTestDatabase();
    forum = await memberApp(database.handle, s);
    cookie = await sessionCookieFor(database.handle, alice);
    const topics = (await (await forum.app.request("/api/boards/1/topics")).json()) as {
      topics: { id: string; title: string }[];
    };
    for (const [key, title] of [
      ["short", "Short one"],
      ["long", "Long one"],
      ["quiet", "Quiet one"],
    ] as const)
      id[key] = topics.topics.find((t) => t.title === title)!.id;
  });
  afterAll(async () => {
    await forum?.close();
    await database?.drop();
  });

  it("marks every topic new to a member who has opened none, and nothing for a reader not logged in", async () => {
    expect(await marked()).toEqual([id.long, id.quiet, id.short].sort());
    const anonymous = await get("/b/1", null);
    expect(anonymous.html).not.toContain("/unread");
    expect(anonymous.html).not.toContain("Mark board read");
  });

  it("clears a topic once read, and marks it again when a reply arrives; the jump goes to that reply", async () => {
    // Never opened, all of it is new: the page starts at its first post, with no jump to offer.
    expect((await get(`/t/${id.short}/unread`)).location).toBe(`/t/${id.short}#1`);
    const first = await get(`/t/${id.short}`);
    expect(first.html).not.toContain("Jump to first unread");
    expect(await marked()).toEqual([id.long, id.quiet].sort());
    expect((await get(`/t/${id.short}`)).html).not.toContain("Jump to first unread");
    expect((await get(`/t/${id.short}/unread`)).location).toBe(`/t/${id.short}`);

    s.reply(bob, short, short, "Third, new to alice");
    await forum.catchUp();
    expect(await marked()).toEqual([id.long, id.quiet, id.short].sort());
    expect((await get(`/t/${id.short}/unread`)).location).toBe(`/t/${id.short}#4`);
    const again = await get(`/t/${id.short}`);
    expect(again.html).toContain(`href="/t/${id.short}#4">Jump to first unread (#4)</a>`);
    expect(again.html).toContain('id="4"');
    expect(await marked()).toEqual([id.long, id.quiet].sort());
  });

  it("marks only the posts a page showed, and reading an earlier page again un-reads nothing", async () => {
    await get(`/t/${id.long}`);
    expect(await marked()).toContain(id.long);
    expect((await get(`/t/${id.long}/unread`)).location).toBe(`/t/${id.long}?page=2#22`);
    await get(`/t/${id.long}?page=2`);
    expect(await marked()).not.toContain(id.long);
    await get(`/t/${id.long}`);
    expect(await marked()).not.toContain(id.long);
  });

  it("marks a whole board read, only by the member's own form from the forum's pages", async () => {
    expect(await marked()).toEqual([id.quiet]);
    expect((await markBoardRead({ csrf: "not-the-token" })).status).toBe(403);
    expect((await markBoardRead({ origin: "https://elsewhere.example" })).status).toBe(403);
    expect(await marked()).toEqual([id.quiet]);
    const done = await markBoardRead();
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/b/1");
    expect(await marked()).toEqual([]);
  });

  it("keeps each member's reading apart: another member still sees every topic new", async () => {
    const bobs = await sessionCookieFor(database.handle, bob);
    const html = (await get("/b/1", bobs)).html;
    expect([...html.matchAll(/href="\/t\/(\d+)\/unread"/g)].map((m) => m[1]).sort()).toEqual(
      [id.long, id.quiet, id.short].sort(),
    );
  });
});
