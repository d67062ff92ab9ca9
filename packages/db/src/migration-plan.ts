// Which migrations are pending, from drizzle-kit's journal and what a database
// has applied, refusing the states drizzle would silently mishandle.
import { readMigrationFiles, type MigrationMeta } from "drizzle-orm/migrator";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dialect } from "./client.ts";

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
  /** Called when the SQLite file did not exist and is being created (absolute path), with the first directory made for it, if any. */
  onCreate?: (path: string, createdDirectory: string | null) => void;
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
export function planMigrations(
  migrations: Migration[],
  appliedCreatedAt: number[],
): {
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

export function upTo(migrations: Migration[], target: string | undefined): Migration[] {
  if (target === undefined) return migrations;
  const end = migrations.findIndex((m) => m.tag === target);
  if (end < 0) throw new MigrationError(`No migration tagged "${target}".`);
  return migrations.slice(0, end + 1);
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
