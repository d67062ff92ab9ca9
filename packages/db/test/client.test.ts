import { createDb, dialectOf, redactUrl, UnsupportedDatabaseUrlError, type DatabaseHandle } from "@atbb/db";
import { createMigratedTestDatabase, createTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("createDb URLs", () => {
  it("maps every accepted URL form to its dialect", () => {
    expect(dialectOf("postgres://u:p@db:5432/atbb")).toBe("postgresql");
    expect(dialectOf("postgresql://atbb@/atbb?host=/run/postgresql")).toBe("postgresql");
    expect(dialectOf("file:/var/lib/atbb/atbb.db")).toBe("sqlite");
    expect(dialectOf("file::memory:")).toBe("sqlite");
    expect(dialectOf("libsql://forum.example.org")).toBe("sqlite");
    expect(dialectOf("http://127.0.0.1:8080")).toBe("sqlite");
    expect(dialectOf("https://sqld.example.org")).toBe("sqlite");
  });

  it("refuses a URL it cannot handle, naming the accepted forms", async () => {
    for (const url of ["mysql://root:hunter2@db/atbb", "/var/lib/atbb.db", "", "sqlite://x.db"]) {
      await expect(createDb(url)).rejects.toThrow(UnsupportedDatabaseUrlError);
    }
    await expect(createDb("mysql://root:hunter2@db/atbb")).rejects.toThrow(/postgresql:\/\/.*\n(.|\n)*file:/);
    await expect(createDb("mysql://root:hunter2@db/atbb")).rejects.not.toThrow(/hunter2/);
  });

  it("redacts passwords and tokens", () => {
    expect(redactUrl("postgres://atbb:s3cret@db:5432/atbb")).toBe("postgres://atbb:***@db:5432/atbb");
    expect(redactUrl("libsql://db.example.org?authToken=abc.def")).toBe("libsql://db.example.org?authToken=***");
    expect(redactUrl("postgresql://atbb@/atbb?host=/run/postgresql")).toBe(
      "postgresql://atbb@/atbb?host=/run/postgresql",
    );
  });

  it("opens an in-memory SQLite database", async () => {
    const handle = await createDb("file::memory:");
    try {
      expect(handle.dialect).toBe("sqlite");
      expect(await handle.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  const socketDir = inject("postgresSocketDir");
  it.runIf(dialect === "postgresql" && socketDir !== null)(
    "connects to PostgreSQL over a Unix socket with ?host=",
    async () => {
      const database = await createTestDatabase("postgresql");
      const name = new URL(database.url).pathname.slice(1);
      const port = new URL(database.url).port;
      const handle = await createDb(`postgresql://postgres@/${name}?host=${socketDir}&port=${port}`);
      try {
        expect(await handle.rows(sql`select current_database() as db`)).toEqual([{ db: name }]);
      } finally {
        await handle.close();
        await database.drop();
      }
    },
  );
});

describe(`a ${dialect} database`, () => {
  let database: MigratedTestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    handle = database.handle;
  });
  afterAll(async () => database?.drop());

  it("round-trips millisecond timestamps, large ids and booleans", async () => {
    const { users, posts } = handle.schema;
    const createdAt = new Date("2026-11-22T12:34:56.789Z");
    const bigId = 2 ** 52 + 7;
    await handle.db
      .insert(users)
      .values({ did: "did:plc:aliceaaaaaaaaaaaaaaaaaaa", firstSeenAt: createdAt, updatedAt: createdAt });
    await handle.db.insert(posts).values({
      id: bigId,
      did: "did:plc:aliceaaaaaaaaaaaaaaaaaaa",
      rkey: "3kabc",
      cid: "bafy",
      indexedAt: createdAt,
      text: "hello",
      createdAt,
      deletedByUser: true,
      bannedByMod: false,
      lastActivityAt: createdAt,
    });
    const [row] = await handle.db.select().from(posts).where(eq(posts.id, bigId));
    expect(row).toMatchObject({
      id: bigId,
      createdAt,
      deletedByUser: true,
      bannedByMod: false,
      locked: false,
      replyCount: 0,
    });
    expect(row!.createdAt.getTime()).toBe(createdAt.getTime());
    expect(typeof row!.id).toBe("number");
  });

  it("deletes a role's permissions with the role", async () => {
    const { roles, rolePermissions } = handle.schema;
    const now = new Date();
    const [role] = await handle.db
      .insert(roles)
      .values({
        did: "did:plc:forumaaaaaaaaaaaaaaaaaaa",
        rkey: "mod",
        cid: "bafy",
        indexedAt: now,
        name: "Moderator",
        priority: 10,
        createdAt: now,
      })
      .returning();
    await handle.db.insert(rolePermissions).values([
      { roleId: role!.id, permission: "space.atbb.permission.moderatePosts" },
      { roleId: role!.id, permission: "space.atbb.permission.banUsers" },
    ]);
    await handle.db.delete(roles).where(eq(roles.id, role!.id));
    expect(await handle.db.select().from(rolePermissions).where(eq(rolePermissions.roleId, role!.id))).toEqual([]);
  });

  it("runs concurrent transactions without a busy error", async () => {
    const { firehoseCursor } = handle.schema;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        handle.db.transaction(async (tx) => {
          // Whichever inserts first writes 0; each of the other 19 adds one.
          await tx
            .insert(firehoseCursor)
            .values({ service: "race", cursor: 0, updatedAt: new Date() })
            .onConflictDoUpdate({ target: firehoseCursor.service, set: { cursor: sql`${firehoseCursor.cursor} + 1` } });
          // Yield mid-transaction so a second one would collide if not queued.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }),
      ),
    );
    const [row] = await handle.db.select().from(firehoseCursor).where(eq(firehoseCursor.service, "race"));
    expect(row!.cursor).toBe(19);
  });

  it.runIf(dialect === "sqlite")("uses WAL, a busy timeout and foreign keys on every connection", async () => {
    expect(await handle.rows(sql`pragma journal_mode`)).toEqual([{ journal_mode: "wal" }]);
    expect(await handle.rows(sql`pragma busy_timeout`)).toEqual([{ timeout: 5000 }]);
    const checks = await Promise.all(Array.from({ length: 5 }, () => handle.rows(sql`pragma foreign_keys`)));
    expect(checks).toEqual(Array.from({ length: 5 }, () => [{ foreign_keys: 1 }]));
  });

  it.runIf(dialect === "sqlite")(
    "commits with synchronous = NORMAL and a 10,000-page WAL checkpoint on the transaction's connection and reads beside it",
    async () => {
      const settings = async (read: (query: SQL) => Promise<unknown>) => [
        await read(sql`pragma synchronous`),
        await read(sql`pragma wal_autocheckpoint`),
      ];
      const expected = [[{ synchronous: 1 }], [{ wal_autocheckpoint: 10000 }]];
      for (let i = 0; i < 3; i++) {
        await handle.db.transaction(async (tx) => {
          const inside = await settings((query) => (tx as unknown as { all(query: SQL): Promise<unknown> }).all(query));
          // A read while the transaction holds its connection goes to the other one.
          const beside = await settings((query) => handle.rows(query));
          expect({ inside, beside }).toEqual({ inside: expected, beside: expected });
        });
      }
    },
  );
});
