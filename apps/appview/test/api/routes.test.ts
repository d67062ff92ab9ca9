import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createApp } from "../../src/api/app.ts";
import { seededApp } from "../support/seeded-app.ts";
import { sampleForum, sampleUsers } from "../support/sample-forum.ts";

let database: MigratedTestDatabase;
let app: ReturnType<typeof createApp>;
const stream = sampleForum({ topics: 12, repliesPerTopic: 5 });

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  app = await seededApp(database.handle, stream);
});
afterAll(async () => database?.drop());

async function get(path: string) {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as any };
}

describe(`the read API (${dialect})`, () => {
  it("serves the forum", async () => {
    const { status, body } = await get("/api/forum");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      did: stream.forumDid,
      name: "atBB Test Forum",
      uri: `at://${stream.forumDid}/space.atbb.forum.forum/self`,
    });
    expect(typeof body.id).toBe("string");
  });

  it("lists categories by sort order, each with its boards", async () => {
    const { body } = await get("/api/categories");
    expect(body.categories.map((c: any) => c.name)).toEqual(["General", "Help"]);
    expect(body.categories[0].boards.map((b: any) => b.name)).toEqual(["Chat", "News"]);
    const id = body.categories[1].id;
    expect((await get(`/api/categories/${id}`)).body.name).toBe("Help");
    expect((await get(`/api/categories/${id}/boards`)).body.boards.map((b: any) => b.name)).toEqual(["Questions"]);
  });

  it("pages a board's topics by last activity, with authors and counts", async () => {
    const { body: categories } = await get("/api/categories");
    const boardIds: string[] = categories.categories.flatMap((c: any) => c.boards.map((b: any) => b.id));
    let seen = 0;
    for (const boardId of boardIds) {
      const { status, body } = await get(`/api/boards/${boardId}/topics?limit=100`);
      expect(status).toBe(200);
      seen += body.total;
      expect(body.topics).toHaveLength(body.total);
      const activity = body.topics.map((t: any) => t.lastActivityAt);
      expect(activity).toEqual([...activity].sort().reverse());
      for (const topic of body.topics) {
        expect(topic).toMatchObject({
          author: { did: expect.stringMatching(/^did:plc:/) },
          boardId,
          locked: expect.any(Boolean),
        });
        expect(topic.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      if (body.total > 1) {
        const page = await get(`/api/boards/${boardId}/topics?offset=1&limit=1`);
        expect(page.body).toMatchObject({ offset: 1, limit: 1, total: body.total });
        expect(page.body.topics[0].id).toBe(body.topics[1].id);
        expect((await get(`/api/boards/${boardId}/topics?offset=${body.total}`)).body.topics).toEqual([]);
      }
    }
    expect(seen).toBe(12);
  });

  it("shows a topic with its replies in order, moderation applied", async () => {
    const { body: categories } = await get("/api/categories");
    const chat = categories.categories[0].boards[0].id;
    const { body: list } = await get(`/api/boards/${chat}/topics?limit=100`);
    const topicId = list.topics.find((t: any) => t.title === "Topic 0")?.id ?? list.topics[0].id;
    const { status, body } = await get(`/api/topics/${topicId}?limit=250`);
    expect(status).toBe(200);
    expect(body.total).toBe(body.replies.length);
    const created = body.replies.map((r: any) => r.createdAt);
    expect(created).toEqual([...created].sort());
    for (const reply of body.replies) {
      expect(reply.parentId).toMatch(/^\d+$/);
      if (reply.hidden) expect([reply.text, reply.title]).toEqual([null, null]);
      else expect(typeof reply.text).toBe("string");
    }
    // The sample bans user 5 and deactivates user 4: their posts show no content.
    const boardIds: string[] = categories.categories.flatMap((c: any) => c.boards.map((b: any) => b.id));
    const topics = (await Promise.all(boardIds.map((id) => get(`/api/boards/${id}/topics?limit=100`)))).flatMap(
      (r) => r.body.topics,
    );
    const all = await Promise.all(topics.map((t: any) => get(`/api/topics/${t.id}?limit=250`)));
    const posts = all.flatMap(({ body: b }) => [b.topic, ...b.replies]);
    for (const post of posts.filter((p: any) => p.author.did === sampleUsers[5]))
      expect(post.hidden).toBe("author_banned");
    for (const post of posts.filter((p: any) => p.author.did === sampleUsers[4]))
      expect(post.hidden).toBe("author_unavailable");
    expect(posts.some((p: any) => p.hidden === "deleted_by_author")).toBe(true);
    expect(posts.some((p: any) => p.hidden === "removed_by_moderator")).toBe(true);
    expect(posts.some((p: any) => p.locked === true)).toBe(true);
  });

  it("describes users, roles and a member's permissions", async () => {
    const { body: admin } = await get(`/api/users/${sampleUsers[0]}`);
    expect(admin).toMatchObject({
      did: sampleUsers[0],
      handle: null,
      role: { name: "Admin", priority: 0 },
      accountStatus: "active",
    });
    expect(admin.postCount).toBeGreaterThanOrEqual(0);
    const { body: roles } = await get("/api/roles");
    expect(roles.roles.map((r: any) => [r.name, r.permissions])).toEqual([
      ["Admin", ["*"]],
      ["Member", ["space.atbb.permission.createPosts", "space.atbb.permission.createTopics"]],
    ]);
    expect((await get(`/api/members/${sampleUsers[1]}/permissions`)).body.permissions).toEqual([
      "space.atbb.permission.createPosts",
      "space.atbb.permission.createTopics",
    ]);
    expect((await get(`/api/members/did:plc:nobodynobodynobodyaaaaaa/permissions`)).body).toEqual({
      did: "did:plc:nobodynobodynobodyaaaaaa",
      role: null,
      permissions: [],
    });
  });

  it("serves the moderation log newest first", async () => {
    const { body } = await get("/api/mod-actions?limit=2");
    expect(body.total).toBe(3);
    expect(body.modActions.map((a: any) => a.action)).toEqual(["delete", "lock"]);
  });

  it("answers bad input with 400/404 JSON, never a stack trace", async () => {
    const cases: [string, number][] = [
      ["/api/boards/abc", 400],
      ["/api/boards/0", 400],
      ["/api/boards/-1", 400],
      ["/api/boards/1.5", 400],
      ["/api/boards/99999999999999999999", 400],
      ["/api/boards/999999", 404],
      ["/api/boards/1/topics?limit=0", 400],
      ["/api/boards/1/topics?limit=101", 400],
      ["/api/boards/1/topics?offset=-1", 400],
      ["/api/boards/1/topics?offset=abc", 400],
      ["/api/topics/999999", 404],
      ["/api/topics/1?limit=251", 400],
      ["/api/users/not-a-did", 400],
      ["/api/users/did:plc:unknownunknownunknownaaa", 404],
      ["/api/members/%ZZ/permissions", 400],
      ["/api/categories/999999/boards", 404],
      ["/api/nothing-here", 404],
    ];
    for (const [path, status] of cases) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, status]);
      expect(Object.keys(response.body).sort()).toEqual(["error", "message"]);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it("publishes an OpenAPI document for every route", async () => {
    const { body } = await get("/api/openapi.json");
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths).sort()).toEqual([
      "/api/auth/callback",
      "/api/auth/login",
      "/api/auth/logout",
      "/api/auth/session",
      "/api/backfill",
      "/api/boards",
      "/api/boards/{id}",
      "/api/boards/{id}/topics",
      "/api/categories",
      "/api/categories/{id}",
      "/api/categories/{id}/boards",
      "/api/forum",
      "/api/health",
      "/api/health/live",
      "/api/health/ready",
      "/api/members",
      "/api/members/{did}/permissions",
      "/api/members/{did}/role",
      "/api/mod-actions",
      "/api/moderation/members/{did}/ban",
      "/api/moderation/members/{did}/unban",
      "/api/moderation/posts/{id}/hide",
      "/api/moderation/posts/{id}/unhide",
      "/api/moderation/topics/{id}/lock",
      "/api/moderation/topics/{id}/pin",
      "/api/moderation/topics/{id}/unlock",
      "/api/moderation/topics/{id}/unpin",
      "/api/notifications",
      "/api/notifications/read",
      "/api/posts/{id}",
      "/api/posts/{id}/reports",
      "/api/reports",
      "/api/reports/mine",
      "/api/reports/{id}/resolution",
      "/api/roles",
      "/api/search",
      "/api/topics",
      "/api/topics/{id}",
      "/api/topics/{id}/replies",
      "/api/users/{did}",
      "/oauth-client-metadata.json",
      "/oauth/jwks.json",
    ]);
    const limit = body.paths["/api/boards/{id}/topics"].get.parameters.find((p: any) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", schema: { type: "string" } });
  });

  it("reports health with a real database query", async () => {
    const { status, body } = await get("/api/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "healthy", database: { status: "up", dialect } });
    expect((await get("/api/health/ready")).body).toEqual({ status: "ready" });
    expect((await get("/api/health/live")).body).toEqual({ status: "ok" });
  });
});
