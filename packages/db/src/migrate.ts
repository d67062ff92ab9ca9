// Runtime migrations: drizzle-kit writes them, this applies them, in-process,
// with drizzle-orm's migration reader and drizzle's own bookkeeping table
// (so drizzle tooling agrees on what is applied), but under our locks:
//
// - PostgreSQL: a session-level advisory lock on the one connection that runs
//   the migrations, so concurrent `atbb migrate` runs take turns; the second
//   sees everything applied and does nothing.
// - SQLite: BEGIN EXCLUSIVE on a single-connection libsql client with
//   foreign_keys off (a table rebuild's DROP TABLE must not cascade-delete
//   child rows), then PRAGMA foreign_key_check before anything is committed.
//
// drizzle only applies journal entries newer than the newest applied one and
// skips the rest without a word, so a preflight refuses to run when that
// would happen.
import type { Client as LibsqlClient, InStatement, Transaction as LibsqlTransaction } from "@libsql/client";
import { readMigrationFiles, type MigrationMeta } from "drizzle-orm/migrator";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { createDb, dialectOf, postgresClient, redactUrl, type DatabaseHandle, type Dialect } from "./client.ts";
import { DatabaseOpenError, explainPostgresError, explainSqliteError, prepareSqliteFile, sqliteFilePath } from "./open-errors.ts";

/** Arbitrary but fixed: "atbb" in ASCII. Every atbb migrator takes this lock. */
export const MIGRATION_LOCK_KEY = 0x61746262;

const PG_MIGRATIONS_TABLE = `"drizzle"."__drizzle_migrations"`;
const SQLITE_MIGRATIONS_TABLE = `"__drizzle_migrations"`;

export interface Migration {
  tag: string;
  /** The journal's `when`: drizzle's key for "applied". */
  createdAt: number;
  hash: string;
  statements: string[];
}

export interface MigrateOptions {
  migrationsFolder: string;
  /** Stop after this migration tag (tests replay history step by step). */
  target?: string;
  /** Called once per migration applied. */
  onApplied?: (migration: { tag: string; ms: number }) => void;
  /** Called when the SQLite file did not exist and is being created (absolute path). */
  onCreate?: (path: string) => void;
}

