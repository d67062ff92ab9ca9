// Records point at each other by at-uri. These turn a uri into "the id of that
// row, if it is indexed yet": as a subquery for a single write (no round
// trip), or for a whole run of writes in one query (idsOf, rowsOf).
import { parseRecordUri, recordUri, type Collection } from "@atbb/lexicon";
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

type RecordTable = ApplyContext["schema"]["posts" | "boards" | "categories" | "roles" | "forums"];

export function idOf(table: RecordTable, uri: string | null | undefined): SQL {
  const target = uri ? parseRecordUri(uri) : null;
  if (!target) return sql`null`;
  return sql`(select ${table.id} from ${table} where ${table.did} = ${target.did} and ${table.rkey} = ${target.rkey})`;
}

/**
 * A condition matching the rows of `uris`, for looking up a whole run of
 * references in one query: grouped by repository, so each branch is a range
 * of the table's (did, rkey) index. Null when no uri is a record uri.
 */
export function rowsOf(table: RecordTable, uris: Iterable<string | null | undefined>): SQL | null {
  const rkeysByDid = new Map<string, Set<string>>();
  for (const uri of uris) {
    const target = uri ? parseRecordUri(uri) : null;
    if (target) rkeysByDid.set(target.did, (rkeysByDid.get(target.did) ?? new Set()).add(target.rkey));
  }
  if (rkeysByDid.size === 0) return null;
  return or(...[...rkeysByDid].map(([did, rkeys]) => and(eq(table.did, did), inArray(table.rkey, [...rkeys]))))!;
}
/** The ids of the indexed rows among `uris` (records of `collection`), by uri, in one query. */
export async function idsOf(
  { tx }: Pick<ApplyContext, "tx">,
  table: RecordTable,
  collection: Collection,
  uris: Iterable<string | null | undefined>,
): Promise<Map<string, number>> {
  const where = rowsOf(table, uris);
  if (!where) return new Map();
  const rows = await tx.select({ id: table.id, did: table.did, rkey: table.rkey }).from(table).where(where);
  return new Map(rows.map((row) => [recordUri(row.did, collection, row.rkey), row.id]));
}

/** Null when fine, else why the reference is not acceptable. */
export function checkReference(
  uri: string | undefined,
  expected: Collection,
  owner: string | null,
  what: string,
): string | null {
  if (uri === undefined) return null;
  const target = parseRecordUri(uri);
  if (!target) return `${what} is not a record at-uri`;
  if (target.collection !== expected) return `${what} must point at a ${expected} record`;
  if (owner !== null && target.did !== owner) return `${what} must point at the forum account's record`;
  return null;
}
