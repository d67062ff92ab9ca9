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
import type { Client as LibsqlClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { createDb, dialectOf, postgresClient, redactUrl, type DatabaseHandle } from "./client.ts";
import {
  planMigrations,
  readMigrations,
  statusOf,
  upTo,
  MigrationError,
  type MigrateOptions,
  type MigrateReport,
  type Migration,
  type MigrationStatus,
} from "./migration-plan.ts";
import { SQLITE_MIGRATIONS_TABLE, migrateSqlite, migrateSqliteClient } from "./migrate-sqlite.ts";
import { DatabaseOpenError, explainPostgresError, isInMemory } from "./open-errors.ts";

export {
  MigrationError,
  planMigrations,
  readMigrations,
  statusOf,
  type MigrateOptions,
  type MigrateReport,
  type Migration,
  type MigrationStatus,
} from "./migration-plan.ts";

/** Arbitrary but fixed: "atbb" in ASCII. Every atbb migrator takes this lock. */
export const MIGRATION_LOCK_KEY = 0x61746262;

const PG_MIGRATIONS_TABLE = `"drizzle"."__drizzle_migrations"`;

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

/** The journal keys (`created_at`) of the migrations applied to an open database. */
export async function appliedMigrations(database: DatabaseHandle): Promise<number[]> {
  const postgres = database.dialect === "postgresql";
  const [exists] = await database.rows<{ found: unknown }>(
    postgres
      ? sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`
      : sql`select count(*) > 0 as found from sqlite_master where type = 'table' and name = '__drizzle_migrations'`,
  );
  if (!exists?.found) return [];
  const rows = await database.rows<{ created_at: unknown }>(
    sql.raw(`select created_at from ${postgres ? PG_MIGRATIONS_TABLE : SQLITE_MIGRATIONS_TABLE}`),
  );
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
      const { pending } = planMigrations(
        migrations,
        rows.map((r) => Number(r.created_at)),
      );
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
