// What com.atproto.repo.listRecords lists, as the event contract's candidates,
// and how a page's rejections are recorded.
import type { Collection } from "@atbb/lexicon";
import type { Candidate } from "../events/index.ts";

export interface ListedRecord {
  uri: string;
  cid: string;
  value: unknown;
}

/**
 * A listRecords item of `did`'s `collection` as a create. The listing carries
 * no time: all it proves is that the record existed by now. So its time is
 * the earlier of now and the date the record claims — a record written while
 * this AppView was away keeps its place among its neighbours (dating it by
 * the backfill would put every backfilled reply after a lock backfilled a
 * moment earlier), and a claim in the future is still capped at now.
 *
 * `rev` is the repository's revision read just before the listing began, or
 * null: every version listed is at least that recent, so a live event older
 * than it cannot undo what the listing found, and a newer one replaces it.
 */
export function listedCandidate(
  did: string,
  collection: Collection,
  item: ListedRecord | null,
  rev: string | null = null,
): Candidate {
  // A hostile PDS may list anything at all: the validator judges what is missing.
  const rkey = typeof item?.uri === "string" ? item.uri.split("/").pop() : undefined;
  return {
    kind: "commit",
    timeUs: listedTimeUs(item?.value, Date.now()),
    did,
    collection,
    rkey,
    operation: "create",
    cid: item?.cid,
    record: item?.value,
    rev,
  };
}

/** The earlier of `nowMs` and the record's `createdAt`, in µs; a claim that does not parse, or lies before 1970 (no event time is), counts as none. */
function listedTimeUs(record: unknown, nowMs: number): number {
  const claimed =
    typeof record === "object" && record !== null ? (record as { createdAt?: unknown }).createdAt : undefined;
  const claimedMs = typeof claimed === "string" ? Date.parse(claimed) : Number.NaN;
  return (claimedMs > 0 && claimedMs < nowMs ? claimedMs : nowMs) * 1000;
}

/** One error row for a page's rejected records: the first of them in full, and how many of each reason. */
export function pageRejections(
  rejections: { uri: string | null; reason: string; detail: string }[],
): { uri: string | null; error: string } | null {
  const [first] = rejections;
  if (first === undefined) return null;
  const own = `${first.reason}: ${first.detail}`;
  if (rejections.length === 1) return { uri: first.uri, error: own };
  const reasons = new Map<string, number>();
  for (const { reason } of rejections) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const counts = [...reasons].map(([reason, n]) => `${reason} ×${n}`).join(", ");
  return {
    uri: first.uri,
    error: `${own} (and ${rejections.length - 1} more records of this page rejected: ${counts})`,
  };
}
