// One logical schema, two dialects: migrate both chains, introspect both
// databases, and compare what a reader of the schema cares about.
import { createMigratedTestDatabase, type MigratedTestDatabase } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Shape {
  columns: Record<string, { nullable: boolean }>;
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  foreignKeys: Record<string, { target: string; onDelete: string }>;
  primaryKey: string[];
}

/** Differences we mean to have, each with its reason. */
const INTENDED_DIFFERENCES = {
  // drizzle keeps its journal in a "drizzle" schema on PostgreSQL, next to the tables on SQLite.
  ignoredTables: ["__drizzle_migrations", "sqlite_sequence"],
  // Full-text search is each engine's own: an FTS5 table (and its shadow
  // tables) on SQLite, a stored column of words on posts with its GIN index
  // on PostgreSQL.
  sqliteSearchTables: [
    "posts_search",
    "posts_search_data",
    "posts_search_idx",
    "posts_search_docsize",
    "posts_search_config",
  ],
  postgresSearchIndex: "posts_search_idx",
  postgresSearchColumn: { table: "posts", column: "search_vector" },
};

async function postgresShape(database: MigratedTestDatabase): Promise<Record<string, Shape>> {
  const { rows } = database.handle;
  const shapes: Record<string, Shape> = {};
  const shape = (table: string) => (shapes[table] ??= { columns: {}, indexes: {}, foreignKeys: {}, primaryKey: [] });
  for (const c of await rows<{ table_name: string; column_name: string; is_nullable: string }>(sql`
    select table_name, column_name, is_nullable from information_schema.columns
    where table_schema = 'public'`)) {
    const { table, column } = INTENDED_DIFFERENCES.postgresSearchColumn;
    if (c.table_name === table && c.column_name === column) continue;
    shape(c.table_name).columns[c.column_name] = { nullable: c.is_nullable === "YES" };
  }
  for (const i of await rows<{
    table: string;
    name: string;
    columns: string[];
    unique: boolean;
    primary: boolean;
    partial: boolean;
  }>(sql`
    select t.relname as table, ix.relname as name, i.indisunique as unique, i.indisprimary as primary,
           i.indpred is not null as partial,
           array(select a.attname from unnest(i.indkey) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
    from pg_index i join pg_class t on t.oid = i.indrelid join pg_class ix on ix.oid = i.indexrelid
    join pg_namespace ns on ns.oid = t.relnamespace where ns.nspname = 'public'`)) {
    if (i.name === INTENDED_DIFFERENCES.postgresSearchIndex) continue;
    if (i.primary) shape(i.table).primaryKey = i.columns;
    else shape(i.table).indexes[i.name] = { columns: i.columns, unique: i.unique, partial: i.partial };
  }
  for (const f of await rows<{ table: string; column: string; target: string; on_delete: string }>(sql`
    select kcu.table_name as table, kcu.column_name as column,
           ccu.table_name || '.' || ccu.column_name as target, rc.delete_rule as on_delete
    from information_schema.referential_constraints rc
    join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.constraint_name
    where kcu.table_schema = 'public'`)) {
    shape(f.table).foreignKeys[f.column] = { target: f.target, onDelete: f.on_delete.toLowerCase() };
  }
  return shapes;
}

async function sqliteShape(database: MigratedTestDatabase): Promise<Record<string, Shape>> {
  const { rows } = database.handle;
  const shapes: Record<string, Shape> = {};
  const tables = await rows<{ name: string }>(sql`select name from sqlite_master where type = 'table'`);
  for (const { name } of tables) {
    if (INTENDED_DIFFERENCES.ignoredTables.includes(name)) continue;
    if (INTENDED_DIFFERENCES.sqliteSearchTables.includes(name)) continue;
    const shape: Shape = { columns: {}, indexes: {}, foreignKeys: {}, primaryKey: [] };
    const columns = await rows<{ name: string; notnull: number; pk: number }>(
      sql`select * from pragma_table_info(${name})`,
    );
    for (const c of columns) shape.columns[c.name] = { nullable: c.notnull === 0 && c.pk === 0 };
    shape.primaryKey = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    for (const i of await rows<{ name: string; unique: number; origin: string; partial: number }>(
      sql`select * from pragma_index_list(${name})`,
    )) {
      if (i.origin === "pk") continue;
      const indexColumns = await rows<{ name: string }>(
        sql`select name from pragma_index_info(${i.name}) order by seqno`,
      );
      shape.indexes[i.name] = {
        columns: indexColumns.map((c) => c.name),
        unique: i.unique === 1,
        partial: i.partial === 1,
      };
    }
    for (const f of await rows<{ table: string; from: string; to: string; on_delete: string }>(
      sql`select * from pragma_foreign_key_list(${name})`,
    )) {
      shape.foreignKeys[f.from] = { target: `${f.table}.${f.to}`, onDelete: f.on_delete.toLowerCase() };
    }
    shapes[name] = shape;
  }
  return shapes;
}

describe("the PostgreSQL and SQLite schemas", () => {
  let postgres: MigratedTestDatabase;
  let sqlite: MigratedTestDatabase;
  let pgShape: Record<string, Shape>;
  let liteShape: Record<string, Shape>;

  beforeAll(async () => {
    [postgres, sqlite] = await Promise.all([
      createMigratedTestDatabase("postgresql"),
      createMigratedTestDatabase("sqlite"),
    ]);
    [pgShape, liteShape] = await Promise.all([postgresShape(postgres), sqliteShape(sqlite)]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.drop(), sqlite?.drop()]);
  });

  it("have the same tables", () => {
    expect(Object.keys(liteShape).sort()).toEqual(Object.keys(pgShape).sort());
    expect(Object.keys(pgShape).sort()).toEqual([
      "backfill_errors",
      "backfill_progress",
      "boards",
      "categories",
      "firehose_cursor",
      "forums",
      "member_sessions",
      "memberships",
      "mod_actions",
      "notifications",
      "oauth_sessions",
      "oauth_states",
      "posts",
      "reports",
      "role_grants",
      "role_permissions",
      "roles",
      "topic_reads",
      "users",
    ]);
  });

  it("have the same columns with the same nullability", () => {
    for (const table of Object.keys(pgShape)) {
      expect(liteShape[table]?.columns, table).toEqual(pgShape[table]!.columns);
    }
  });

  it("have the same primary keys", () => {
    for (const table of Object.keys(pgShape)) {
      expect(liteShape[table]?.primaryKey, table).toEqual(pgShape[table]!.primaryKey);
    }
  });

  it("have the same indexes: names, columns, uniqueness, partiality", () => {
    for (const table of Object.keys(pgShape)) {
      expect(liteShape[table]?.indexes, table).toEqual(pgShape[table]!.indexes);
    }
    expect(pgShape.posts!.indexes.posts_board_topics_idx).toEqual({
      columns: ["board_id", "pinned", "last_activity_at", "id"],
      unique: false,
      partial: true,
    });
  });

  it("have the same foreign keys: target and on-delete rule", () => {
    for (const table of Object.keys(pgShape)) {
      expect(liteShape[table]?.foreignKeys, table).toEqual(pgShape[table]!.foreignKeys);
    }
    expect(pgShape.role_permissions!.foreignKeys.role_id).toEqual({ target: "roles.id", onDelete: "cascade" });
  });
});
