// Jetstream v1 messages → indexing operations, or a rejection with its reason.
// Everything from the wire is untrusted: shape, identifiers, record, authority.
import {
  forumOwnedCollections,
  isCid,
  isCollection,
  isDid,
  isValidRecordKeyFor,
  validateRecord,
  type Collection,
  type RecordTypes,
} from "@atbb/lexicon";
import { collectionIndexers } from "./collections/index.ts";

export type RecordOp = {
  [C in Collection]: {
    kind: "record";
    timeUs: number;
    did: string;
    collection: C;
    rkey: string;
    operation: "create" | "update";
    cid: string;
    record: RecordTypes[C];
  };
}[Collection];

export interface DeleteOp {
  kind: "delete";
  timeUs: number;
  did: string;
  collection: Collection;
  rkey: string;
}

/** The DID's identity changed: its handle is verified afresh (the event's own claim is not trusted). */
export interface IdentityOp {
  kind: "identity";
  timeUs: number;
  did: string;
}

export interface AccountOp {
  kind: "account";
  timeUs: number;
  did: string;
  /** "active", or why not: deactivated, takendown, deleted, suspended… */
  status: string;
}

export type IndexOp = RecordOp | DeleteOp | IdentityOp | AccountOp;

export const REJECT_REASONS = [
  "invalid_json",
  "invalid_envelope",
  "unknown_kind",
  "unknown_collection",
  "invalid_operation",
  "invalid_rkey",
  "invalid_cid",
  "invalid_record",
  "not_forum_owner",
  "bad_reference",
  "database_error",
  "unverified_commit",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  detail: string;
  /** The event's time_us when it could be read: a rejected event still moves the cursor. */
  timeUs: number | null;
  did?: string;
  collection?: string;
  rkey?: string;
}

export type ParseResult = { ok: true; op: IndexOp } | { ok: false; rejection: Rejection };

/** No atBB event comes near this; Jetstream is asked not to send more (maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 1_000_000;
/** Clock skew tolerated between Jetstream and this machine. */
export const FUTURE_ALLOWANCE_MS = 5 * 60_000;
const ACCOUNT_STATUS = /^[a-z][a-z0-9-]{0,63}$/;

const reject = (reason: RejectReason, detail: string, rest: Omit<Rejection, "reason" | "detail"> = { timeUs: null }): ParseResult => ({
  ok: false,
  rejection: { reason, detail, ...rest },
});

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export function parseJetstreamMessage(message: string, forumDid: string): ParseResult {
  if (message.length > MAX_MESSAGE_BYTES) return reject("invalid_json", "message larger than 1 MB");
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return reject("invalid_json", "not JSON");
  }
  if (!isObject(event)) return reject("invalid_envelope", "event is not an object");
  const { did, time_us: timeUs, kind } = event;
  if (typeof timeUs !== "number" || !Number.isSafeInteger(timeUs) || timeUs <= 0) {
    return reject("invalid_envelope", "time_us is not a positive integer");
  }
  // The cursor is the largest time_us committed: one from the future would pin
  // it there, hide all lag, and make the next start subscribe from the future.
  if (timeUs > (Date.now() + FUTURE_ALLOWANCE_MS) * 1000) return reject("invalid_envelope", "time_us is in the future");
  if (!isDid(did)) return reject("invalid_envelope", "did is not a DID", { timeUs });
  // PostgreSQL text cannot hold NUL; no legitimate forum text needs it.
  if (message.includes("\\u0000")) return reject("invalid_record", "contains a NUL character", { timeUs, did });

  if (kind === "identity") {
    const identity = event.identity;
    if (!isObject(identity)) return reject("invalid_envelope", "identity event without identity", { timeUs, did });
    return { ok: true, op: { kind: "identity", timeUs, did } };
  }
  if (kind === "account") {
    const account = event.account;
    if (!isObject(account) || typeof account.active !== "boolean") {
      return reject("invalid_envelope", "account event without account.active", { timeUs, did });
    }
    const status = account.active ? "active" : typeof account.status === "string" && ACCOUNT_STATUS.test(account.status) ? account.status : "deactivated";
    return { ok: true, op: { kind: "account", timeUs, did, status } };
  }
  if (kind !== "commit") return reject("unknown_kind", `kind ${JSON.stringify(String(kind)).slice(0, 40)}`, { timeUs, did });

  const commit = event.commit;
  if (!isObject(commit)) return reject("invalid_envelope", "commit event without commit", { timeUs, did });
  const { collection, rkey, operation } = commit;
  if (typeof collection !== "string" || !isCollection(collection)) {
    return reject("unknown_collection", `collection ${JSON.stringify(String(collection)).slice(0, 80)}`, { timeUs, did });
  }
  const where = { timeUs, did, collection };
  if (typeof rkey !== "string" || !isValidRecordKeyFor(collection, rkey)) {
    return reject("invalid_rkey", `record key ${JSON.stringify(String(rkey)).slice(0, 40)} is not valid for ${collection}`, where);
  }
  const at = { ...where, rkey };
  if (forumOwnedCollections.has(collection) && did !== forumDid) {
    return reject("not_forum_owner", `${collection} is accepted only from the forum account`, at);
  }
  if (operation === "delete") return { ok: true, op: { kind: "delete", timeUs, did, collection, rkey } };
  if (operation !== "create" && operation !== "update") {
    return reject("invalid_operation", `operation ${JSON.stringify(String(operation)).slice(0, 20)}`, at);
  }
  if (!isCid(commit.cid)) return reject("invalid_cid", "commit.cid is not a CID", at);
  const validation = validateRecord(collection, commit.record);
  if (!validation.ok) return reject("invalid_record", validation.reason, at);
  const problem = collectionIndexers[collection].check(validation.record as never, { did, forumDid });
  if (problem !== null) return reject("bad_reference", problem, at);
  return {
    ok: true,
    op: { kind: "record", timeUs, did, collection, rkey, operation, cid: commit.cid, record: validation.record } as RecordOp,
  };
}
