// A forum indexed before posts knew when the network saw them keeps its
// threads through one `migrate`: every post and mod action gets a time (the
// earlier of its claim and when this AppView indexed it), locked topics get
// their lock's time, and topics' counts and last activity follow the rules of
// the indexer (a reply indexed after the lock no longer counts; a claim in
// the future no longer bumps).
import { createDb, migrate } from "@atbb/db";
import { createTestDatabase, dialect, migrationsFolders, type TestDatabase } from "@atbb/testing";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BEFORE = { postgresql: "0009_posts_waiting_indexes", sqlite: "0005_posts_waiting_indexes" }[dialect];
const forum = "did:plc:forumforumforumforum";
const author = "did:plc:alicealicealicealice";

/** A timestamp literal as each dialect stores it. */
const at = (iso: string): SQL => (dialect === "postgresql" ? sql`${iso}::timestamptz` : sql`${Date.parse(iso)}`);
const ms = (value: unknown) =>
  value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number(value);

describe(`upgrading a ${dialect} database to posts with network times`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrate(database.url, { migrationsFolder: migrationsFolders[dialect], target: BEFORE });
    const handle = await createDb(database.url);
    try {
      const post = (rkey: string, createdAt: string, indexedAt: string, reply: boolean) =>
        handle.rows(sql`insert into posts (did, rkey, cid, indexed_at, text, root_uri, root_id, parent_uri, parent_id, created_at, locked, reply_count, last_reply_at, last_activity_at)
          values (${author}, ${rkey}, ${`bafy${rkey}`}, ${at(indexedAt)}, ${rkey},
            ${reply ? `at://${author}/space.atbb.post/topic` : null}, ${reply ? 1 : null},
            ${reply ? `at://${author}/space.atbb.post/topic` : null}, ${reply ? 1 : null},
            ${at(createdAt)}, ${reply ? sql`false` : sql`true`}, ${reply ? 0 : 3},
            ${reply ? null : at("9000-01-01T00:00:00.000Z")}, ${reply ? null : at("9000-01-01T00:00:00.000Z")})`);
      await post("topic", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z", false);
      await post("before", "2026-01-02T00:00:00.000Z", "2026-01-02T00:00:01.000Z", true);
      // Dated in the future, indexed before the lock.
      await post("future", "9000-01-01T00:00:00.000Z", "2026-01-03T00:00:01.000Z", true);
      await post("after", "2026-01-05T00:00:00.000Z", "2026-01-05T00:00:01.000Z", true);
      await handle.rows(sql`insert into mod_actions (did, rkey, cid, indexed_at, action, subject_post_uri, created_at)
        values (${forum}, 'lock1', 'bafylock', ${at("2026-01-04T00:00:01.000Z")}, 'lock', ${`at://${author}/space.atbb.post/topic`}, ${at("2026-01-04T00:00:00.000Z")})`);
    } finally {
      await handle.close();
    }
    await migrate(database.url, { migrationsFolder: migrationsFolders[dialect] });
  });
  afterAll(async () => database?.drop());

  it("dates every post and action by the earlier of its claim and its indexing", async () => {
    const handle = await createDb(database.url);
    try {
      const posts = await handle.rows<{ rkey: string; seen_at: unknown; posted_at: unknown }>(
        sql`select rkey, seen_at, posted_at from posts order by id`,
      );
      expect(posts.map((p) => [p.rkey, ms(p.seen_at), ms(p.posted_at)])).toEqual([
        ["topic", Date.parse("2026-01-01T00:00:00.000Z"), Date.parse("2026-01-01T00:00:00.000Z")],
        ["before", Date.parse("2026-01-02T00:00:00.000Z"), Date.parse("2026-01-02T00:00:00.000Z")],
        ["future", Date.parse("2026-01-03T00:00:01.000Z"), Date.parse("2026-01-03T00:00:01.000Z")],
        ["after", Date.parse("2026-01-05T00:00:00.000Z"), Date.parse("2026-01-05T00:00:00.000Z")],
      ]);
      const [action] = await handle.rows<{ seen_at: unknown }>(sql`select seen_at from mod_actions`);
      expect(ms(action!.seen_at)).toBe(Date.parse("2026-01-04T00:00:00.000Z"));
    } finally {
      await handle.close();
    }
  });

  it("gives the locked topic its lock's time and recomputes its counts by the new rules", async () => {
    const handle = await createDb(database.url);
    try {
      const [topic] = await handle.rows<Record<string, unknown>>(
        sql`select locked_at, reply_count, last_reply_at, last_activity_at from posts where rkey = 'topic'`,
      );
      expect(ms(topic!.locked_at)).toBe(Date.parse("2026-01-04T00:00:00.000Z"));
      expect(Number(topic!.reply_count)).toBe(2);
      expect(ms(topic!.last_reply_at)).toBe(Date.parse("2026-01-03T00:00:01.000Z"));
      expect(ms(topic!.last_activity_at)).toBe(Date.parse("2026-01-03T00:00:01.000Z"));
    } finally {
      await handle.close();
    }
  });

  it("counts every reply of a topic already indexed in its kept total, the one hidden after the lock included", async () => {
    const handle = await createDb(database.url);
    try {
      const posts = await handle.rows<{ rkey: string; reply_total: unknown }>(
        sql`select rkey, reply_total from posts order by id`,
      );
      expect(posts.map((p) => [p.rkey, Number(p.reply_total)])).toEqual([
        ["topic", 3],
        ["before", 0],
        ["future", 0],
        ["after", 0],
      ]);
    } finally {
      await handle.close();
    }
  });
});
