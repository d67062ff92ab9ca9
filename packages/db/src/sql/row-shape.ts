// A row shape: one list of the schema's columns that gives both the SQL that
// selects a row as a JSON array and the decoding of that array into a typed
// object, so the two cannot fall out of step (position i of the array is the
// i-th column of the list, by construction).
import { sql, type Column, type GetColumnData, type SQL } from "drizzle-orm";
import type { Dialect } from "../client.ts";
import { jsonSql } from "./json.ts";

/** A column read through an outer join: null when the joined row is missing, whatever the column says. */
export interface OuterJoined<C extends Column = Column> {
  outerJoined: C;
}

export const outerJoined = <C extends Column>(column: C): OuterJoined<C> => ({ outerJoined: column });

export type ShapeColumns = Record<string, Column | OuterJoined>;

/** The decoded row: each column's value as drizzle types it (Dates, booleans, numbers). */
export type RowOf<S extends ShapeColumns> = {
  [K in keyof S]: S[K] extends OuterJoined<infer C>
    ? GetColumnData<C, "raw"> | null
    : S[K] extends Column
      ? GetColumnData<S[K]>
      : never;
};

export interface RowShape<S extends ShapeColumns> {
  /** The row as one JSON array, timestamps as epoch milliseconds (JSON has no dates). */
  json(dialect: Dialect): SQL;
  /** A JSON array as `json` selected it → the row. */
  decode(values: readonly unknown[]): RowOf<S>;
}

/** How position i of the JSON array becomes its value: dates from epoch milliseconds, booleans from JSON true/false (PostgreSQL) or 0/1 (SQLite). */
function decoding(column: Column, i: number): string {
  const value = `v[${i}]`;
  if (column.dataType === "date") return `${value} === null ? null : new Date(${value})`;
  if (column.dataType === "boolean") return `${value} === null ? null : ${value} === true || ${value} === 1`;
  return value;
}

export function rowShape<S extends ShapeColumns>(shape: S): RowShape<S> {
  const entries = Object.entries(shape).map(([key, entry]) => ({
    key,
    column: "outerJoined" in entry ? entry.outerJoined : entry,
  }));
  // The decoder is compiled from the list into one object literal: a loop
  // assigning key by key took ~80 µs for a page of 50 posts of 21 columns,
  // the literal ~13 µs, as fast as one written by hand (measured in-process,
  // 20,000 pages). Its text holds only the shape's keys, quoted, and
  // positions: nothing that comes from a row.
  const literal = entries.map(({ key, column }, i) => `${JSON.stringify(key)}: ${decoding(column, i)}`).join(",\n");
  const decode = new Function("v", `return {\n${literal}\n};`) as (values: readonly unknown[]) => RowOf<S>;
  return {
    json: (dialect) => {
      const q = jsonSql[dialect];
      return q.array(entries.map(({ column }) => (column.dataType === "date" ? q.epochMs(column) : sql`${column}`)));
    },
    decode,
  };
}
