// AT Protocol identifier syntax, from the maintained @atproto/syntax, plus the
// few shapes the indexer needs that it does not offer as plain predicates.
import { isValidDid, isValidNsid, isValidRecordKey, isValidTid } from "@atproto/syntax";
import { recordKeyType, type Collection } from "./collections.ts";

export const isDid = (value: unknown): value is string => typeof value === "string" && isValidDid(value);
/** did:plc: 24 characters of base32. */
const PLC_DID = /^did:plc:[a-z2-7]{24}$/;
/** did:web: a host name (RFC 1123 labels), with a port only %3A-encoded (as development networks use); no path. */
const WEB_DID =
  /^did:web:(?=.{1,253}(?:%3A|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?:%3A[0-9]{1,5})?$/i;
/**
 * A DID of a method atproto accounts use: did:plc at its exact length and
 * alphabet, or did:web of a host. isDid accepts any method and length.
 */
export const isAccountDid = (value: unknown): boolean =>
  typeof value === "string" && (PLC_DID.test(value) || WEB_DID.test(value));
export const isNsid = (value: unknown): value is string => typeof value === "string" && isValidNsid(value);
export const isRecordKey = (value: unknown): value is string => typeof value === "string" && isValidRecordKey(value);
export const isTid = (value: unknown): value is string => typeof value === "string" && isValidTid(value);

// CIDv1 in base32 (what PDSes emit) or a legacy base58 CIDv0.
const CID = /^(b[a-z2-7]{50,120}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/;
export const isCid = (value: unknown): value is string => typeof value === "string" && CID.test(value);

export function isValidRecordKeyFor(collection: Collection, rkey: string): boolean {
  switch (recordKeyType[collection]) {
    case "literal:self":
      return rkey === "self";
    case "did":
      // A DID is a valid record key as it stands: its colons are allowed there.
      return isDid(rkey) && isRecordKey(rkey);
    case "tid":
      return isTid(rkey);
  }
}

export interface RecordUri {
  did: string;
  collection: string;
  rkey: string;
}

/** Parses `at://<did>/<collection>/<rkey>`, the only at-uri form records point at. */
export function parseRecordUri(uri: unknown): RecordUri | null {
  if (typeof uri !== "string" || uri.length > 8192 || !uri.startsWith("at://")) return null;
  const parts = uri.slice("at://".length).split("/");
  if (parts.length !== 3) return null;
  const [did, collection, rkey] = parts as [string, string, string];
  return isDid(did) && isNsid(collection) && isRecordKey(rkey) ? { did, collection, rkey } : null;
}

export const isAtUri = (value: unknown): value is string => parseRecordUri(value) !== null;

export function recordUri(did: string, collection: string, rkey: string): string {
  return `at://${did}/${collection}/${rkey}`;
}