export interface MigrateReport {
  dialect: Dialect;
  applied: { tag: string; ms: number }[];
  totalMs: number;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied in the database but unknown to this build (a newer atbb ran here). */
  unknown: number[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export function readMigrations(migrationsFolder: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  const files: MigrationMeta[] = readMigrationFiles({ migrationsFolder });
  const migrations = journal.entries.map((entry, i) => {
    const file = files[i]!;
    return {
      tag: entry.tag,
      createdAt: file.folderMillis,
      hash: file.hash,
      // drizzle-kit separates statements with breakpoints; blank tails are not statements.
      statements: file.sql.map((s) => s.trim()).filter((s) => s.length > 0),
    };
  });
  for (let i = 1; i < migrations.length; i++) {
    if (!(migrations[i]!.createdAt > migrations[i - 1]!.createdAt)) {
      throw new MigrationError(
        `Migration journal ${migrationsFolder}/meta/_journal.json is out of order: ` +
          `"${migrations[i]!.tag}" is not newer than "${migrations[i - 1]!.tag}". ` +
          `drizzle would skip it silently; give it a "when" larger than its predecessor's.`,
      );
    }
  }
  return migrations;
}

/**
 * What is pending, refusing the states drizzle would silently mishandle:
 * a pending migration older than the newest applied one.
 */
export function planMigrations(migrations: Migration[], appliedCreatedAt: number[]): {
  pending: Migration[];
  status: MigrationStatus;
} {
  const applied = new Set(appliedCreatedAt);
  const newestApplied = Math.max(-Infinity, ...appliedCreatedAt);
  const known = new Set(migrations.map((m) => m.createdAt));
  const pending = migrations.filter((m) => !applied.has(m.createdAt));
  const stranded = pending.filter((m) => m.createdAt <= newestApplied);
  if (stranded.length > 0) {
    throw new MigrationError(
      `Pending migration(s) ${stranded.map((m) => m.tag).join(", ")} are older than the newest ` +
        `applied migration; drizzle would skip them. Regenerate them after the newest one, ` +
        `or fix their "when" in meta/_journal.json.`,
    );
  }
  return {
    pending,
    status: {
      applied: migrations.filter((m) => applied.has(m.createdAt)).map((m) => m.tag),
      pending: pending.map((m) => m.tag),
      unknown: appliedCreatedAt.filter((t) => !known.has(t)),
    },
  };
}

function upTo(migrations: Migration[], target: string | undefined): Migration[] {
  if (target === undefined) return migrations;
  const end = migrations.findIndex((m) => m.tag === target);
  if (end < 0) throw new MigrationError(`No migration tagged "${target}".`);
  return migrations.slice(0, end + 1);
}

export async function migrate(url: string, options: MigrateOptions): Promise<MigrateReport> {
  const dialect = dialectOf(url);
  const migrations = upTo(readMigrations(options.migrationsFolder), options.target);
  const started = performance.now();
  try {
    const applied =
      dialect === "postgresql"
        ? await migratePostgres(url, migrations, options)
        : await migrateSqlite(url, migrations, options);
    return { dialect, applied, totalMs: performance.now() - started };
  } catch (error) {
    if (error instanceof MigrationError || error instanceof DatabaseOpenError) throw error;
    const unreachable = dialect === "postgresql" ? explainPostgresError(url, error) : null;
    if (unreachable) throw new DatabaseOpenError(unreachable, { cause: error });
    throw new MigrationError(
      `Migrating ${redactUrl(url)} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Applied and pending migrations, without changing anything (a missing SQLite file is an error, not created). */
export async function migrationStatus(url: string, migrationsFolder: string): Promise<MigrationStatus> {
  const database = await createDb(url, { create: false, maxConnections: 1 });
  try {
    return statusOf(readMigrations(migrationsFolder), await appliedMigrations(database));
  } finally {
    await database.close();
  }
}

/** What is applied and pending, reported (not refused) even when migrate() would refuse. */
export function statusOf(migrations: Migration[], appliedCreatedAt: number[]): MigrationStatus {
  try {
    return planMigrations(migrations, appliedCreatedAt).status;
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    const applied = new Set(appliedCreatedAt);
    return {
      applied: migrations.filter((m) => applied.has(m.createdAt)).map((m) => m.tag),
      pending: migrations.filter((m) => !applied.has(m.createdAt)).map((m) => m.tag),
      unknown: [],
    };
  }
}

/** The journal keys (`created_at`) of the migrations applied to an open database. */
export async function appliedMigrations(database: DatabaseHandle): Promise<number[]> {
  const postgres = database.dialect === "postgresql";
  const [exists] = await database.rows<{ found: unknown }>(
    postgres
      ? sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`
      : sql`select count(*) > 0 as found from sqlite_master where type = 'table' and name = '__drizzle_migrations'`,
  );
  if (!exists?.found) return [];
  const rows = await database.rows<{ created_at: unknown }>(sql.raw(`select created_at from ${postgres ? PG_MIGRATIONS_TABLE : SQLITE_MIGRATIONS_TABLE}`));
  return rows.map((r) => Number(r.created_at));
}

async function migratePostgres(url: string, migrations: Migration[], options: MigrateOptions) {
  // One connection: the session-level advisory lock belongs to it.
  const sql = postgresClient(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await sql`create schema if not exists "drizzle"`;
      await sql.unsafe(
        `create table if not exists ${PG_MIGRATIONS_TABLE} (id serial primary key, hash text not null, created_at bigint)`,
      );
      const rows = await sql.unsafe<{ created_at: string }[]>(`select created_at from ${PG_MIGRATIONS_TABLE}`);
      const { pending } = planMigrations(migrations, rows.map((r) => Number(r.created_at)));
      const applied: { tag: string; ms: number }[] = [];
      // All pending migrations commit together: an upgrade is all or nothing.
      await sql.begin(async (tx) => {
        for (const migration of pending) {
          const started = performance.now();
          for (const statement of migration.statements) await tx.unsafe(statement);
          await tx.unsafe(`insert into ${PG_MIGRATIONS_TABLE} (hash, created_at) values ($1, $2)`, [
            migration.hash,
            migration.createdAt,
          ]);
          const step = { tag: migration.tag, ms: performance.now() - started };
          applied.push(step);
          options.onApplied?.(step);
        }
      });
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * libsql's busy wait is synchronous: a second migrator in this process waiting
 * on the file lock would block the event loop the first one needs to finish.
 * So migrators in one process take turns here; across processes the
 * exclusive lock and busy timeout do the job.
 */
const sqliteTurns = new Map<string, Promise<unknown>>();

function migrateSqlite(url: string, migrations: Migration[], options: MigrateOptions) {
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
    if (prepared.created) options.onCreate?.(prepared.path);
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
async function migrateSqliteClient(client: LibsqlClient, migrations: Migration[], options: MigrateOptions) {
  try {
    await client.execute("PRAGMA foreign_keys = OFF");
    const tx = await client.transaction("write");
    const applied: { tag: string; ms: number }[] = [];
    try {
      await tx.execute(
        `CREATE TABLE IF NOT EXISTS ${SQLITE_MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const rows = await tx.execute(`SELECT created_at FROM ${SQLITE_MIGRATIONS_TABLE}`);
      const { pending } = planMigrations(migrations, rows.rows.map((r) => Number(r.created_at)));
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

/**
 * Migrates an open database. An in-memory SQLite database exists only on the
 * connection that opened it, so it is migrated there (`atbb serve --migrate`
 * is the one way to use one); any other database as migrate() does it.
 */
export async function migrateDatabase(database: DatabaseHandle, options: MigrateOptions): Promise<MigrateReport> {
  if (!isInMemory(database.url)) return migrate(database.url, options);
  const migrations = upTo(readMigrations(options.migrationsFolder), options.target);
  const started = performance.now();
  // The handle's drizzle instance holds the libsql client it was opened on.
  const { $client } = database.db as unknown as { $client: LibsqlClient };
  const applied = await migrateSqliteClient($client, migrations, options);
  return { dialect: "sqlite", applied, totalMs: performance.now() - started };
}

/** `file::memory:` and friends: a database that lives and dies with one connection. */
export function isInMemory(url: string): boolean {
  return url.toLowerCase().startsWith("file:") && url.includes(":memory:");
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
