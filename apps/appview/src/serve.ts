// `atbb serve`: the API, and (unless told otherwise) the indexer, with a clean
// shutdown on SIGTERM/SIGINT.
import { serve as listen, type ServerType } from "@hono/node-server";
import { createDb, migrationStatus, redactUrl, type DatabaseHandle } from "@atbb/db";
import { createApp } from "./api/app.ts";
import type { Config } from "./config.ts";
import type { HandleKeeper } from "./handles.ts";
import type { Indexer } from "./indexer/indexer.ts";
import { electLeader, type Leadership } from "./leader.ts";
import type { Logger } from "./logger.ts";
import { migrationsFolder } from "./migrations.ts";
import type { EventSource } from "./source/index.ts";

const SHUTDOWN_BOUND_MS = 10_000;
const FILE_CHECK_MS = 2_000;

export class NotMigratedError extends Error {}

/** Throws NotMigratedError unless the database is exactly at this build's head. */
export async function refuseUnmigrated(config: Config): Promise<void> {
  const folder = migrationsFolder(config.dialect);
  const status = await migrationStatus(config.databaseUrl, folder);
  if (status.pending.length > 0) {
    throw new NotMigratedError(
      `The database ${redactUrl(config.databaseUrl)} has ${status.pending.length} pending migration(s) ` +
        `(${status.pending.join(", ")}). Run \`atbb migrate\` first.`,
    );
  }
  if (status.unknown.length > 0) {
    throw new NotMigratedError("The database has migrations this atbb does not know: it was migrated by a newer version.");
  }
}

interface IndexingParts {
  source: EventSource;
  indexer: Indexer;
  handles: HandleKeeper;
}

/**
 * What a process that indexes runs beside the API. Loaded only by such a
 * process: a serving-only one (--no-indexer, or no FORUM_DID) needs neither
 * the live source, nor the indexer with the lexicon validators, nor identity
 * resolution, which together take ~0.5 s and ~50 MB to load.
 */
async function loadIndexing(config: Config, forumDid: string, database: DatabaseHandle, logger: Logger): Promise<IndexingParts> {
  const [{ createSource }, { createIndexer }, { createHandleKeeper }, { identityFor }] = await Promise.all([
    import("./source/index.ts"),
    import("./indexer/indexer.ts"),
    import("./handles.ts"),
    import("./identity.ts"),
  ]);
  const source = await createSource(config, logger);
  const indexer = createIndexer({ database, forumDid, service: source.name, logger: logger.child({ part: "indexer" }) });
  // Handles are verified beside the indexer, by whichever process writes.
  const handles = createHandleKeeper({ database, identity: identityFor(config, logger), logger: logger.child({ part: "handles" }), recheckMs: config.handles.recheckHours * 3_600_000 });
  return { source, indexer, handles };
}

/** Serves until SIGTERM/SIGINT (resolves 0), or until a part cannot go on (resolves 1: the supervisor should restart it). */
export async function serve(config: Config, logger: Logger, options: { indexer: boolean }): Promise<number> {
  await refuseUnmigrated(config);
  const folder = migrationsFolder(config.dialect);

  const database = await createDb(config.databaseUrl);
  const forumDid = options.indexer ? config.forumDid : null;
  if (options.indexer && !forumDid) logger.warn("FORUM_DID is not set: serving the API without indexing");
  const parts = forumDid ? await loadIndexing(config, forumDid, database, logger) : null;
  const indexer = parts?.indexer ?? null;
  const handles = parts?.handles ?? null;

  const app = createApp({
    database,
    logger,
    migrationsFolder: folder,
    forumDid: config.forumDid,
    corsOrigins: config.corsOrigins,
    ...(indexer ? { indexer } : {}),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = listen({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
      logger.info({ host: config.host, port: info.port, database: redactUrl(config.databaseUrl), indexing: indexer !== null }, "atbb serving");
      resolve(s);
    });
  });

  let stopping = false;
  let exitCode = 0;
  /** Set once the signal handlers are: how a part that cannot go on stops the whole process. */
  let requestShutdown: (reason: string) => void = () => {};
  // A SQLite file deleted or replaced under a running server would go on taking
  // writes nobody will read: stop loudly instead, so the operator finds out now.
  const fileWatch = setInterval(() => {
    const problem = database.fileProblem();
    if (problem === null) return;
    clearInterval(fileWatch);
    logger.fatal({ problem }, "the database file is not the one this server opened; shutting down");
    exitCode = 1;
    requestShutdown("database file lost");
  }, FILE_CHECK_MS);
  fileWatch.unref();

  let leadership: Leadership | null = null;
  let indexing: Promise<void> | null = null;
  if (parts && indexer) {
    const { source } = parts;
    const startIndexing = () => {
      handles?.start();
      indexing = (async () => {
        if (config.backfill.auto) {
          const { backfillIfNeeded } = await import("./backfill/index.ts");
          await backfillIfNeeded({ config, database, indexer, source, logger: logger.child({ part: "backfill" }) });
        }
        if (!stopping) await indexer.run(source);
      })().catch((error: unknown) => {
        // An indexer that cannot go on must not leave a process that looks alive: exit non-zero, so the supervisor restarts it.
        logger.fatal({ err: error }, "indexer stopped on an error; shutting down");
        exitCode = 1;
        requestShutdown("indexer failed");
      });
    };
    if (config.dialect === "postgresql") {
      leadership = electLeader(config.databaseUrl, logger);
      leadership.acquired.then(startIndexing, () => {});
      void leadership.lost.then(() => Promise.all([indexer.stop(), handles?.stop()]));
    } else {
      startIndexing();
    }
  }

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      if (stopping) return;
      logger.info({ signal }, "shutting down");
      stopping = true;
      const force = setTimeout(() => {
        logger.error("shutdown took too long; exiting");
        process.exit(1);
      }, SHUTDOWN_BOUND_MS);
      force.unref();
      void (async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        // Idle keep-alive sockets would hold close() open until they time out.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        await closed;
        clearInterval(fileWatch);
        // The batch in progress commits with its cursor, or rolls back; nothing partial.
        await Promise.all([indexer?.stop(), handles?.stop()]);
        await indexing;
        await leadership?.release();
        await database.close();
        logger.info({ cursor: indexer?.status().cursor ?? null }, "stopped cleanly");
        resolve();
      })();
    };
    requestShutdown = shutdown;
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
  return exitCode;
}
