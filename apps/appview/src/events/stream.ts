// What a live source gives the indexer: validated events in order, each with
// the cursor that resumes after it. Sources (src/source/) implement this; the
// indexer reads it and knows nothing else about them.
import type { Verdict } from "./validate.ts";

/** One event off the wire, decoded and validated, with the cursor that resumes after it. */
export interface SourceEvent {
  /** Jetstream's time_us, the firehose's seq; null when the event carried none (and for backfill, which never moves it). */
  cursor: number | null;
  verdict: Verdict;
}

/**
 * Where events come from. A source yields events in order and resumes, after
 * any disconnect, from whatever `resumeCursor()` says at that moment — the
 * indexer's last committed cursor — so nothing is skipped and replays are the
 * indexer's (harmless) business.
 */
export interface EventSource {
  /** A name for logs and the cursor row (`firehose_cursor.service`): cursors of different sources do not compare. */
  readonly name: string;
  /** Events until `stop()`; reconnects by itself. `forumDid` decides who may write forum-owned records. */
  events(resumeCursor: () => number | null, forumDid: string): AsyncIterable<SourceEvent>;
  readonly connected: boolean;
  /** A cursor from which the stream replays everything that happens from now on (taken before a backfill). */
  resumePoint(): Promise<number | null>;
  stop(): Promise<void>;
}
