// What a process that indexes runs: the live source, the indexer, the handle
// checker, backfill and (on PostgreSQL) the election of the one process that
// indexes. It runs in a thread of its own (thread.ts) beside the API, or in
// the API's thread when the database is in memory (which only the connection
// that opened it can see).
import type { DatabaseHandle } from "@atbb/db";
import type { Config } from "../config.ts";
import type { Candidate, Verdict } from "../events/index.ts";
import type { Indexer, IndexerOptions, IndexerStatus } from "../indexer/indexer.ts";
import { electLeader, type Leadership } from "../leader.ts";
import type { Logger } from "../logger.ts";

export interface RunningIndexing {
  indexer: Indexer;
  /** Resolves with the error once indexing cannot go on; never resolves otherwise. */
  failure: Promise<unknown>;
  /** Stops reading: the batch in progress commits with its cursor, or rolls back; nothing partial. */
  stop(): Promise<void>;
}

/**
 * Starts indexing on `database`. Loaded only by a process that indexes: a
 * serving-only one (--no-indexer, or no FORUM_DID) needs neither the live
 * source, nor the indexer with the lexicon validators, nor identity
 * resolution, which together take ~0.5 s and ~50 MB to load.
 */
export async function startIndexing(
  config: Config,
  forumDid: string,
  database: DatabaseHandle,
  logger: Logger,
  hooks: Pick<IndexerOptions, "betweenBatches"> = {},
): Promise<RunningIndexing> {
  const [{ createSource }, { createIndexer }, { createHandleKeeper }, { identityFor }] = await Promise.all([
    import("../source/index.ts"),
    import("../indexer/indexer.ts"),
    import("../handles.ts"),
    import("../identity.ts"),
  ]);
  const source = await createSource(config, logger);
  const indexer = createIndexer({
    database,
    forumDid,
    service: source.name,
    logger: logger.child({ part: "indexer" }),
    notifications: config.notifications,
    ...hooks,
  });
  // Handles are verified beside the indexer, by whichever process writes.
  const handles = createHandleKeeper({
    database,
    identity: identityFor(config, logger),
    logger: logger.child({ part: "handles" }),
    recheckMs: config.handles.recheckHours * 3_600_000,
  });

  let stopping = false;
  let indexing: Promise<void> | null = null;
  let leadership: Leadership | null = null;
  const stopBackfill = new AbortController();
  let backfillRetries: Promise<void> = Promise.resolve();
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<unknown>((resolve) => (fail = resolve));

  const run = () => {
    handles.start();
    indexing = (async () => {
      if (config.backfill.auto) {
        const { backfillWithRetries } = await import("../backfill/index.ts");
        // The forum's own records first; the members' are read beside the live stream.
        const backfill = backfillWithRetries(
          { config, database, indexer, source, logger: logger.child({ part: "backfill" }) },
          stopBackfill.signal,
        );
        backfillRetries = backfill.settled;
        await backfill.forumDone;
      }
      if (!stopping) await indexer.run(source);
    })().catch(fail);
  };
  if (config.dialect === "postgresql") {
    leadership = electLeader(config.databaseUrl, logger);
    leadership.acquired.then(run, () => {});
    void leadership.lost.then(() => Promise.all([indexer.stop(), handles.stop()]));
  } else {
    run();
  }

  return {
    indexer,
    failure,
    async stop() {
      stopping = true;
      stopBackfill.abort();
      await Promise.all([indexer.stop(), handles.stop()]);
      await indexing;
      await backfillRetries;
      await leadership?.release();
    },
  };
}

/** Indexing as the API's thread sees it, wherever it runs. */
export interface Indexing {
  /** The latest status (from the indexing thread, as of its last report). */
  status(): IndexerStatus;
  /** A write this process made to a PDS, applied now (Indexer.applyLocal). */
  applyLocal(candidate: Candidate): Promise<Verdict>;
  /** Resolves with the error once indexing cannot go on; never resolves otherwise. */
  failure: Promise<unknown>;
  /** Stops cleanly; resolves with the committed cursor. */
  stop(): Promise<number | null>;
}

/** Indexing that runs in this very thread. */
export function indexingHere(running: RunningIndexing): Indexing {
  const { indexer } = running;
  return {
    status: () => indexer.status(),
    applyLocal: (candidate) => indexer.applyLocal(candidate),
    failure: running.failure,
    async stop() {
      await running.stop();
      return indexer.status().cursor;
    },
  };
}
