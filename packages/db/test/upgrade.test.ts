// No step of an upgrade may lose data: a database from before role_permissions
// existed keeps every permission through one `migrate` to head.
import { createDb, migrate } from "@atbb/db";
import { createTestDatabase, dialect, migrationsFolders, type TestDatabase } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BEFORE_ROLE_PERMISSIONS = "0001_forum_structure_and_roles";

const legacyRoles = [
  { rkey: "owner", permissions: ["*"] },
  {
    rkey: "mod",
    permissions: [
      "space.atbb.permission.moderatePosts",
      "space.atbb.permission.banUsers",
      "space.atbb.permission.moderatePosts",
    ],
  },
  { rkey: "quoted", permissions: [`it's "quoted"`, "back\\slash", "comma,inside", "{braces}"] },
  { rkey: "none", permissions: [] },
];

describe.runIf(dialect === "postgresql")("upgrading a PostgreSQL database from the permissions-array era", () => {
  let database: TestDatabase;
  let before: { forums: unknown[]; roles: unknown[] };

  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
    await migrate(database.url, { migrationsFolder: migrationsFolders.postgresql, target: BEFORE_ROLE_PERMISSIONS });
    const handle = await createDb(database.url);
    try {
      await handle.rows(sql`insert into forums (did, rkey, cid, indexed_at, name, created_at)
        values ('did:plc:forumaaaaaaaaaaaaaaaaaaa', 'self', 'bafyforum', now(), 'Forum', now())`);
      for (const [i, role] of legacyRoles.entries()) {
        await handle.rows(sql`insert into roles (did, rkey, cid, indexed_at, name, priority, permissions, created_at)
          values ('did:plc:forumaaaaaaaaaaaaaaaaaaa', ${role.rkey}, ${`bafy${role.rkey}`}, now(), ${role.rkey}, ${i}, array[${sql.join(
            role.permissions.map((p) => sql`${p}`),
            sql`, `,
          )}]::text[], now())`);
      }
      before = {
        forums: await handle.rows(sql`select * from forums order by id`),
        roles: await handle.rows(sql`select id, did, rkey, cid, name, priority from roles order by id`),
      };
    } finally {
      await handle.close();
    }
    await migrate(database.url, { migrationsFolder: migrationsFolders.postgresql });
  });
  afterAll(async () => database?.drop());

  it("copies every permission into role_permissions, duplicates once", async () => {
    const handle = await createDb(database.url);
    try {
      const rows = await handle.rows<{ rkey: string; permission: string }>(sql`
        select r.rkey, p.permission from role_permissions p join roles r on r.id = p.role_id
        order by r.rkey, p.permission`);
      const expected = legacyRoles
        .flatMap((role) => [...new Set(role.permissions)].map((permission) => ({ rkey: role.rkey, permission })))
        .sort((a, b) => (`${a.rkey}\0${a.permission}` < `${b.rkey}\0${b.permission}` ? -1 : 1));
      expect(rows).toEqual(expected);
    } finally {
      await handle.close();
    }
  });

  it("drops the legacy column", async () => {
    const handle = await createDb(database.url);
    try {
      const columns = await handle.rows<{ column_name: string }>(sql`
        select column_name from information_schema.columns where table_name = 'roles'`);
      expect(columns.map((c) => c.column_name)).not.toContain("permissions");
    } finally {
      await handle.close();
    }
  });

  it("changes nothing else", async () => {
    const handle = await createDb(database.url);
    try {
      // Later migrations add columns; they start empty.
      const added = { default_role_uri: null, default_role_id: null, rev: null };
      expect(await handle.rows(sql`select * from forums order by id`)).toEqual(
        before.forums.map((forum) => ({ ...(forum as object), ...added })),
      );
      expect(await handle.rows(sql`select id, did, rkey, cid, name, priority from roles order by id`)).toEqual(
        before.roles,
      );
    } finally {
      await handle.close();
    }
  });
});
