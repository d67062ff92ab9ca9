// Backfill as `atbb backfill` and `atbb serve` use it: decide, begin, run,
// and show progress (a bar on a terminal, log lines otherwise).
import type { DatabaseHandle } from "@atbb/db";
import type { Config } from "../config.ts";
import { identityFor } from "../identity.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import type { EventSource } from "../events/index.ts";
import { runBackfill, type BackfillProgress, type BackfillReport } from "./backfill.ts";
import { createPdsLocator } from "./pds.ts";
import { backfillReason, beginBackfill } from "./plan.ts";

export { backfillReason } from "./plan.ts";
export type { BackfillFailure, BackfillReport } from "./backfill.ts";

export interface BackfillRun {
  config: Config;
  database: DatabaseHandle;
  indexer: Indexer;
  source: EventSource;
  logger: Logger;
  /** Run even when the live stream covers everything. */
  force?: boolean;
  /** Where a progress bar may be drawn (a TTY), or null for log lines. */
  terminal?: NodeJS.WriteStream | null;
  /** Called once the forum account's own records are in (or nothing was needed). */
  onForumDone?: () => void;
  /** Stops the backfill between pages; what was not read stays pending. */
  signal?: AbortSignal;
}

function progressReporter(logger: Logger, terminal: NodeJS.WriteStream | null | undefined) {
  let lastLog = 0;
  return {
    update(progress: BackfillProgress) {
      const { phase, reposDone, reposTotal, records, errors } = progress;
      if (terminal) {
        const width = 30;
        const filled = Math.round((reposTotal === 0 ? 1 : reposDone / reposTotal) * width);
        terminal.write(
          `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${phase} ${reposDone}/${reposTotal} repos · ${records} records · ${errors} errors`,
        );
      } else if (Date.now() - lastLog > 5_000 || reposDone === reposTotal) {
        lastLog = Date.now();
        logger.info({ phase, reposDone, reposTotal, records, errors }, "backfill progress");
      }
    },
    done() {
      terminal?.write("\n");
    },
  };
}

/** Backfills when needed (or forced); returns the report, or null when nothing was needed. */
export async function backfillIfNeeded(run: BackfillRun): Promise<BackfillReport | null> {
  const { config, database, indexer, source, logger } = run;
  const forumDid = config.forumDid;
  if (!forumDid) throw new Error("FORUM_DID must be set to backfill: it names the forum whose records to fetch");
  const reason =
    (await backfillReason(database, source.name, config.backfill.maxAgeHours)) ?? (run.force ? "asked for" : null);
  if (reason === null) {
    run.onForumDone?.();
    return null;
  }
  // Taken before any repository is read: live indexing replays from here.
  const resumeFrom = await source.resumePoint();
  const mode = await beginBackfill(database, source.name, resumeFrom);
  logger.info({ reason, mode, resumeFrom, source: source.name }, "backfill starting");
  const reporter = progressReporter(logger, run.terminal);
  try {
    const report = await runBackfill({
      database,
      indexer,
      forumDid,
      logger,
      pds: createPdsLocator({
        identity: identityFor(config, logger),
        plcUrl: config.plcUrl,
        overrides: config.pdsUrl ? { [forumDid]: config.pdsUrl } : {},
      }),
      relayUrl: config.relayUrl,
      concurrency: config.backfill.concurrency,
      requestsPerSecond: config.backfill.requestsPerSecond,
      onProgress: (progress) => reporter.update(progress),
      ...(run.onForumDone ? { onForumDone: run.onForumDone } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    if (report.failures.length > 0) {
      logger.warn(
        { ...report, ms: Math.round(report.ms) },
        `backfill finished, but ${report.failures.length} repository or collection read(s) failed; they stay pending`,
      );
    } else logger.info({ ...report, ms: Math.round(report.ms) }, "backfill finished");
    return report;
  } finally {
    reporter.done();
  }
}

/** The longest wait between retries of a failed backfill. */
const MAX_RETRY_MS = 3_600_000;

/**
 * `atbb serve`'s backfill: the forum account's records before live indexing
 * (everything else refers to them), the members' beside it — a slow or
 * hostile member's PDS must not hold up the live stream — then, while some
 * repository or collection could not be read, again after a wait that starts
 * at BACKFILL_RETRY_SECONDS and doubles up to an hour. `forumDone` resolves
 * once live indexing may begin; `settled` when the backfill is complete or
 * `signal` aborts.
 *
 * Live indexing replays from the point taken before any repository was read,
 * so a record changed while its repository is read is applied again by the
 * live stream; only a change that lands between a page's answer and its
 * commit, and is indexed live in that window, can be overtaken by the page.
 */
export function backfillWithRetries(
  run: BackfillRun,
  signal: AbortSignal,
): { forumDone: Promise<void>; settled: Promise<void> } {
  let first = true;
  let forumDone: () => void = () => {};
  const forumRead = new Promise<void>((resolve) => (forumDone = resolve));
  const attempt = async (): Promise<boolean> => {
    try {
      // A retry runs even when nothing is left pending in the database (a relay that did not answer).
      const report = await backfillIfNeeded({
        ...run,
        ...(first ? {} : { force: true }),
        onForumDone: forumDone,
        signal,
      });
      first = false;
      return !signal.aborted && report !== null && report.failures.length > 0;
    } catch (error) {
      run.logger.error({ err: error }, "backfill failed; it will be retried");
      return !signal.aborted;
    } finally {
      // Live indexing starts even when the first attempt failed before the forum was read.
      forumDone();
    }
  };
  const settled = (async () => {
    if (!(await attempt())) return;
    for (
      let delay = run.config.backfill.retrySeconds * 1000;
      !signal.aborted;
      delay = Math.min(delay * 2, MAX_RETRY_MS)
    ) {
      run.logger.info({ inSeconds: Math.round(delay / 1000) }, "backfill incomplete; retrying later");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (signal.aborted || !(await attempt())) return;
    }
  })();
  return { forumDone: forumRead, settled };
}
