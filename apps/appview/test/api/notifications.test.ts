// A member's notifications through the API and the pages: their own only,
// newest first, with the unread count; marked read only from the forum's own
// pages, with a session; nothing without one. On a forum that keeps none
// (NOTIFICATIONS=off), the API and the pages say so and the bell is gone.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForumStream, type Written } from "../support/forum-events.ts";
import { memberApp } from "../support/member-app.ts";
import { sessionCookieFor } from "../support/member-session.ts";
import { sampleUsers } from "../support/sample-forum.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];

interface Page {
  notifications: { id: string; kind: string; actor: { did: string }; post: { number: number } | null; read: boolean }[];
  unread: number;
  total: number;
}

describe(`a member's notifications (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let forum: Awaited<ReturnType<typeof memberApp>>;
  const cookie = {} as Record<"alice" | "bob", string>;
  const s = new ForumStream();
  let topic: Written;

  const list = async (as: string | null, query = "") => {
    const response = await forum.app.request(`/api/notifications${query}`, { headers: as ? { cookie: as } : {} });
    return { status: response.status, body: (await response.json()) as Page & { error?: string } };
  };
  const markRead = (as: string | null, body: unknown, origin: string | null = forum.origin) =>
    forum.app.request("/api/notifications/read", {
      method: "POST",
      headers: {
        ...(as ? { cookie: as } : {}),
        ...(origin ? { origin } : {}),
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const place = s.forum("Notified Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    for (const did of [alice, bob, carol]) s.join(did, place);
    topic = s.topic(alice, chat, "Alice asks");
    const fromBob = s.reply(bob, topic, topic, "Bob answers");
    s.reply(carol, topic, fromBob, "Carol answers bob");
    database = await createMigratedTestDatabase();
    forum = await memberApp(database.handle, s);
    cookie.alice = await sessionCookieFor(database.handle, alice);
    cookie.bob = await sessionCookieFor(database.handle, bob);
  });
  afterAll(async () => {
    await forum?.close();
    await database?.drop();
  });

  it("are refused without a session, for reading and for marking", async () => {
    const { status, body } = await list(null);
    expect(status).toBe(401);
    expect(body.error).toBe("unauthenticated");
    expect((await markRead(null, {})).status).toBe(401);
  });

  it("are the member's own only, newest first, with how many are unread", async () => {
    const { status, body } = await list(cookie.alice);
    expect(status).toBe(200);
    expect(body).toMatchObject({ unread: 2, total: 2 });
    expect(body.notifications.map((n) => [n.kind, n.actor.did, n.post?.number, n.read])).toEqual([
      ["topic_reply", carol, 3, false],
      ["topic_reply", bob, 2, false],
    ]);
    const ofBob = await list(cookie.bob);
    expect(ofBob.body.notifications.map((n) => [n.kind, n.actor.did])).toEqual([["post_reply", carol]]);
    expect((await list(cookie.alice, "?limit=1&offset=1")).body.notifications).toHaveLength(1);
    expect((await list(cookie.alice, "?limit=0")).status).toBe(400);
  });

  it("are marked read up to an id, or all, only from the forum's own pages, and bad input marks nothing", async () => {
    expect((await markRead(cookie.alice, {}, "https://elsewhere.example")).status).toBe(403);
    expect((await markRead(cookie.alice, { upTo: "one" })).status).toBe(400);
    expect((await markRead(cookie.alice, { everything: true })).status).toBe(400);
    expect((await list(cookie.alice)).body.unread).toBe(2);

    const [newest, older] = (await list(cookie.alice)).body.notifications;
    const partly = await markRead(cookie.alice, { upTo: older!.id });
    expect(partly.status).toBe(200);
    expect(await partly.json()).toEqual({ unread: 1 });
    expect((await list(cookie.alice)).body.notifications.map((n) => [n.id, n.read])).toEqual([
      [newest!.id, false],
      [older!.id, true],
    ]);
    // Marking one's own touches nobody else's.
    expect(await (await markRead(cookie.alice, {})).json()).toEqual({ unread: 0 });
    expect((await list(cookie.bob)).body.unread).toBe(1);
  });

  it("show on every page as the bell's count, and the page lists them and marks them read with its form", async () => {
    const get = (path: string) => forum.app.request(path, { headers: { cookie: cookie.bob } });
    const index = await (await get("/")).text();
    expect(index).toMatch(
      /href="\/notifications"[\s\S]*?<span class="badge unread">1<span class="visually-hidden"> unread/,
    );

    const listed = await (await get("/notifications")).text();
    expect(listed).toContain(`href="/t/`);
    expect(listed).toMatch(/replied to your post[\s\S]*?href="\/t\/\d+#3"/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(listed)![1]!;
    const upTo = /name="upTo" value="(\d+)"/.exec(listed)![1]!;
    const post = (form: Record<string, string>, origin = forum.origin) =>
      forum.app.request("/notifications/read", {
        method: "POST",
        headers: { cookie: cookie.bob, origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    expect((await post({ csrf: "forged", upTo })).status).toBe(403);
    expect((await post({ csrf, upTo }, "https://elsewhere.example")).status).toBe(403);
    expect((await list(cookie.bob)).body.unread).toBe(1);

    const done = await post({ csrf, upTo });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/notifications");
    expect((await list(cookie.bob)).body.unread).toBe(0);
    expect(await (await get("/")).text()).not.toContain('class="badge unread"');
  });

  it("send a reader who is not logged in to the login page", async () => {
    const response = await forum.app.request("/notifications");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
  });
});

describe(`notifications from a banned member (${dialect})`, () => {
  const [, , , dave, erin] = sampleUsers as [string, string, string, string, string];
  let database: MigratedTestDatabase;
  let forum: Awaited<ReturnType<typeof memberApp>>;

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Banned Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    for (const did of [alice, dave, erin]) s.join(did, place);
    const topic = s.topic(alice, chat, "Alice asks");
    s.reply(dave, topic, topic, "Dave, banned for good");
    s.reply(erin, topic, topic, "Erin, whose ban has ended");
    s.modAction("ban", { did: dave }, { reason: "spam" });
    s.modAction("ban", { did: erin }, { reason: "cool down", expiresAt: "2026-01-01T00:00:00.000Z" });
    database = await createMigratedTestDatabase();
    forum = await memberApp(database.handle, s);
  });
  afterAll(async () => {
    await forum?.close();
    await database?.drop();
  });

  it("are hidden while the ban stands, and shown again once a ban's end has passed", async () => {
    const cookie = await sessionCookieFor(database.handle, alice);
    const response = await forum.app.request("/api/notifications", { headers: { cookie } });
    const page = (await response.json()) as Page;
    // The same rule as the thread: dave's reply is hidden, erin's is shown.
    expect(page.notifications.map((n) => [n.kind, n.actor.did])).toEqual([["topic_reply", erin]]);
    expect([page.total, page.unread]).toEqual([1, 1]);
    const { topics } = (await (await forum.app.request("/api/boards/1/topics")).json()) as { topics: { id: string }[] };
    const thread = (await (await forum.app.request(`/api/topics/${topics[0]!.id}`)).json()) as {
      replies: { hidden: string | null }[];
    };
    expect(thread.replies.map((r) => r.hidden ?? null)).toEqual(["author_banned", null]);
    // And the member pages' recent posts, by the same rule.
    const pageOf = async (did: string) => (await forum.app.request(`/u/${did}`)).text();
    expect(await pageOf(erin)).toContain("Erin, whose ban has ended");
    expect(await pageOf(dave)).not.toContain("Dave, banned for good");
  });
});

