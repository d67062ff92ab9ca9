// Bulk loading for the seed: many rows per statement, whatever the dialect's
// parameter limit, and a table's indexes to drop before and rebuild after.
import type { DatabaseHandle } from "@atbb/db";
import { getTableColumns, sql, type SQL } from "drizzle-orm";

/** A table's indexes other than its primary key, each with the statement that creates it. */
export async function secondaryIndexes(
  database: DatabaseHandle,
  table: string,
): Promise<{ name: string; definition: string }[]> {
  const rows =
    database.dialect === "postgresql"
      ? await database.rows<{ name: string; definition: string }>(sql`
          select i.indexname as name, i.indexdef as definition from pg_indexes i
          join pg_index x on x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
          where i.schemaname = current_schema() and i.tablename = ${table} and not x.indisprimary`)
      : await database.rows<{ name: string; definition: string }>(
          sql`select name, sql as definition from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`,
        );
  return rows;
}

type Table = DatabaseHandle["schema"][keyof DatabaseHandle["schema"]];

/**
 * Rows keyed by column name, in one statement per call: PostgreSQL expands a
 * JSON array with json_populate_recordset (so every column must be present),
 * SQLite walks it with json_each. One parameter whatever the row count, so
 * neither dialect's parameter limit applies. Generated columns (posts'
 * search words on PostgreSQL) are left for the database to fill.
 */
export async function insertRows(
  database: DatabaseHandle,
  table: Table,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.values(
    getTableColumns(table as never) as Record<string, { name: string; generated?: unknown }>,
  )
    .filter((c) => c.generated === undefined)
    .map((c) => c.name);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(", "));
  let statement: SQL;
  if (database.dialect === "postgresql") {
    statement = sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(rows)}::json)`;
  } else {
    const arrays = rows.map((row) =>
      columns.map((c) => (row[c] instanceof Date ? (row[c] as Date).getTime() : (row[c] ?? null))),
    );
    const values = sql.raw(columns.map((_, i) => `value ->> ${i}`).join(", "));
    statement = sql`insert into ${table} (${list}) select ${values} from json_each(${JSON.stringify(arrays)})`;
  }
  await database.rows(statement);
}
