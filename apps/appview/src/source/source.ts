/**
 * Where events come from. A source yields raw messages in order and resumes,
 * after any disconnect, from whatever `resumeCursor()` says at that moment —
 * the indexer's last committed cursor — so nothing is skipped and replays are
 * the indexer's (harmless) business.
 */
export interface EventSource {
  /** A name for logs and the cursor row (`firehose_cursor.service`). */
  readonly name: string;
  /** Messages until `stop()`; reconnects by itself. */
  messages(resumeCursor: () => number | null): AsyncIterable<string>;
  readonly connected: boolean;
  stop(): Promise<void>;
}
