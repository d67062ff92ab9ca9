// Many rows into one table as one statement with one JSON parameter (the
// dialects' JSON table: @atbb/db's jsonTable). Drizzle's multi-row VALUES
// builds, types and binds every value — 10,000 of them for a run of 500
// posts, the larger part of the indexer's own CPU — whereas this statement's
// text depends only on the table and its columns.
import { jsonTable } from "@atbb/db";
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { ApplyContext } from "./context.ts";

// The indexer's statements reach the JSON table through this module.
export { jsonTable };

type Key<T extends PgTable> = keyof T["_"]["columns"] & string;

export interface UpsertRowsOptions<T extends PgTable, R extends Key<T>> {
  /** The unique key that decides between insert and update. */
  target: Key<T>[];
  /** An existing row takes each written column from `excluded`, unless it is given here. */
  set?: Partial<Record<Key<T>, SQL>>;
  returning: R[];
}

/**
 * Inserts `rows` (each with the same columns, by table property), updating
 * those whose `target` key exists, and returns the `returning` columns of
 * every row written.
 */
export async function upsertRows<T extends PgTable, R extends Key<T>>(
  { tx, dialect }: Pick<ApplyContext, "tx" | "dialect">,
  table: T,
  rows: Partial<T["$inferInsert"]>[],
  { target, set = {}, returning }: UpsertRowsOptions<T, R>,
): Promise<Pick<T["$inferSelect"], R>[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<Key<T>, PgColumn>;
  const keys = Object.keys(rows[0]!) as Key<T>[];
  const column = (key: Key<T>) => sql`${sql.identifier(columns[key].name)}`;
  const list = (items: Key<T>[], each: (key: Key<T>) => SQL = column) => sql.join(items.map(each), sql`, `);
  // The JSON table's columns are named by table property: the rows go in as they are.
  const x = jsonTable(
    dialect,
    "x",
    rows as Record<string, unknown>[],
    Object.fromEntries(keys.map((key) => [key, columns[key].getSQLType()])),
  );
  // "where true" tells SQLite's parser that the ON CONFLICT below belongs to the insert.
  const source = sql`select ${list(keys, (key) => x.column(key))} from ${x.from} where true`;
  const updates = keys.filter((key) => !target.includes(key) && !(key in set));
  const assignments = [
    ...updates.map((key) => sql`${column(key)} = excluded.${column(key)}`),
    ...Object.entries(set).map(([key, value]) => sql`${column(key as Key<T>)} = ${value as SQL}`),
  ];
  const query = sql`insert into ${sql.identifier(getTableName(table))} (${list(keys)}) ${source}
    on conflict (${list(target)}) do update set ${sql.join(assignments, sql`, `)}
    returning ${list(returning)}`;
  return selectRows({ tx, dialect }, table, query, returning);
}

/**
 * Runs `query` and maps the `columns` of each row it returns. Raw rows carry
 * the driver's values (PostgreSQL's int8 as a string, SQLite's booleans as
 * 0/1): the table's columns map them as drizzle would.
 */
export async function selectRows<T extends PgTable, R extends Key<T>>(
  { tx, dialect }: Pick<ApplyContext, "tx" | "dialect">,
  table: T,
  query: SQL,
  columns: R[],
): Promise<Pick<T["$inferSelect"], R>[]> {
  const byKey = getTableColumns(table) as Record<Key<T>, PgColumn>;
  const rows: Record<string, unknown>[] =
    dialect === "postgresql"
      ? [...(await tx.execute(query))]
      : await (tx as unknown as { all(query: SQL): Promise<Record<string, unknown>[]> }).all(query);
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((key) => [
        key,
        row[byKey[key].name] == null ? null : byKey[key].mapFromDriverValue(row[byKey[key].name]),
      ]),
    ),
  ) as Pick<T["$inferSelect"], R>[];
}

/** Runs a statement that returns nothing. */
export async function runStatement({ tx, dialect }: Pick<ApplyContext, "tx" | "dialect">, query: SQL): Promise<void> {
  if (dialect === "postgresql") await tx.execute(query);
  else await (tx as unknown as { run(query: SQL): Promise<unknown> }).run(query);
}
