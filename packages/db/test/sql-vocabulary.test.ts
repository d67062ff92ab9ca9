import { aliasedTable, jsonCell, jsonSql, jsonTable, outerJoined, rowShape } from "@atbb/db";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: MigratedTestDatabase;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  const { db, schema } = database.handle;
  const at = (iso: string) => new Date(iso);
  const record = (did: string, rkey: string) => ({ did, rkey, cid: "bafy", indexedAt: at("2026-11-01T00:00:00.001Z") });
  await db.insert(schema.users).values({
    did: "did:plc:authoraaaaaaaaaaaaaaaaaa",
    handle: "author.test",
    accountStatus: "active",
    banExpiresAt: at("2027-01-02T03:04:05.678Z"),
    firstSeenAt: at("2026-01-01T00:00:00.000Z"),
    updatedAt: at("2026-01-01T00:00:00.000Z"),
  });
  await db.insert(schema.posts).values([
    {
      ...record("did:plc:authoraaaaaaaaaaaaaaaaaa", "a"),
      title: "A title",
      text: 'Ünïcode ✓ "quoted"',
      createdAt: at("2026-11-02T10:20:30.456Z"),
      locked: true,
      replyCount: 3,
    },
    {
      ...record("did:plc:nobodyaaaaaaaaaaaaaaaaaa", "b"),
      text: "no author row",
      createdAt: at("1969-12-31T23:59:59.999Z"),
      updatedAt: at("2026-11-03T00:00:00.000Z"),
      deletedByUser: true,
    },
  ]);
});
afterAll(async () => database?.drop());

describe(`the SQL vocabulary (${dialect})`, () => {
  it("reads rows through a row shape exactly as drizzle's select reads them, outer-joined columns null when the join misses", async () => {
    const { db, schema, values, sqlText, dialect: d } = database.handle;
    const { posts, users } = schema;
    const selected = {
      id: posts.id,
      text: posts.text,
      title: posts.title,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      locked: posts.locked,
      deletedByUser: posts.deletedByUser,
      replyCount: posts.replyCount,
    };
    const shape = rowShape({
      ...selected,
      handle: outerJoined(users.handle),
      banExpiresAt: outerJoined(users.banExpiresAt),
    });
    const q = jsonSql[d];
    const text = sqlText(
      sql`select ${q.arrayOf(shape.json(d), sql`${posts.id}`)} from ${posts} left join ${users} on ${users.did} = ${posts.did} where ${posts.id} >= ${q.param(1)}`,
    );
    const [[cell]] = (await values(text, [1])) as [[unknown]];
    const viaShape = jsonCell<unknown[][]>(cell).map(shape.decode);
    const viaDrizzle = await db
      .select({ ...selected, handle: users.handle, banExpiresAt: users.banExpiresAt })
      .from(posts)
      .leftJoin(users, eq(users.did, posts.did))
      .orderBy(asc(posts.id));
    expect(viaShape).toEqual(viaDrizzle);
    expect(viaShape[1]).toMatchObject({
      handle: null,
      banExpiresAt: null,
      deletedByUser: true,
      createdAt: new Date("1969-12-31T23:59:59.999Z"),
    });
  });

  it("names an aliased table's columns by the alias and its FROM item by both", () => {
    const { schema, sqlText } = database.handle;
    const topic = aliasedTable(schema.posts, "topic");
    expect(sqlText(sql`select ${topic.table.id} from ${topic.from}`)).toBe(
      `select "topic"."id" from "posts" as "topic"`,
    );
  });

  it("refuses to render a statement that binds a value into its text", () => {
    const { schema, sqlText } = database.handle;
    expect(() => sqlText(sql`select ${schema.posts.id} from ${schema.posts} where ${schema.posts.id} = ${5}`)).toThrow(
      /by position/,
    );
  });

  it("reads rows back from a JSON table, dates, nulls and lone surrogates included", async () => {
    const { rows, dialect: d } = database.handle;
    const x = jsonTable(
      d,
      "x",
      [
        { n: 1, s: "a\uD800b", at: new Date("2026-11-01T00:00:00.123Z") },
        { n: 2, s: null, at: null },
      ],
      {
        n: "integer",
        s: "text",
        at: "timestamptz",
      },
    );
    const at = d === "postgresql" ? sql`(extract(epoch from ${x.column("at")}) * 1000)::int8` : x.column("at");
    const got = await rows<{ n: unknown; s: unknown; at: unknown }>(
      sql`select ${x.column("n")} as n, ${x.column("s")} as s, ${at} as at from ${x.from}`,
    );
    expect(got.map((r) => [Number(r.n), r.s, r.at === null ? null : Number(r.at)])).toEqual([
      [1, "a\uFFFDb", Date.parse("2026-11-01T00:00:00.123Z")],
      [2, null, null],
    ]);
  });
});
