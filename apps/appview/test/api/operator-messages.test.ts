// What the API tells an operator: error messages that name the parameter once,
// and a health report that says what keeps an empty forum empty.
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { silentLogger } from "../../src/logger.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { seededApp } from "../support/seeded-app.ts";

let database: MigratedTestDatabase;
beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterAll(async () => database?.drop());

async function get(app: ReturnType<typeof createApp>, path: string) {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as any };
}

describe(`API messages (${dialect})`, () => {
  it("names a bad parameter once, then says what it must be", async () => {
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
    });
    const cases: [string, string][] = [
      ["/api/boards/1/topics?limit=0", "limit must be between 1 and 100"],
      ["/api/boards/1/topics?limit=ten", "limit must be a whole number"],
      ["/api/boards/1/topics?offset=-1", "offset must be a whole number"],
      ["/api/boards/x/topics", "id must be a positive integer"],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await get(app, path);
      expect(status).toBe(400);
      expect(body.message).toBe(message);
    }
  });

  it("says in health that FORUM_DID is missing, while staying healthy", async () => {
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: null,
    });
    const { status, body } = await get(app, "/api/health");
    expect(status).toBe(200);
    expect(body.status).toBe("healthy");
    expect(body.missing).toEqual([expect.stringContaining("FORUM_DID is not set")]);
    expect(body.backfill).toMatchObject({ status: "never" });
  });

  it("says in health that the forum record is not indexed yet, and stops saying so once it is", async () => {
    const stream = sampleForum({ topics: 2, repliesPerTopic: 4 });
    const empty = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: stream.forumDid,
    });
    expect((await get(empty, "/api/health")).body.missing).toEqual([
      expect.stringContaining(`The forum record of ${stream.forumDid}`),
    ]);
    const seeded = await seededApp(database.handle, stream);
    expect((await get(seeded, "/api/health")).body.missing).toEqual([]);
  });

  it("reports a failed backfill in health as degraded, naming the command that lists its errors", async () => {
    const stream = sampleForum({ topics: 2, repliesPerTopic: 4 });
    const app = await seededApp(database.handle, stream);
    const { backfillProgress } = database.handle.schema;
    const now = new Date();
    await database.handle.db.insert(backfillProgress).values({
      did: stream.forumDid,
      collection: "space.atbb.forum.board",
      status: "failed",
      startedAt: now,
      updatedAt: now,
    });
    try {
      const { body } = await get(app, "/api/health");
      expect(body.status).toBe("degraded");
      expect(body.backfill).toMatchObject({ status: "failed", failed: 1 });
      expect(body.missing).toEqual([expect.stringContaining("atbb backfill --errors")]);
    } finally {
      await database.handle.db.delete(backfillProgress);
    }
  });
});
