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
export type { BackfillReport } from "./backfill.ts";

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
}

function progressReporter(logger: Logger, terminal: NodeJS.WriteStream | null | undefined) {
  let lastLog = 0;
  return {
    update(progress: BackfillProgress) {
      const { phase, reposDone, reposTotal, records, errors } = progress;
      if (terminal) {
        const width = 30;
        const filled = Math.round((reposTotal === 0 ? 1 : reposDone / reposTotal) * width);
        terminal.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${phase} ${reposDone}/${reposTotal} repos · ${records} records · ${errors} errors`);
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
  const reason = (await backfillReason(database, source.name, config.backfill.maxAgeHours)) ?? (run.force ? "asked for" : null);
  if (reason === null) return null;
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
      pds: createPdsLocator({ identity: identityFor(config, logger), overrides: config.pdsUrl ? { [forumDid]: config.pdsUrl } : {} }),
      relayUrl: config.relayUrl,
      concurrency: config.backfill.concurrency,
      requestsPerSecond: config.backfill.requestsPerSecond,
      onProgress: (progress) => reporter.update(progress),
    });
    logger.info({ ...report, ms: Math.round(report.ms) }, "backfill finished");
    return report;
  } finally {
    reporter.done();
  }
}
