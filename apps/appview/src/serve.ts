// `atbb serve`: the API, the forum's pages (unless WEB=off), and (unless told otherwise) the indexer, with a clean
// shutdown on SIGTERM/SIGINT.
import { serve as listen, type ServerType } from "@hono/node-server";
import {
  appliedMigrations,
  createDb,
  databaseLocation,
  isInMemory,
  migrate,
  migrateDatabase,
  readMigrations,
  redactUrl,
  statusOf,
  type DatabaseHandle,
} from "@atbb/db";
import { createApp } from "./api/app.ts";
import { AnswerStore } from "./api/response-cache.ts";
import { startForumAgent } from "./forum-agent/account.ts";
import type { Config } from "./config.ts";
import type { Indexer } from "./indexer/indexer.ts";
import type { Indexing } from "./indexing/run.ts";
import type { Logger } from "./logger.ts";
import type { MemberAccess } from "./login/access.ts";
import { migrationsFolder } from "./migrations.ts";

const SHUTDOWN_BOUND_MS = 10_000;
const FILE_CHECK_MS = 2_000;

export class NotMigratedError extends Error {}

/** A failure to listen on HOST:PORT, said as what to change. */
export class ListenError extends Error {}

/** Throws NotMigratedError unless the open database is exactly at this build's head. */
export async function refuseUnmigrated(database: DatabaseHandle, folder: string): Promise<void> {
  const status = statusOf(readMigrations(folder), await appliedMigrations(database));
  if (status.pending.length > 0) {
    const memory = isInMemory(database.url)
      ? " An in-memory database starts empty in every process: use `atbb serve --migrate`, which migrates it and serves it in one."
      : "";
    throw new NotMigratedError(
      `The database ${redactUrl(database.url)} has ${status.pending.length} pending migration(s) ` +
        `(${status.pending.join(", ")}). Run \`atbb migrate\` first, or serve with \`atbb serve --migrate\`.${memory}`,
    );
  }
  if (status.unknown.length > 0) {
    throw new NotMigratedError(
      "The database has migrations this atbb does not know: it was migrated by a newer version. Run that version, or a newer one.",
    );
  }
}

/**
 * Opens the database to serve from, migrating it first with `--migrate`. Never
 * creates a SQLite file otherwise: a mistyped path must not become a new forum.
 */
async function openServedDatabase(
  config: Config,
  logger: Logger,
  folder: string,
  migrating: boolean,
): Promise<DatabaseHandle> {
  const options = {
    migrationsFolder: folder,
    onCreate: (path: string, createdDirectory: string | null) =>
      logger.info({ path, createdDirectory }, "creating a new SQLite database"),
    onApplied: ({ tag, ms }: { tag: string; ms: number }) =>
      logger.info({ migration: tag, ms: Math.round(ms) }, "migration applied"),
  };
  // An in-memory database exists only on the connection that opened it: it is migrated through the handle.
  if (migrating && !isInMemory(config.databaseUrl)) await migrate(config.databaseUrl, options);
  const database = await createDb(config.databaseUrl, { create: false });
  try {
    if (migrating && isInMemory(config.databaseUrl)) await migrateDatabase(database, options);
    await refuseUnmigrated(database, folder);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

function explainListenError(config: Config, error: NodeJS.ErrnoException): string {
  const where = `${config.host}:${config.port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `Cannot listen on ${where}: the port is already in use (another atbb, or another server, listens there). Stop it, or set PORT to a free port.`;
    case "EADDRNOTAVAIL":
      return `Cannot listen on HOST=${config.host}: it is not an address of this machine. Set HOST to one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return `Cannot listen on HOST=${config.host}: it is neither an IP address nor a host name that resolves. Set HOST to an address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`;
    case "EACCES":
      return `Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above, or grant atbb CAP_NET_BIND_SERVICE.`;
    default:
      return `Cannot listen on ${where}: ${error.message}`;
  }
}

/** Listens for the API; a failure (port in use, bad HOST) rejects with a ListenError instead of crashing the process. */
function listenForApi(
  fetch: (request: Request) => Response | Promise<Response>,
  config: Config,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = listen({ fetch, hostname: config.host, port: config.port }, (info) => {
      server.off("error", failed);
      resolve({ server, port: info.port });
    });
    function failed(error: NodeJS.ErrnoException) {
      server.close();
      reject(new ListenError(explainListenError(config, error)));
    }
    server.once("error", failed);
  });
}

/**
 * Starts indexing: in a thread of its own, with its own connection, so that
 * the database's synchronous work never stalls the API (docs/indexer.md); in
 * this thread only for an in-memory database, which no other connection sees.
 */
async function startIndexingFor(
  config: Config,
  forumDid: string,
  database: DatabaseHandle,
  logger: Logger,
): Promise<Indexing> {
  if (isInMemory(config.databaseUrl)) {
    const { startIndexing, indexingHere } = await import("./indexing/run.ts");
    return indexingHere(await startIndexing(config, forumDid, database, logger));
  }
  const { startIndexingThread } = await import("./indexing/thread.ts");
  return startIndexingThread(config, forumDid, logger);
}

/**
 * The indexer's local-apply entry for what this process writes (members'
 * posts, the forum account's records): the live indexer when this process
 * indexes, else an indexer that never runs a source and applies each write in
 * a transaction of its own.
 */
