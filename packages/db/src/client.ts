// Each dialect's driver, its drizzle adapter and its schema are loaded when a
// database of that dialect is opened (`await import`): a process uses one
// dialect, and libsql with its drizzle adapter alone takes ~0.3 s to load.
// postgres.js stays a static import: it is small (~30 ms) and postgresClient
// must be synchronous.
import type { SQL } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Client } from "@libsql/client";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import postgres from "postgres";
import {
  DatabaseOpenError,
  explainPostgresError,
  explainSqliteError,
  prepareSqliteFile,
  sqliteFilePath,
} from "./open-errors.ts";
import type * as pgSchema from "./schema.ts";
import type * as sqliteSchema from "./schema.sqlite.ts";

export type Dialect = "postgresql" | "sqlite";

export type Schema = typeof pgSchema;

/**
 * The database as the application sees it: typed as the PostgreSQL flavour of
 * drizzle. On SQLite it is a libsql drizzle instance over the mirror schema;
 * the query builders of both share the API the app uses (select, insert …
 * onConflictDoUpdate, update, delete, returning, transaction).
 */
export type Database = PostgresJsDatabase<Schema>;

export interface DatabaseHandle {
  db: Database;
  /** The table objects of this dialect, typed as the PostgreSQL ones. */
  schema: Schema;
  dialect: Dialect;
  /** The URL it was opened with (may hold a password: see redactUrl). */
  url: string;
  /** Runs raw SQL (write it for both dialects, or branch on `dialect`) and returns its rows. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Runs SQL text written for this dialect (`$1`… on PostgreSQL, `?1`… on
   * SQLite) and returns its rows as arrays of column values in select order.
   * No query builder runs, and PostgreSQL reuses a server-side prepared
   * statement per text: for hot reads whose text is built once.
   */
  values(text: string, params: readonly StatementParam[]): Promise<unknown[][]>;
  /**
   * Why the file this handle reads and writes is no longer the one its path
   * names (deleted, or replaced by another), or null. A deleted SQLite file
   * stays writable through the open handle, so nothing else would notice:
   * writes would go into a file nobody will read again, and the next start
   * would find no database at all. Always null for PostgreSQL and memory.
   */
  fileProblem(): string | null;
  /**
   * A token that changes whenever anything committed since it was last read
   * changes what a read sees, by any connection or process; null where no
   * such token is cheap (an in-memory or remote SQLite). Equal tokens mean
   * the same committed data, so whatever was read after the earlier one is
   * still current (the response cache's exactness rests on this):
   * - PostgreSQL: the current snapshot (`pg_current_snapshot()`), which
   *   moves with every transaction that takes an id — every write, on any
   *   database of the cluster — and never with a read-only one.
   * - A SQLite file: `PRAGMA data_version` on the reader's connection, which
   *   changes with every commit by any other connection, in this process or
   *   another; that connection itself never writes.
   */
  dataVersion(): Promise<string | null>;
  /**
   * A statement written with drizzle's `sql` (columns from `schema`,
   * parameters as `jsonSql[dialect].param(n)`) as this dialect's text, for
   * `values()`. Render it once, where the statement is made, not per call.
   */
  sqlText(query: SQL): string;
  close(): Promise<void>;
}

export type StatementParam = string | number | null;

export interface CreateDbOptions {
  /** PostgreSQL pool size (default 10). */
  maxConnections?: number;
  /** SQLite busy timeout in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /**
   * Whether a missing local SQLite file may be created (default true). Commands
   * that only read or serve pass false, so that a mistyped path is an error,
   * not a new empty database.
   */
  create?: boolean;
}

export const ACCEPTED_URL_FORMS = [
  "postgres://user:password@host:5432/db",
  "postgresql://user@/db?host=/run/postgresql (Unix socket)",
  "file:/path/to/atbb.db or file:relative/atbb.db (embedded SQLite)",
  "file::memory: (throwaway in-memory SQLite)",
  "libsql://host (remote libSQL / sqld)",
  "http(s)://host:8080 (remote libSQL / sqld over HTTP)",
];

export class UnsupportedDatabaseUrlError extends Error {
  constructor(url: string) {
    super(
      `Cannot open database URL "${redactUrl(url)}". Accepted forms:\n` +
        ACCEPTED_URL_FORMS.map((form) => `  - ${form}`).join("\n"),
    );
    this.name = "UnsupportedDatabaseUrlError";
  }
}

export function dialectOf(url: string): Dialect {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (/^(file:|libsql:\/\/|https?:\/\/)/i.test(url)) return "sqlite";
  throw new UnsupportedDatabaseUrlError(url);
}

/** The URL with any password replaced, safe to log or print. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, "$1***@")
    .replace(/([?&](password|authToken)=)[^&]*/gi, "$1***");
}

