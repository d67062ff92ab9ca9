// What every test needs: the dialect under test and fresh, real databases.
import { createDb, migrate, type DatabaseHandle, type Dialect } from "@atbb/db";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { inject } from "vitest";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export const migrationsFolders: Record<Dialect, string> = {
  postgresql: join(repoRoot, "apps/appview/drizzle"),
  sqlite: join(repoRoot, "apps/appview/drizzle-sqlite"),
};

/** The dialect this run of the suite exercises (one vitest project per dialect). */
export const dialect: Dialect = parseDialect(process.env.ATBB_TEST_DIALECT);

function parseDialect(value: string | undefined): Dialect {
  if (value === "postgresql" || value === "sqlite") return value;
  throw new Error(`ATBB_TEST_DIALECT must be "postgresql" or "sqlite", got ${JSON.stringify(value)}.`);
}

export interface TestDatabase {
  url: string;
  dialect: Dialect;
  /** Removes the database (PostgreSQL) or its files (SQLite). */
  drop(): Promise<void>;
}

/** A new, empty database of the given dialect on a real server or file. */
export async function createTestDatabase(of: Dialect = dialect): Promise<TestDatabase> {
  const name = `atbb_test_${randomBytes(6).toString("hex")}`;
  if (of === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "atbb-sqlite-"));
    return {
      url: `file:${join(dir, `${name}.db`)}`,
      dialect: of,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject("postgresAdminUrl");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dialect: of,
    drop: async () => {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export interface MigratedTestDatabase extends TestDatabase {
  handle: DatabaseHandle;
}

/** A fresh database at the head migration, opened with createDb. */
export async function createMigratedTestDatabase(of: Dialect = dialect): Promise<MigratedTestDatabase> {
  const database = await createTestDatabase(of);
  await migrate(database.url, { migrationsFolder: migrationsFolders[of] });
  const handle = await createDb(database.url);
  return {
    ...database,
    handle,
    drop: async () => {
      await handle.close();
      await database.drop();
    },
  };
}
