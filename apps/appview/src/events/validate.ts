// The one validator: every candidate, from whichever source, becomes an
// operation the indexer may apply or a rejection with its reason. It checks,
// in this order: the event's time (not in the future), the author's DID, that no text in it holds
// NUL, the collection, the record key, that forum-owned collections come from
// the forum account, the commit's revision, the operation, the CID, the record against its lexicon,
// and what the record points at (rules.ts). The first fault is the reason.
import {
  forumOwnedCollections,
  isCid,
  isCollection,
  isAccountDid,
  isDid,
  isTid,
  isValidRecordKeyFor,
  validateRecord,
} from "@atbb/lexicon";
import type { AccountCandidate, Candidate, CommitCandidate } from "./candidate.ts";
import type { IndexOp, OpFields } from "./operations.ts";
import type { RejectReason, Rejection } from "./rejections.ts";
import { referenceRules } from "./rules.ts";

export type Verdict = { ok: true; op: IndexOp } | { ok: false; rejection: Rejection };

/** Clock skew tolerated between the network and this machine. */
export const FUTURE_ALLOWANCE_MS = 5 * 60_000;
const ACCOUNT_STATUS = /^[a-z][a-z0-9-]{0,63}$/;
/** Deeper than any lexicon field (the record is one level down): what lies below is never stored, so never searched for NUL. */
const FIELD_DEPTH = 8;

export function rejected(reason: RejectReason, detail: string, where: Omit<Rejection, "reason" | "detail">): Verdict {
  return { ok: false, rejection: { reason, detail, ...where } };
}

// The one place an operation is made: the cast gives it the validated mark.
const accepted = (op: OpFields): Verdict => ({ ok: true, op: op as IndexOp });

/** Decides a candidate: `forumDid` is the only author of forum-owned collections. */
export function validate(candidate: Candidate, forumDid: string): Verdict {
  const { timeUs, did } = candidate;
  if (!Number.isSafeInteger(timeUs) || timeUs <= 0)
    return rejected("invalid_envelope", "time_us is not a positive integer", { timeUs: null });
  // Jetstream's cursor is the largest time_us committed: one from the future
  // would pin it there, hide all lag, and make the next start subscribe from the future.
  if (timeUs > (Date.now() + FUTURE_ALLOWANCE_MS) * 1000)
    return rejected("invalid_envelope", "time_us is in the future", { timeUs: null });
  if (!isDid(did)) return rejected("invalid_envelope", "did is not a DID", { timeUs });
  // Other methods (did:key…) and odd lengths are no atproto account: nothing they write is believed.
  if (!isAccountDid(did)) {
    return rejected(
      "unsupported_did",
      `${did.slice(0, 60)}${did.length > 60 ? "…" : ""} is neither a did:plc (24 base32 characters) nor a did:web of a host`,
      { timeUs },
    );
  }
  // PostgreSQL text cannot hold NUL; no legitimate forum text needs it.
  if (holdsNul(candidate, 0)) return rejected("invalid_record", "contains a NUL character", { timeUs, did });
  switch (candidate.kind) {
    case "identity":
      return accepted({ kind: "identity", timeUs, did });
    case "account":
      return validateAccount(candidate, did);
    case "commit":
      return validateCommit(candidate, did, forumDid);
  }
}

function validateAccount({ timeUs, active, status }: AccountCandidate, did: string): Verdict {
  if (typeof active !== "boolean")
    return rejected("invalid_envelope", "account event without account.active", { timeUs, did });
  const why = typeof status === "string" && ACCOUNT_STATUS.test(status) ? status : "deactivated";
  return accepted({ kind: "account", timeUs, did, status: active ? "active" : why });
}

function validateCommit(
  { timeUs, collection, rkey, operation, cid, record, rev: claimedRev }: CommitCandidate,
  did: string,
  forumDid: string,
): Verdict {
  if (typeof collection !== "string" || !isCollection(collection)) {
    return rejected("unknown_collection", `collection ${JSON.stringify(String(collection)).slice(0, 80)}`, {
      timeUs,
      did,
    });
  }
  if (typeof rkey !== "string" || !isValidRecordKeyFor(collection, rkey)) {
    return rejected(
      "invalid_rkey",
      `record key ${JSON.stringify(String(rkey)).slice(0, 40)} is not valid for ${collection}`,
      { timeUs, did, collection },
    );
  }
  if (forumOwnedCollections.has(collection) && did !== forumDid) {
    return rejected("not_forum_owner", `${collection} is accepted only from the forum account`, {
      timeUs,
      did,
      collection,
      rkey,
    });
  }
  if (claimedRev !== undefined && claimedRev !== null && !isTid(claimedRev))
    return rejected("invalid_envelope", "commit.rev is not a TID", { timeUs, did, collection, rkey });
  const rev = claimedRev ?? null;
  if (operation === "delete") return accepted({ kind: "delete", timeUs, did, collection, rkey, rev });
  if (operation !== "create" && operation !== "update") {
    return rejected("invalid_operation", `operation ${JSON.stringify(String(operation)).slice(0, 20)}`, {
      timeUs,
      did,
      collection,
      rkey,
    });
  }
  if (!isCid(cid)) return rejected("invalid_cid", "commit.cid is not a CID", { timeUs, did, collection, rkey });
  const validation = validateRecord(collection, record);
  if (!validation.ok) return rejected("invalid_record", validation.reason, { timeUs, did, collection, rkey });
  const problem = referenceRules[collection](validation.record as never, forumDid, rkey);
  if (problem !== null) return rejected("bad_reference", problem, { timeUs, did, collection, rkey });
  return accepted({
    kind: "record",
    timeUs,
    did,
    collection,
    rkey,
    operation,
    cid,
    rev,
    record: validation.record,
  } as OpFields);
}

/** Whether a string of the candidate (its record included, down to where lexicon fields lie) holds a NUL character. */
function holdsNul(value: unknown, depth: number): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (typeof value !== "object" || value === null || depth >= FIELD_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsNul(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) if (holdsNul((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}
