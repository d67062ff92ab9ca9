// Board listings and topic pages must be index scans, on a database big
// enough for the planner to have a choice.
import { postgresClient } from "@atbb/db";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boardTopicsPageSql, topicRepliesPageSql } from "../../src/api/queries.ts";

let database: MigratedTestDatabase;
const BOARDS = 5;
const TOPICS = 20_000;
const REPLIES = 40_000;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  const { db, schema } = database.handle;
  const { forums, categories, boards, posts } = schema;
  const now = new Date("2026-11-01T00:00:00.000Z");
  const record = (did: string, rkey: string) => ({ did, rkey, cid: "bafy", indexedAt: now, createdAt: now });
  await db.insert(forums).values({ ...record("did:plc:forumaaaaaaaaaaaaaaaaaaa", "self"), name: "F" });
  const [category] = await db
    .insert(categories)
    .values({ ...record("did:plc:forumaaaaaaaaaaaaaaaaaaa", "c"), name: "C" })
    .returning();
  await db.insert(boards).values(
    Array.from({ length: BOARDS }, (_, i) => ({
      ...record("did:plc:forumaaaaaaaaaaaaaaaaaaa", `b${i}`),
      name: `B${i}`,
      categoryUri: "at://x",
      categoryId: category!.id,
    })),
  );
  const at = (ms: number) => new Date(now.getTime() + ms);
  for (let start = 0; start < TOPICS; start += 2000) {
    await db.insert(posts).values(
      Array.from({ length: 2000 }, (_, k) => {
        const i = start + k;
        return {
          ...record("did:plc:authoraaaaaaaaaaaaaaaaaa", `t${i}`),
          text: "topic",
          title: `T${i}`,
          boardId: (i % BOARDS) + 1,
          createdAt: at(i),
          lastActivityAt: at((i * 7) % TOPICS),
        };
      }),
    );
  }
  for (let start = 0; start < REPLIES; start += 2000) {
    await db.insert(posts).values(
      Array.from({ length: 2000 }, (_, k) => {
        const i = start + k;
        return {
          ...record("did:plc:authoraaaaaaaaaaaaaaaaaa", `r${i}`),
          text: "reply",
          rootUri: "at://x",
          rootId: (i % 50) + 1,
          parentId: (i % 50) + 1,
          createdAt: at(TOPICS + i),
        };
      }),
    );
  }
  // What autovacuum does for a live forum: statistics and the visibility map.
  if (dialect === "postgresql") {
    // Other test files' transactions on the same server can hold back the
    // horizon VACUUM needs to mark pages all-visible; they are short, so retry.
    const direct = postgresClient(database.url, { max: 1 });
    try {
      for (let attempt = 0; ; attempt++) {
        await direct.unsafe("vacuum (analyze) posts, users");
        const [stats] = await direct<
          { visible: number; pages: number }[]
        >`select relallvisible as visible, relpages as pages from pg_class where relname = 'posts'`;
        if (stats!.visible >= stats!.pages * 0.95) break;
        if (attempt === 100)
          throw new Error(`VACUUM could not mark posts all-visible (${stats!.visible}/${stats!.pages} pages)`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await direct.end();
    }
  } else {
    await database.handle.rows(sql`analyze`);
  }
}, 120_000);
afterAll(async () => database?.drop());

/** The plan of a page query (parameters: the board or topic, limit, offset), with its numeric parameters inlined. */
async function plan(pageSql: typeof boardTopicsPageSql, params: number[]): Promise<string> {
  const text = pageSql(database.handle);
  const inlined = text.replace(/\$\d+|\?\d+/g, (placeholder) => {
    const value = params[Number(placeholder.slice(1)) - 1];
    if (typeof value !== "number") throw new Error(`expected numeric parameters, got ${JSON.stringify(value)}`);
    return String(value);
  });
  const explain = dialect === "postgresql" ? sql.raw(`explain ${inlined}`) : sql.raw(`explain query plan ${inlined}`);
  const rows = await database.handle.rows<Record<string, unknown>>(explain);
  return rows.map((r) => String(r["QUERY PLAN"] ?? r.detail)).join("\n");
}

/** The page's ids come from an index-only scan of `index`, the rows by primary key, and nothing sorts more than the page. */
function expectDeferredJoinOver(text: string, index: string, limit: number) {
  if (dialect === "postgresql") {
    expect(text).toMatch(new RegExp(`Index Only Scan (Backward )?using ${index} on posts`));
    expect(text).toMatch(/Index Scan using posts_pkey on posts|Bitmap Index Scan on posts_pkey/);
    for (const [, rows] of text.matchAll(/Sort {2}\(cost=[\d.]+ rows=(\d+)/g))
      expect(Number(rows)).toBeLessThanOrEqual(limit);
  } else {
    expect(text).toMatch(new RegExp(`(SCAN|SEARCH) posts USING (COVERING )?INDEX ${index}`));
    // Only the outer query (the page's own rows) may sort; the index delivers the order.
    expect(text.match(/USE TEMP B-TREE FOR ORDER BY/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(text).toMatch(/SEARCH posts USING INTEGER PRIMARY KEY/);
  }
  expect(text).not.toMatch(/Seq Scan on posts|SCAN posts(?! USING)/);
}

describe(`query plans on a seeded database (${dialect})`, () => {
  it("reads a board's first and a deep page of topics from the board-topics index", async () => {
    for (const offset of [0, 3000])
      expectDeferredJoinOver(await plan(boardTopicsPageSql, [3, 25, offset]), "posts_board_topics_idx", 25);
  });

  it("reads a topic page from the root index", async () => {
    expectDeferredJoinOver(await plan(topicRepliesPageSql, [7, 50, 600]), "posts_root_posted_idx", 50);
  });
});
