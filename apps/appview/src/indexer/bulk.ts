// Many rows into one table as one statement with one JSON parameter: SQLite
// reads the array with json_each, PostgreSQL with jsonb_to_recordset. Drizzle's
// multi-row VALUES builds, types and binds every value — 10,000 of them for a
// run of 500 posts, the larger part of the indexer's own CPU — whereas this
// statement's text depends only on the table and its columns, and the rows
// travel as one string that JSON.stringify makes at native speed.
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { ApplyContext } from "./context.ts";

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
  const x = jsonTable(dialect, "x", rows as Record<string, unknown>[], Object.fromEntries(keys.map((key) => [key, columns[key].getSQLType()])));
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
    Object.fromEntries(columns.map((key) => [key, row[byKey[key].name] == null ? null : byKey[key].mapFromDriverValue(row[byKey[key].name])])),
  ) as Pick<T["$inferSelect"], R>[];
}

/** Runs a statement that returns nothing. */
export async function runStatement({ tx, dialect }: Pick<ApplyContext, "tx" | "dialect">, query: SQL): Promise<void> {
  if (dialect === "postgresql") await tx.execute(query);
  else await (tx as unknown as { run(query: SQL): Promise<unknown> }).run(query);
}

export interface JsonTable {
  /** For a FROM clause: the derived table, aliased. */
  from: SQL;
  /** One of its columns. */
  column(name: string): SQL;
}

/**
 * `rows` as a derived table, from one JSON parameter: on SQLite, json_each
 * over an array per row (a value by position is cheaper to extract than by
 * key), on PostgreSQL, jsonb_to_recordset with the given column types.
 */
export function jsonTable(dialect: ApplyContext["dialect"], alias: string, rows: Record<string, unknown>[], types: Record<string, string>): JsonTable {
  const names = Object.keys(types);
  const as = sql.identifier(alias);
  if (dialect === "sqlite") {
    const json = JSON.stringify(rows.map((row) => names.map((name) => encode(row[name], dialect))));
    return { from: sql`json_each(${json}) as ${as}`, column: (name) => sql`${as}.value ->> ${sql.raw(String(names.indexOf(name)))}` };
  }
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(names.map((name) => [name, encode(row[name], dialect)]))));
  const columns = sql.join(names.map((name) => sql`${sql.identifier(name)} ${sql.raw(types[name]!)}`), sql`, `);
  return { from: sql`jsonb_to_recordset(${json}::jsonb) as ${as}(${columns})`, column: (name) => sql`${as}.${sql.identifier(name)}` };
}

/**
 * Dates go as milliseconds to SQLite (timestamp_ms columns) and as ISO strings
 * to PostgreSQL. A lone surrogate (JSON from the network may hold one) becomes
 * U+FFFD, as binding the string as a parameter would make it: jsonb refuses it.
 */
function encode(value: unknown, dialect: ApplyContext["dialect"]): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (value instanceof Date) return dialect === "sqlite" ? value.getTime() : value.toISOString();
  return value ?? null;
}
