// What the API's thread and the indexing thread say to each other.
import type { Config } from "../config.ts";
import type { Candidate, Verdict } from "../events/index.ts";
import type { IndexerStatus } from "../indexer/status.ts";
import type { MessagePort } from "node:worker_threads";

export interface IndexingThreadData {
  config: Config;
  forumDid: string;
  /** Pretty logs: the thread's own stdout is never a terminal. */
  prettyLogs: boolean;
  /** Local writes come on a port of their own, so that the thread can take them between batches. */
  localWrites: MessagePort;
}

/** On `localWrites`. */
export interface LocalWrite {
  id: number;
  candidate: Candidate;
}

/** To the indexing thread, on its parent port. */
export type ToIndexing = { kind: "stop" };

/** From the indexing thread. */
export type FromIndexing =
  | { kind: "status"; status: IndexerStatus }
  | { kind: "applied"; id: number; verdict: Verdict }
  | { kind: "apply-failed"; id: number; error: string }
  | { kind: "failed"; error: string }
  | { kind: "stopped"; cursor: number | null };
