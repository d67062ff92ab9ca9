// AT Protocol identifier syntax, from the maintained @atproto/syntax, plus the
// few shapes the indexer needs that it does not offer as plain predicates.
import { isValidDid, isValidNsid, isValidRecordKey, isValidTid } from "@atproto/syntax";
import { recordKeyType, type Collection } from "./collections.ts";

export const isDid = (value: unknown): value is string => typeof value === "string" && isValidDid(value);
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
