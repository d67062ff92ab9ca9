// Records point at each other by at-uri. These turn a uri into "the id of that
// row, if it is indexed yet" as a subquery, so the lookup costs no round trip.
import { parseRecordUri, type Collection } from "@atbb/lexicon";
import { sql, type SQL } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

type RecordTable = ApplyContext["schema"]["posts" | "boards" | "categories" | "roles" | "forums"];

export function idOf(table: RecordTable, uri: string | null | undefined): SQL {
  const target = uri ? parseRecordUri(uri) : null;
  if (!target) return sql`null`;
  return sql`(select ${table.id} from ${table} where ${table.did} = ${target.did} and ${table.rkey} = ${target.rkey})`;
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