export async function createDb(url: string, options: CreateDbOptions = {}): Promise<DatabaseHandle> {
  return dialectOf(url) === "postgresql" ? openPostgres(url, options) : openSqlite(url, options);
}

/**
 * A postgres.js client that also understands libpq's socket form,
 * `postgresql://user@/db?host=/run/postgresql[&port=5433]`: WHATWG URLs reject
 * the empty host, and postgres.js would send `host` to the server as a setting.
 */
// biome-ignore lint/complexity/noBannedTypes: postgres.js's own type for "no custom types"
export function postgresClient(url: string, options: postgres.Options<{}> = {}): postgres.Sql {
  const [, scheme, authority, rest] = /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/is.exec(url) ?? [];
  if (scheme === undefined) throw new UnsupportedDatabaseUrlError(url);
  const parsed = new URL(
    scheme + (authority === "" || authority!.endsWith("@") ? `${authority}localhost` : authority) + rest,
  );
  const socketDir = parsed.searchParams.get("host");
  const port = parsed.searchParams.get("port");
  parsed.searchParams.delete("host");
  parsed.searchParams.delete("port");
  return postgres(parsed.toString(), {
    connect_timeout: 10,
    // "relation already exists, skipping" and friends are not the operator's concern.
    onnotice: () => {},
    ...(socketDir ? { host: socketDir } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...options,
  });
}

async function openPostgres(url: string, options: CreateDbOptions): Promise<DatabaseHandle> {
  const [{ drizzle }, { PgDialect }, schema] = await Promise.all([
    import("drizzle-orm/postgres-js"),
    import("drizzle-orm/pg-core"),
    import("./schema.ts"),
  ]);
  const client = postgresClient(url, { max: options.maxConnections ?? 10, idle_timeout: 30 });
  // postgres.js connects lazily: without this probe, a server that is down or a
  // wrong password would surface later as the first query's failure.
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    const explained = explainPostgresError(url, error);
    throw explained ? new DatabaseOpenError(explained, { cause: error }) : error;
  }
  const db = drizzle(client, { schema });
  return {
    db,
    schema,
    dialect: "postgresql",
    url,
    rows: async <T extends Record<string, unknown>>(query: SQL) => [...(await db.execute(query))] as T[],
    values: async (text, params) => client.unsafe(text, [...params], { prepare: true }).values(),
    fileProblem: () => null,
    dataVersion: async () => {
      const [row] = await client.unsafe("select pg_current_snapshot()::text", [], { prepare: true }).values();
      return row![0] as string;
    },
    sqlText: textOf(new PgDialect()),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Renders with the dialect's own quoting. A bound value would be fixed into
 * the text's parameters once and never again: values() statements take theirs
 * by position on each call, so one is an error in the statement.
 */
function textOf(dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }) {
  return (query: SQL): string => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    if (params.length > 0)
      throw new Error(
        `A statement for values() binds ${params.length} value(s) in its text; pass them by position instead: ${text}`,
      );
    return text;
  };
}

/** Where the database is, for an operator: a local SQLite file's absolute path, else the URL without its password. */
export function databaseLocation(url: string): string {
  const file = sqliteFilePath(url);
  return file === null ? redactUrl(url) : `${resolve(file)} (${redactUrl(url)})`;
}

async function openSqlite(url: string, options: CreateDbOptions): Promise<DatabaseHandle> {
  const [{ createClient }, { drizzle }, { SQLiteAsyncDialect }, schema] = await Promise.all([
    import("@libsql/client"),
    import("drizzle-orm/libsql"),
    import("drizzle-orm/sqlite-core"),
    import("./schema.sqlite.ts"),
  ]);
  const local = url.toLowerCase().startsWith("file:");
  const file = sqliteFilePath(url);
  if (file !== null) prepareSqliteFile(file, options.create ?? true);
  const client = createClient({
    url,
    authToken: new URL(url).searchParams.get("authToken") ?? undefined,
    // Applied to every connection libsql opens, including the ones it opens
    // for transactions. Local files only; remote servers ignore it.
    timeout: options.busyTimeoutMs ?? 5000,
    // A local file: libsql's pool lends one connection to an open transaction
    // and another to everything else (those borrows are synchronous, so one
    // suffices). With no more than two, both are opened and configured below.
    ...(local ? { concurrency: 2 } : {}),
  });
  let reader: Awaited<ReturnType<typeof openReader>> | null = null;
  if (file !== null) {
    try {
      // WAL lets API reads proceed while the indexer writes. It is persistent in
      // the file, so setting it once per open is enough. (libsql turns
      // foreign_keys on for every connection it opens; test/client.test.ts checks.)
      await client.execute("PRAGMA journal_mode = WAL");
      await configureBothConnections(client);
      reader = await openReader(file, options.busyTimeoutMs ?? 5000);
    } catch (error) {
      client.close();
      throw new DatabaseOpenError(explainSqliteError(file, error), { cause: error });
    }
  }
  const fileProblem = file !== null ? watchFile(file) : () => null;
  const db = drizzle(client, { schema });
  serialiseTransactions(db);
  return {
    ...asPostgresShaped(db, schema),
    dialect: "sqlite",
    url,
    rows: <T extends Record<string, unknown>>(query: SQL) => db.all<T>(query),
    values: reader
      ? async (text, params) => reader.values(text, params)
      : // libsql's rows are array-likes that carry each value twice (index and
        // column name); copying them to plain arrays keeps the contract of PostgreSQL's.
        async (text, params) =>
          (await client.execute({ sql: text, args: [...params] })).rows.map((row) => Array.from(row)),
    fileProblem,
    dataVersion: async () => reader?.dataVersion() ?? null,
    sqlText: textOf(new SQLiteAsyncDialect()),
    close: async () => {
      reader?.close();
      client.close();
    },
  };
}