describe(`a forum with NOTIFICATIONS=off (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let forum: Awaited<ReturnType<typeof memberApp>>;
  let cookie: string;

  beforeAll(async () => {
    const s = new ForumStream();
    const place = s.forum("Quiet Forum");
    const chat = s.board(s.category("General", 1), "Chat", 1);
    for (const did of [alice, bob]) s.join(did, place);
    const topic = s.topic(alice, chat, "Alice asks");
    s.reply(bob, topic, topic, "Bob answers");
    database = await createMigratedTestDatabase();
    forum = await memberApp(database.handle, s, { NOTIFICATIONS: "off" });
    cookie = await sessionCookieFor(database.handle, alice);
  });
  afterAll(async () => {
    await forum?.close();
    await database?.drop();
  });

  it("derives none for a reply that would tell its topic's author", async () => {
    const { notifications, posts } = database.handle.schema;
    expect(await database.handle.db.select({ id: posts.id }).from(posts)).toHaveLength(2);
    expect(await database.handle.db.select({ id: notifications.id }).from(notifications)).toEqual([]);
  });

  it("answers both API routes with notifications_off, for a member and for a guest alike", async () => {
    for (const headers of [{ cookie }, {}]) {
      const listed = await forum.app.request("/api/notifications", { headers });
      expect(listed.status).toBe(404);
      expect(await listed.json()).toEqual({
        error: "notifications_off",
        message: "Notifications are off on this forum (NOTIFICATIONS=off): none are kept.",
      });
      const marked = await forum.app.request("/api/notifications/read", {
        method: "POST",
        headers: { ...headers, origin: forum.origin, "content-type": "application/json" },
        body: "{}",
      });
      expect(marked.status).toBe(404);
      expect(((await marked.json()) as { error: string }).error).toBe("notifications_off");
    }
  });

  it("shows a member no bell, and says on /notifications that they are off", async () => {
    const get = (path: string) => forum.app.request(path, { headers: { cookie } });
    const index = await (await get("/")).text();
    expect(index).toContain("Logged in as");
    expect(index).not.toContain('href="/notifications"');
    const page = await get("/notifications");
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("Notifications are off on this forum.");
    const marked = await forum.app.request("/notifications/read", {
      method: "POST",
      headers: { cookie, origin: forum.origin, "content-type": "application/x-www-form-urlencoded" },
      body: "upTo=1",
    });
    expect(marked.status).toBe(404);
  });
});