async function localApplier(
  config: Config,
  forumDid: string,
  database: DatabaseHandle,
  indexing: Indexing | null,
  logger: Logger,
): Promise<Pick<Indexer, "applyLocal">> {
  if (indexing) return indexing;
  const { createIndexer } = await import("./indexer/indexer.ts");
  return createIndexer({
    database,
    forumDid,
    logger: logger.child({ part: "indexer" }),
    notifications: config.notifications,
  });
}

/** Members' login and writing. */
async function loadMemberAccess(
  config: Config,
  forumDid: string,
  database: DatabaseHandle,
  local: Pick<Indexer, "applyLocal">,
  logger: Logger,
): Promise<MemberAccess> {
  const { createMemberAccess } = await import("./login/access.ts");
  return createMemberAccess(config, forumDid, database, local, logger.child({ part: "login" }));
}

/** Serves until SIGTERM/SIGINT (resolves 0), or until a part cannot go on (resolves 1: the supervisor should restart it). */
export async function serve(
  config: Config,
  logger: Logger,
  options: { indexer: boolean; migrate?: boolean },
): Promise<number> {
  const folder = migrationsFolder(config.dialect);
  const database = await openServedDatabase(config, logger, folder, options.migrate ?? false);
  let stopped: { cursor: number | null; exitCode: number };
  try {
    stopped = await serveUntilStopped(database, config, logger, folder, options);
  } finally {
    await database.close();
  }
  if (stopped.exitCode === 0) logger.info({ cursor: stopped.cursor }, "stopped cleanly");
  else logger.error({ cursor: stopped.cursor }, "stopped: a part could not go on");
  return stopped.exitCode;
}

/**
 * Serves (and indexes) until SIGTERM or SIGINT, or until a part cannot go on;
 * returns the cursor the indexer stopped at and the exit code that says which.
 */
async function serveUntilStopped(
  database: DatabaseHandle,
  config: Config,
  logger: Logger,
  folder: string,
  options: { indexer: boolean },
): Promise<{ cursor: number | null; exitCode: number }> {
  const forumDid = options.indexer ? config.forumDid : null;
  if (options.indexer && !forumDid) logger.warn("FORUM_DID is not set: serving the API without indexing");
  const indexing = forumDid ? await startIndexingFor(config, forumDid, database, logger) : null;

  // The forum account logs in beside the API, so /api/health can say whether the forum can write.
  const forumAgent = await startForumAgent(config, logger);
  const local = config.forumDid ? await localApplier(config, config.forumDid, database, indexing, logger) : null;
  const members =
    config.forumDid && local ? await loadMemberAccess(config, config.forumDid, database, local, logger) : null;
  if (!config.forumDid) logger.warn("FORUM_DID is not set: members cannot log in");
  // Moderators and administrators act through the forum account; each request takes the session as it is then.
  const forumSession = forumAgent.session;
  const forumWriter =
    forumSession && local
      ? async () => (await import("./forum-agent/writer.ts")).createForumWriter(forumSession, local)
      : null;

  // The pages load only when served: WEB=off leaves JSX, Markdown and HTMX unloaded.
  const pages = config.web
    ? (await import("./pages.ts")).forumPages({
        database,
        forumDid: config.forumDid,
        members,
        forumWriter,
        logger,
        notifications: config.notifications,
      })
    : undefined;
  const app = createApp({
    database,
    logger,
    migrationsFolder: folder,
    forumDid: config.forumDid,
    corsOrigins: config.corsOrigins,
    forumAgent,
    forumWriter,
    members,
    pages,
    answers: config.responseCache ? new AnswerStore(config.responseCache.maxBytes) : null,
    notifications: config.notifications,
    ...(indexing ? { indexer: indexing } : {}),
  });
  const { server, port } = await listenForApi(app.fetch, config);
  logger.info(
    {
      host: config.host,
      port,
      database: databaseLocation(config.databaseUrl),
      indexing: indexing !== null,
      pages: config.web,
    },
    "atbb serving",
  );

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

  // An indexer that cannot go on must not leave a process that looks alive: exit non-zero, so the supervisor restarts it.
  void indexing?.failure.then((error) => {
    logger.fatal({ err: error }, "indexer stopped on an error; shutting down");
    exitCode = 1;
    requestShutdown("indexer failed");
  });

  return new Promise((resolve) => {
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
        const connections = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        connections.closeIdleConnections?.();
        // A browser's keep-alive connection that is not idle at this moment would hold close() open until the
        // shutdown bound, and the process would exit 1: give requests in flight a moment, then cut the rest.
        const cut = setTimeout(() => connections.closeAllConnections?.(), 2_000);
        cut.unref();
        await closed;
        clearTimeout(cut);
        clearInterval(fileWatch);
        forumAgent.stop();
        // The batch in progress commits with its cursor, or rolls back; nothing partial.
        const cursor = (await indexing?.stop()) ?? null;
        await members?.login.close();
        resolve({ cursor, exitCode });
      })();
    };
    requestShutdown = shutdown;
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    // pnpm does not pass SIGTERM on to the script it runs: under `pnpm start`
    // the server would outlive a pnpm that was told to stop. When the process
    // that started it is gone, it stops as if signalled.
    if (process.env.npm_lifecycle_event) {
      const launcher = process.ppid;
      const watch = setInterval(() => process.ppid !== launcher && shutdown("launcher exited"), 500);
      watch.unref();
    }
  });
}