/** Remembers which file the path names now (device and inode), and tells when that stops being so. */
function watchFile(file: string): () => string | null {
  const opened = statSync(file);
  return () => {
    let now: ReturnType<typeof statSync>;
    try {
      now = statSync(file);
    } catch (error) {
      return `the database file ${file} is gone (${(error as NodeJS.ErrnoException).code ?? "error"}) while open: it was deleted or moved`;
    }
    return now.ino === opened.ino && now.dev === opened.dev
      ? null
      : `the database file ${file} was replaced by another file while open`;
  };
}

/**
 * The hot reads of a local file (`values()`) on a connection of their own
 * that keeps each text's prepared statement: @libsql/client prepares every
 * statement anew and builds each row value by value. The texts are the few
 * the API builds once. Each read is its own implicit transaction, so it sees
 * committed batches only, as reads through the client do.
 */
async function openReader(file: string, busyTimeoutMs: number) {
  const { default: Database } = await import("libsql");
  const connection = new Database(file, { timeout: busyTimeoutMs });
  const statements = new Map<string, ReturnType<typeof connection.prepare>>();
  const dataVersion = connection.prepare("PRAGMA data_version").raw(true);
  return {
    dataVersion(): string {
      const [version] = dataVersion.get() as unknown[];
      if (typeof version !== "number") throw new Error(`PRAGMA data_version answered ${String(version)}, not a number`);
      return String(version);
    },
    values(text: string, params: readonly StatementParam[]): unknown[][] {
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = connection.prepare(text).raw(true)));
      return statement.all([...params]) as unknown[][];
    },
    close: () => connection.close(),
  };
}

/**
 * Settings of each connection, which a transaction cannot change:
 * - synchronous = NORMAL: in WAL mode, no fsync per commit; durable across an
 *   application crash, at risk only on power loss.
 * - wal_autocheckpoint = 10000 pages (~40 MB of WAL): at the default 1,000, a
 *   batch of the indexer's (1,000 events) overflowed the WAL at nearly every
 *   commit, so each commit also copied its pages into the database file and
 *   synced it; in-process ingest of a 100k-event forum went from ~3,500 to
 *   ~4,300 events/s.
 */
const CONNECTION_PRAGMAS = ["PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 10000"];

/** The first connection is configured, then held by a transaction while the second is opened and configured. */
async function configureBothConnections(client: Client): Promise<void> {
  const configure = async () => {
    for (const pragma of CONNECTION_PRAGMAS) await client.execute(pragma);
  };
  await configure();
  const holding = await client.transaction("deferred");
  try {
    await configure();
  } finally {
    await holding.rollback();
  }
}

/**
 * libsql answers a second concurrent write transaction with SQLITE_BUSY instead
 * of queueing it, so transactions on one handle take turns in-process.
 */
function serialiseTransactions(db: { transaction: (...args: never[]) => Promise<unknown> }): void {
  const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  let queue: Promise<unknown> = Promise.resolve();
  (db as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args) => {
    const run = queue.then(() => transaction(...args));
    queue = run.catch(() => {});
    return run;
  };
}

/**
 * The one place where SQLite is dressed as PostgreSQL. Safe because the app
 * only uses the query-builder surface both dialects implement identically
 * (select/insert/update/delete, onConflictDo*, returning, transaction) and
 * reaches dialect-specific SQL only through `dialect`-checked helpers.
 */
function asPostgresShaped(
  db: LibSQLDatabase<typeof sqliteSchema>,
  schema: typeof sqliteSchema,
): {
  db: Database;
  schema: Schema;
} {
  // biome-ignore lint/suspicious/noExplicitAny: the one boundary where the SQLite handle is typed as PostgreSQL's (see above)
  return { db: db as any as Database, schema: schema as any as Schema };
}
