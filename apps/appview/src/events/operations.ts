// What the indexer applies: operations on the forum's rows, each one already
// validated (validate.ts is the only place that makes them), so the indexer
// trusts every field and knows nothing of the wire they came from.
import type { Collection, RecordTypes } from "@atbb/lexicon";

declare const validated: unique symbol;
/** A type-only mark (nothing at run time): an operation that did not come out of validate() does not type-check as one. */
type Validated<T> = T & { readonly [validated]: true };

type RecordFields = {
  [C in Collection]: {
    kind: "record";
    /** The network's time of the write (µs): an update dates the edit by it. */
    timeUs: number;
    did: string;
    collection: C;
    rkey: string;
    operation: "create" | "update";
    cid: string;
    /** The commit's repository revision (a TID): a version older than the one a row holds is not applied. Null: unknown. */
    rev: string | null;
    record: RecordTypes[C];
  };
}[Collection];

interface DeleteFields {
  kind: "delete";
  timeUs: number;
  did: string;
  collection: Collection;
  rkey: string;
  rev: string | null;
}

/** The DID's identity changed: its handle is verified afresh (the event's own claim is not trusted). */
interface IdentityFields {
  kind: "identity";
  timeUs: number;
  did: string;
}

interface AccountFields {
  kind: "account";
  timeUs: number;
  did: string;
  /** "active", or why not: deactivated, takendown, deleted, suspended… */
  status: string;
}

/** A record written (created, or updated in place) in `did`'s repository. */
export type RecordOp = Validated<RecordFields>;
export type DeleteOp = Validated<DeleteFields>;
export type IdentityOp = Validated<IdentityFields>;
export type AccountOp = Validated<AccountFields>;
export type IndexOp = RecordOp | DeleteOp | IdentityOp | AccountOp;

/** An operation's fields before validate() marks them (validate.ts only). */
export type OpFields = RecordFields | DeleteFields | IdentityFields | AccountFields;
