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
  [K in keyof S]: S[K] extends OuterJoined<infer C> ? GetColumnData<C, "raw"> | null : S[K] extends Column ? GetColumnData<S[K]> : never;
};

export interface RowShape<S extends ShapeColumns> {
  /** The row as one JSON array, timestamps as epoch milliseconds (JSON has no dates). */
  json(dialect: Dialect): SQL;
  /** A JSON array as `json` selected it → the row. */
  decode(values: readonly unknown[]): RowOf<S>;
}

/** JSON true/false from PostgreSQL, 0/1 from SQLite. */
const flag = (value: unknown) => (value === null ? null : value === true || value === 1);
const dateOrNull = (ms: unknown) => (ms === null ? null : new Date(ms as number));

export function rowShape<S extends ShapeColumns>(shape: S): RowShape<S> {
  const entries = Object.entries(shape).map(([key, entry]) => {
    const column = "outerJoined" in entry ? entry.outerJoined : entry;
    return { key, column };
  });
  const keys = entries.map(({ key }) => key);
  // Each position's decoding, chosen once from the column's type; null keeps the JSON value (text, numbers, nulls).
  const decoders = entries.map(({ column }) => (column.dataType === "date" ? dateOrNull : column.dataType === "boolean" ? flag : null));
  return {
    json: (dialect) => {
      const q = jsonSql[dialect];
      return q.array(entries.map(({ column }) => (column.dataType === "date" ? q.epochMs(column) : sql`${column}`)));
    },
    decode: (values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const decode = decoders[i];
        row[keys[i]!] = decode ? decode(values[i]) : values[i];
      }
      return row as RowOf<S>;
    },
  };
}
