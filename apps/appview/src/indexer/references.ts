// Records point at each other by at-uri. These turn a uri into "the id of that
// row, if it is indexed yet": as a subquery for a single write (no round
// trip), or for a whole run of writes in one query (rowsByUri, idsOf).
import { parseRecordUri, recordUri, type Collection } from "@atbb/lexicon";
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { jsonTable, selectRows } from "./bulk.ts";
import type { ApplyContext } from "./context.ts";

type RecordTable = ApplyContext["schema"]["posts" | "boards" | "categories" | "roles" | "forums"];

export function idOf(table: RecordTable, uri: string | null | undefined): SQL {
  const target = uri ? parseRecordUri(uri) : null;
  if (!target) return sql`null`;
  return sql`(select ${table.id} from ${table} where ${table.did} = ${target.did} and ${table.rkey} = ${target.rkey})`;
}

/**
 * The indexed rows of `table` among `uris` (records of `collection`), by uri,
 * in one query: the (did, rkey) keys travel as one JSON parameter and meet
 * the table's unique (did, rkey) index one key at a time. (A long OR of
 * per-author ranges, as drizzle would build it, is new SQL text for every
 * batch and grows with the batch's authors.)
 */
export async function rowsByUri<T extends RecordTable, R extends keyof T["$inferSelect"] & string>(
  ctx: Pick<ApplyContext, "tx" | "dialect">,
  table: T,
  collection: Collection,
  uris: Iterable<string | null | undefined>,
  columns: R[],
): Promise<Map<string, Pick<T["$inferSelect"], R | "did" | "rkey">>> {
  const keys = new Map<string, { did: string; rkey: string }>();
  for (const uri of uris) {
    const target = uri ? parseRecordUri(uri) : null;
    if (target && target.collection === collection) keys.set(uri!, { did: target.did, rkey: target.rkey });
  }
  if (keys.size === 0) return new Map();
  const { dialect } = ctx;
  const wanted = [...new Set<R | "did" | "rkey">(["did", "rkey", ...columns])] as (R | "did" | "rkey")[];
  const tableColumns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const t = sql.identifier("t");
  const select = sql.join(
    wanted.map((key) => sql`${t}.${sql.identifier(tableColumns[key]!.name)}`),
    sql`, `,
  );
  const k = jsonTable(dialect, "k", [...keys.values()], { did: "text", rkey: "text" });
  // SQLite: CROSS JOIN keeps the keys outside, so each is one index probe.
  const join = dialect === "sqlite" ? sql`cross join` : sql`join`;
  const query = sql`select ${select} from ${k.from}
    ${join} ${sql.identifier(getTableName(table))} as ${t} on ${t}.did = ${k.column("did")} and ${t}.rkey = ${k.column("rkey")}`;
  const rows = (await selectRows(ctx, table as PgTable, query, wanted as never[])) as Pick<
    T["$inferSelect"],
    R | "did" | "rkey"
  >[];
  return new Map(rows.map((row) => [recordUri(row.did as string, collection, row.rkey as string), row]));
}

/** The ids of the indexed rows among `uris` (records of `collection`), by uri, in one query. */
export async function idsOf(
  ctx: Pick<ApplyContext, "tx" | "dialect">,
  table: RecordTable,
  collection: Collection,
  uris: Iterable<string | null | undefined>,
): Promise<Map<string, number>> {
  const rows = await rowsByUri(ctx, table, collection, uris, ["id"]);
  return new Map([...rows].map(([uri, row]) => [uri, row.id as number]));
}
