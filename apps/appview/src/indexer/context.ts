import type { Database, Dialect, Schema } from "@atbb/db";
import type { Collection, RecordTypes } from "@atbb/lexicon";
import type { DeleteOp } from "../events/index.ts";
import type { Notices } from "./notices.ts";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** What a collection module may use while applying one batch. */
export interface ApplyContext {
  tx: Transaction;
  schema: Schema;
  dialect: Dialect;
  forumDid: string;
  /** One clock reading per batch: every row the batch writes says the same indexed_at. */
  now: Date;
  /** Topics whose reply_count / last_reply_at must be recomputed before the batch commits. */
  dirtyTopics: Set<number>;
  /** Boards whose topic_count must be recomputed before the batch commits. */
  dirtyBoards: Set<number>;
  /**
   * Records that cause notifications, written or deleted in this batch
   * (notifications.ts); null when the forum derives none (NOTIFICATIONS=off),
   * and then nothing about them is worked out at all.
   */
  notices: Notices | null;
}

export interface RecordWrite<C extends Collection> {
  /** The event's time: an edit is dated by the network, not by when we indexed it. */
  timeUs: number;
  operation: "create" | "update";
  did: string;
  rkey: string;
  cid: string;
  /** The commit's repository revision (versions.ts keeps an older one from replacing a newer). */
  rev: string | null;
  record: RecordTypes[C];
}

/** One module per collection, all of this shape, registered in collections/index.ts. */
export interface CollectionIndexer<C extends Collection> {
  collection: C;
  upsert(ctx: ApplyContext, write: RecordWrite<C>): Promise<void>;
  /**
   * Optional: the same as `upsert` for a run of writes with distinct keys, in
   * a few statements instead of a few per record (hot collections only).
   */
  upsertMany?(ctx: ApplyContext, writes: RecordWrite<C>[]): Promise<void>;
  remove(ctx: ApplyContext, op: DeleteOp): Promise<void>;
}
