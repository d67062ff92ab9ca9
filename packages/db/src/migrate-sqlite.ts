// The SQLite migrator: BEGIN EXCLUSIVE on a single connection with foreign
// keys off, then PRAGMA foreign_key_check before anything is committed.
import type { Client as LibsqlClient, InStatement, Transaction as LibsqlTransaction } from "@libsql/client";
import { planMigrations, MigrationError, type MigrateOptions, type Migration } from "./migration-plan.ts";
import { DatabaseOpenError, explainSqliteError, prepareSqliteFile, sqliteFilePath } from "./open-errors.ts";

export const SQLITE_MIGRATIONS_TABLE = `"__drizzle_migrations"`;

/**
 * libsql's busy wait is synchronous: a second migrator in this process waiting
 * on the file lock would block the event loop the first one needs to finish.
 * So migrators in one process take turns here; across processes the
 * exclusive lock and busy timeout do the job.
 */
const sqliteTurns = new Map<string, Promise<unknown>>();

export function migrateSqlite(url: string, migrations: Migration[], options: MigrateOptions) {
  const previous = sqliteTurns.get(url) ?? Promise.resolve();
  const turn = previous.then(() => migrateSqliteNow(url, migrations, options));
  const settled = turn.catch(() => {});
  sqliteTurns.set(url, settled);
  void settled.then(() => {
    if (sqliteTurns.get(url) === settled) sqliteTurns.delete(url);
  });
  return turn;
}

async function migrateSqliteNow(url: string, migrations: Migration[], options: MigrateOptions) {
  const file = sqliteFilePath(url);
  if (file !== null) {
    const prepared = prepareSqliteFile(file, true);
    if (prepared.created) options.onCreate?.(prepared.path, prepared.createdDirectory);
  }
  // Loaded here, not up front, as in client.ts: a PostgreSQL process never needs libsql.
  const { createClient } = await import("@libsql/client");
  // A single connection, so the PRAGMA and the transaction share it.
  const client = createClient({ url, concurrency: 1, timeout: 60_000 });
  try {
    try {
      await client.execute("PRAGMA foreign_keys = OFF");
    } catch (error) {
      throw file === null ? error : new DatabaseOpenError(explainSqliteError(file, error), { cause: error });
    }
    return await migrateSqliteClient(client, migrations, options);
  } finally {
    client.close();
  }
}

/** The migrations on one libsql connection, foreign keys off while they run. */
export async function migrateSqliteClient(client: LibsqlClient, migrations: Migration[], options: MigrateOptions) {
  try {
    await client.execute("PRAGMA foreign_keys = OFF");
    const tx = await client.transaction("write");
    const applied: { tag: string; ms: number }[] = [];
    try {
      await tx.execute(
        `CREATE TABLE IF NOT EXISTS ${SQLITE_MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const rows = await tx.execute(`SELECT created_at FROM ${SQLITE_MIGRATIONS_TABLE}`);
      const { pending } = planMigrations(
        migrations,
        rows.rows.map((r) => Number(r.created_at)),
      );
      for (const migration of pending) {
        const started = performance.now();
        for (const statement of migration.statements) await tx.execute(statement);
        await tx.execute({
          sql: `INSERT INTO ${SQLITE_MIGRATIONS_TABLE} ("hash", "created_at") VALUES (?, ?)`,
          args: [migration.hash, migration.createdAt],
        } satisfies InStatement);
        const step = { tag: migration.tag, ms: performance.now() - started };
        applied.push(step);
        options.onApplied?.(step);
      }
      await assertNoForeignKeyViolations(tx);
      await tx.commit();
    } finally {
      tx.close();
    }
    return applied;
  } finally {
    await client.execute("PRAGMA foreign_keys = ON").catch(() => {});
  }
}

async function assertNoForeignKeyViolations(tx: LibsqlTransaction): Promise<void> {
  const violations = await tx.execute("PRAGMA foreign_key_check");
  if (violations.rows.length > 0) {
    const first = violations.rows[0]!;
    throw new MigrationError(
      `Migration left ${violations.rows.length} foreign-key violation(s) ` +
        `(first: table ${String(first.table)} row ${String(first.rowid)} → ${String(first.parent)}); rolled back.`,
    );
  }
}
