// The API's hot reads come back as JSON the database builds: a page of posts
// is one cell, not a row per post. libsql hands each row over as an object
// built value by value with defineProperty, and a page of 25–50 posts with 21
// columns made that the largest cost of a request. The SQL for it differs
// between the dialects in a few words, gathered here; reading the JSON back
// is the same for both.
import type { Dialect } from "@atbb/db";

export interface JsonSql {
  /** The n-th positional parameter (1-based; may appear several times). */
  param(n: number): string;
  /** One row as a JSON array of these expressions, in this order. */
  array(expressions: string[]): string;
  /** Each row's `row` gathered into one JSON array sorted by `orderBy`; `[]` when there are none. */
  arrayOf(row: string, orderBy: string): string;
  /** A timestamp column as integer milliseconds since the epoch, as SQLite stores it. */
  epochMs(column: string): string;
}

export const jsonSql: Record<Dialect, JsonSql> = {
  sqlite: {
    param: (n) => `?${n}`,
    array: (expressions) => `json_array(${expressions.join(", ")})`,
    arrayOf: (row, orderBy) => `json_group_array(${row} order by ${orderBy})`,
    epochMs: (column) => column,
  },
  postgresql: {
    param: (n) => `$${n}`,
    array: (expressions) => `json_build_array(${expressions.join(", ")})`,
    arrayOf: (row, orderBy) => `coalesce(json_agg(${row} order by ${orderBy}), '[]'::json)`,
    // timestamptz(3): the epoch in seconds has three exact decimals.
    epochMs: (column) => `(extract(epoch from ${column}) * 1000)::int8`,
  },
};

/**
 * A JSON cell as the statement's author typed it. postgres.js has already
 * parsed json columns; libsql hands back their text.
 */
export const jsonCell = <T>(cell: unknown): T => (typeof cell === "string" ? JSON.parse(cell) : cell) as T;

/** count(*) is a bigint: a string from postgres.js, a number from libsql. */
export const countCell = (cell: unknown): number => Number(cell);

/** Booleans are JSON true/false from PostgreSQL and 0/1 from SQLite. */
export const flag = (value: boolean | number): boolean => value === true || value === 1;

export const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
