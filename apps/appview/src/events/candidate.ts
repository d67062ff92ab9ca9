// An event as a source decoded it from its own wire (Jetstream's JSON text,
// an @atproto/sync event, a listRecords item, a record the AppView has just
// written), before anything in it is trusted. Every slot the network fills
// is `unknown`: validate() decides what it is.

/** A record created, updated or deleted in the repository of `did`. */
export interface CommitCandidate {
  kind: "commit";
  /** The event's time in µs (from the wire's clock, or now): a positive integer, or the event is rejected. */
  timeUs: number;
  /** The repository the event is from: the author, whatever the record says. */
  did: unknown;
  collection: unknown;
  rkey: unknown;
  /** "create", "update" or "delete". */
  operation: unknown;
  /**
   * The repository revision (a TID) of the commit that made the change: what
   * orders two versions of one record. Absent when the source cannot say.
   */
  rev?: unknown;
  /** Create and update only. */
  cid?: unknown;
  /** Create and update only, in the JSON data model (lexToJson for CBOR). */
  record?: unknown;
}

export interface IdentityCandidate {
  kind: "identity";
  timeUs: number;
  did: unknown;
}

export interface AccountCandidate {
  kind: "account";
  timeUs: number;
  did: unknown;
  active: unknown;
  /** Why the account is not active, when it is not. */
  status?: unknown;
}

export type Candidate = CommitCandidate | IdentityCandidate | AccountCandidate;
