// Whether a failed write says something about the events written, or about
// the database. Only the first may cost an event (skipped, counted as
// database_error, the cursor moving past it); the second is retried without
// moving the cursor, however long it lasts, since skipping would lose events
// for good: a full disk once "rejected" thousands and committed a cursor past them.

/** PostgreSQL SQLSTATE classes that a given statement meets every time: bad data (22), a constraint (23), a limit (54). */
const POSTGRES_EVENT_CLASSES = new Set(["22", "23", "54"]);
/** SQLite result codes of the same kind; SQLITE_CONSTRAINT_UNIQUE and the like share the prefix. */
const SQLITE_EVENT_CODES = ["SQLITE_CONSTRAINT", "SQLITE_MISMATCH", "SQLITE_TOOBIG", "SQLITE_RANGE"];

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  return codes;
}

const isEventCode = (code: string) =>
  (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_EVENT_CLASSES.has(code.slice(0, 2))) ||
  SQLITE_EVENT_CODES.some((prefix) => code.startsWith(prefix));

/**
 * True when the error belongs to the events being written: a data or
 * constraint error from the database, or an error with no code at all (atBB's
 * own handling of that record failed, and would fail again). Anything else
 * carrying a code — a lost connection, a full disk, a read-only file, an
 * unknown code — is the database's condition, not the event's.
 */
export function isEventError(error: unknown): boolean {
  const codes = codesOf(error);
  return codes.length === 0 || codes.some(isEventCode);
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  const cause = error.cause instanceof Error ? ` (${error.cause.message.slice(0, 200)})` : "";
  return `${error.message.slice(0, 200)}${cause}`;
}
