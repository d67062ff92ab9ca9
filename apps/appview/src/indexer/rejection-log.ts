import type { Logger } from "../logger.ts";
import type { RejectReason, Rejection } from "../events/index.ts";

const WINDOW_MS = 60_000;

/**
 * Logs rejected events without letting whoever publishes them decide how much
 * is logged: per reason, the first `perMinute` of each minute in full, then
 * one line saying how many more there were. The counters in the indexer's
 * status stay exact; only the log is sampled.
 */
export function rejectionLog(
  logger: Logger,
  perMinute = 10,
  clock: () => number = Date.now,
): (rejection: Rejection) => void {
  const windows = new Map<RejectReason, { start: number; logged: number; suppressed: number }>();
  return (rejection) => {
    const { reason } = rejection;
    const now = clock();
    let window = windows.get(reason);
    if (!window || now - window.start >= WINDOW_MS) {
      if (window && window.suppressed > 0) {
        logger.warn(
          { reason, suppressed: window.suppressed, sinceMs: now - window.start },
          "more events rejected for this reason, not logged one by one",
        );
      }
      window = { start: now, logged: 0, suppressed: 0 };
      windows.set(reason, window);
    }
    if (window.logged >= perMinute) {
      window.suppressed++;
      return;
    }
    window.logged++;
    logger.warn(
      { reason, detail: rejection.detail, did: rejection.did, collection: rejection.collection, rkey: rejection.rkey },
      "event rejected",
    );
  };
}
