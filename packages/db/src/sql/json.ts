// The few words in which the dialects' JSON SQL differs, in one place. Hot
// statements move rows as JSON rather than as driver rows: the API reads a
// page of posts as one cell (libsql builds each row it hands over value by
// value with defineProperty; for a page of 25–50 posts with 21 columns that
// was the largest cost of a request), and the indexer writes a run of rows as
// one parameter (drizzle's multi-row VALUES builds, types and binds every
// value — 10,000 of them for a run of 500 posts — whereas the rows travel as
// one string that JSON.stringify makes at native speed).
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Dialect } from "../client.ts";

export interface JsonSql {
  /**
   * The n-th positional parameter (1-based; may appear several times). Part
   * of the text, not a bound value: statements for `values()` are rendered
   * once and take their parameters by position on each call.
   */
  param(n: number): SQL;
  /** One row as a JSON array of these expressions, in this order. */
  array(expressions: SQL[]): SQL;
  /** Each row's `row` gathered into one JSON array sorted by `orderBy`; `[]` when there are none. */
  arrayOf(row: SQL, orderBy: SQL): SQL;
  /** A timestamp column as integer milliseconds since the epoch, as SQLite stores it. */
  epochMs(column: SQLWrapper): SQL;
}

const list = (expressions: SQL[]) => sql.join(expressions, sql`, `);

export const jsonSql: Record<Dialect, JsonSql> = {
  sqlite: {
    param: (n) => sql.raw(`?${n}`),
    array: (expressions) => sql`json_array(${list(expressions)})`,
    arrayOf: (row, orderBy) => sql`json_group_array(${row} order by ${orderBy})`,
    epochMs: (column) => sql`${column}`,
  },
  postgresql: {
    param: (n) => sql.raw(`$${n}`),
    array: (expressions) => sql`json_build_array(${list(expressions)})`,
    arrayOf: (row, orderBy) => sql`coalesce(json_agg(${row} order by ${orderBy}), '[]'::json)`,
    // timestamptz(3): the epoch in seconds has three exact decimals.
    epochMs: (column) => sql`(extract(epoch from ${column}) * 1000)::int8`,
  },
};

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
export function jsonTable(
  dialect: Dialect,
  alias: string,
  rows: Record<string, unknown>[],
  types: Record<string, string>,
): JsonTable {
  const names = Object.keys(types);
  const as = sql.identifier(alias);
  if (dialect === "sqlite") {
    const json = JSON.stringify(rows.map((row) => names.map((name) => encode(row[name], dialect))));
    return {
      from: sql`json_each(${json}) as ${as}`,
      column: (name) => sql`${as}.value ->> ${sql.raw(String(names.indexOf(name)))}`,
    };
  }
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(names.map((name) => [name, encode(row[name], dialect)]))),
  );
  const columns = sql.join(
    names.map((name) => sql`${sql.identifier(name)} ${sql.raw(types[name]!)}`),
    sql`, `,
  );
  return {
    from: sql`jsonb_to_recordset(${json}::jsonb) as ${as}(${columns})`,
    column: (name) => sql`${as}.${sql.identifier(name)}`,
  };
}

/**
 * Dates go as milliseconds to SQLite (timestamp_ms columns) and as ISO strings
 * to PostgreSQL. A lone surrogate (JSON from the network may hold one) becomes
 * U+FFFD, as binding the string as a parameter would make it: jsonb refuses it.
 */
function encode(value: unknown, dialect: Dialect): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (value instanceof Date) return dialect === "sqlite" ? value.getTime() : value.toISOString();
  return value ?? null;
}

/** A JSON cell as the statement built it. postgres.js has already parsed json columns; libsql hands back their text. */
export const jsonCell = <T>(cell: unknown): T => (typeof cell === "string" ? JSON.parse(cell) : cell) as T;

/** count(*) is a bigint: a string from postgres.js, a number from libsql. */
export const countCell = (cell: unknown): number => Number(cell);
