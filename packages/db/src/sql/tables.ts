import { getTableName, sql, type SQL, type Table } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * `table` under another name, for a statement that reads it twice or wants
 * its rows named by role (a topic and its author): the aliased table, whose
 * columns render qualified by the alias, and its FROM item. (A raw `sql`
 * template renders an aliased table as its alias alone, so the FROM item
 * names both.)
 */
export function aliasedTable<T extends PgTable>(table: T, name: string): { table: T; from: SQL } {
  return {
    table: alias(table, name) as unknown as T,
    from: sql`${sql.identifier(getTableName(table as Table))} as ${sql.identifier(name)}`,
  };
}
