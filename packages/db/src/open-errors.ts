// Why a database could not be opened, in words an operator can act on. The
// drivers' own errors name a syscall or an SQLite result code ("ECONNREFUSED",
// "Unable to open connection …: 14"), and drizzle hides them behind the query
// that failed; these say which database, what went wrong, and what to do.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseOpenError";
  }
}

/** Where a PostgreSQL URL points, as the operator would name it. */
export interface PostgresTarget {
  /** `host:port`, or the socket file for `?host=/dir` URLs. */
  where: string;
  host: string;
  port: string;
  database: string;
  user: string;
}

export function postgresTarget(url: string): PostgresTarget {
  const [, scheme = "postgres://", authority = "", rest = ""] =
    /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/is.exec(url) ?? [];
  const parsed = new URL(
    scheme + (authority === "" || authority.endsWith("@") ? `${authority}localhost` : authority) + rest,
  );
  const socketDir = parsed.searchParams.get("host");
  const port = parsed.searchParams.get("port") ?? (parsed.port || "5432");
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || process.env.USER || "postgres";
  const host = socketDir ?? (parsed.hostname || "localhost");
  return {
    where: socketDir ? `${socketDir}/.s.PGSQL.${port}` : `${host}:${port}`,
    host,
    port,
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
    user,
  };
}

/** The first error in a chain of `cause`s that carries a driver or system code. */
function codedCause(error: unknown): { code: string; message: string } | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return { code, message: e.message };
  }
  return null;
}

/**
 * An explanation of a failure to reach or log in to PostgreSQL, or null when
 * the error is of another kind (a failing statement, say).
 */
export function explainPostgresError(url: string, error: unknown): string | null {
  const coded = codedCause(error);
  if (!coded) return null;
  const t = postgresTarget(url);
  const at = `PostgreSQL at ${t.where}`;
  switch (coded.code) {
    case "ECONNREFUSED":
      return `Cannot connect to ${at}: connection refused. Is PostgreSQL running on ${t.where}? Start it, or correct the host and port in DATABASE_URL.`;
    case "ENOENT":
      return `Cannot connect to ${at}: there is no socket ${t.where}. Is PostgreSQL running, with its socket in ${t.host}? Start it, or correct ?host= and ?port= in DATABASE_URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot connect to ${at}: the host name "${t.host}" does not resolve. Correct the host in DATABASE_URL.`;
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `Cannot connect to ${at}: no answer (${coded.code}). Is the server up, and does a firewall let this machine reach port ${t.port}?`;
    case "28P01":
      return `PostgreSQL at ${t.where} refused the password of user "${t.user}" (password authentication failed). Correct the password in DATABASE_URL (or the file DATABASE_URL_FILE names).`;
    case "28000":
      return `PostgreSQL at ${t.where} refused user "${t.user}": ${coded.message}. Check the user name in DATABASE_URL, and that the server's pg_hba.conf lets it connect.`;
    case "3D000":
      return (
        `The database "${t.database}" does not exist on ${at}. Create it, owned by the user atbb connects as: ` +
        `\`createdb -h ${t.host} -p ${t.port} -O ${t.user} ${t.database}\` (or in psql: CREATE DATABASE "${t.database}" OWNER "${t.user}";), then run \`atbb migrate\`.`
      );
    case "57P03":
      return `PostgreSQL at ${t.where} is starting up or shutting down: try again in a moment.`;
    default:
      return coded.code.startsWith("E") || coded.code === "CONNECTION_CLOSED" || coded.code === "CONNECTION_ENDED"
        ? `Cannot connect to ${at}: ${coded.message}.`
        : null;
  }
}

/** `file::memory:` and friends: a database that lives and dies with one connection. */
export function isInMemory(url: string): boolean {
  return url.toLowerCase().startsWith("file:") && url.includes(":memory:");
}

/** The file a local SQLite URL names (`file:/abs`, `file:///abs`, `file:rel`, without its query), or null for memory and remote URLs. */
export function sqliteFilePath(url: string): string | null {
  if (!url.toLowerCase().startsWith("file:") || url.includes(":memory:")) return null;
  return decodeURIComponent(
    url
      .slice("file:".length)
      .replace(/^\/\/(?=\/)/, "")
      .split("?")[0]!,
  );
}

/** How the operator should read a SQLite path: relative ones depend on the current directory. */
function described(path: string): string {
  const absolute = resolve(path);
  return isAbsolute(path) ? absolute : `${absolute} (${path} relative to the current directory)`;
}

/**
 * Checks a local SQLite file before libsql opens it, so that a mistyped path
 * never silently becomes a new, empty database, and a path libsql cannot open
 * says why. With `create`, a missing file (and its directory) may be made;
 * returns the absolute path and whether the file is new.
 */
export function prepareSqliteFile(
  path: string,
  create: boolean,
): { path: string; created: boolean; createdDirectory: string | null } {
  const absolute = resolve(path);
  const directory = dirname(absolute);
  let found: ReturnType<typeof statSync> | null = null;
  try {
    found = statSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "ENOTDIR") {
      throw new DatabaseOpenError(
        `Cannot reach the SQLite database ${described(path)}: ${code === "EACCES" ? "permission denied on a directory on the way" : "a part of the path is a file, not a directory"}. ` +
          "Give the user atbb runs as access to that directory, or correct DATABASE_URL.",
        { cause: error },
      );
    }
  }
  if (found) {
    if (found.isDirectory()) {
      throw new DatabaseOpenError(
        `DATABASE_URL names a directory, ${described(path)}, not a database file. Name a file, e.g. file:${resolve(absolute, "atbb.db")}.`,
      );
    }
    try {
      accessSync(absolute, constants.R_OK | constants.W_OK);
    } catch {
      throw new DatabaseOpenError(
        `Cannot read and write the SQLite database ${described(path)}: permission denied. Run atbb as the user that owns it, or give that user read and write access.`,
      );
    }
    try {
      // SQLite keeps its write-ahead log and shared memory (…-wal, …-shm) beside the file.
      accessSync(directory, constants.W_OK | constants.X_OK);
    } catch {
      throw new DatabaseOpenError(
        `Cannot write in ${directory}, the directory of the SQLite database: SQLite keeps its -wal and -shm files beside the database. Give the user atbb runs as write access to it.`,
      );
    }
    return { path: absolute, created: false, createdDirectory: null };
  }
  if (!create) {
    throw new DatabaseOpenError(
      `There is no SQLite database at ${described(path)}. Run \`atbb migrate\` first to create it there (or serve with \`atbb serve --migrate\`), or correct DATABASE_URL.`,
    );
  }
  let createdDirectory: string | null = null;
  try {
    createdDirectory = mkdirSync(directory, { recursive: true }) ?? null;
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new DatabaseOpenError(
      `Cannot create the SQLite database ${described(path)}: its directory ${directory} cannot be created or written (${(error as NodeJS.ErrnoException).code ?? String(error)}). Create it, writable by the user atbb runs as, or choose another path.`,
      { cause: error },
    );
  }
  return { path: absolute, created: true, createdDirectory };
}

/** libsql's open failures ("Unable to open connection to local database …: 14") in words. */
export function explainSqliteError(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cantOpen = /SQLITE_CANTOPEN|: 14\b/.test(message) || (error as { code?: string }).code === "SQLITE_CANTOPEN";
  return cantOpen
    ? `SQLite cannot open ${described(path)} (SQLITE_CANTOPEN): check that the path names a file, and that the user atbb runs as can read and write it and its directory.`
    : `Cannot open the SQLite database ${described(path)}: ${message}`;
}
