// Fresh, migrated databases for each measurement: a SQLite file (WAL) in a
// temp directory, or a new database on a real PostgreSQL server — the one in
// BENCH_DATABASE_URL, else a throwaway cluster started on first use.
import { createDb, migrate, type DatabaseHandle, type Dialect } from "@atbb/db";
import { startPostgresCluster, type PostgresCluster } from "@atbb/testing/postgres-cluster";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { migrationsFolder } from "../src/migrations.ts";

let cluster: PostgresCluster | null = null;
let counter = 0;
const cleanups: (() => Promise<void>)[] = [];

async function adminUrl(): Promise<string> {
  return process.env.BENCH_DATABASE_URL ?? (cluster ??= await startPostgresCluster()).url;
}

export async function freshUrl(dialect: Dialect): Promise<string> {
  const name = `atbb_bench_${process.pid}_${counter++}`;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "atbb-bench-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return `file:${join(dir, `${name}.db`)}`;
  }
  const server = await adminUrl();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const again = postgres(server, { max: 1, onnotice: () => {} });
    await again.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await again.end();
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function migrated(dialect: Dialect): Promise<{ url: string; database: DatabaseHandle }> {
  const url = await freshUrl(dialect);
  await migrate(url, { migrationsFolder: migrationsFolder(dialect) });
  return { url, database: await createDb(url) };
}

/** Drops every database this run made (a 1M-reply seed is ~1 GB) and stops the throwaway cluster. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  cluster?.stop();
  cluster = null;
}

/** The PostgreSQL server's version, as it reports it. */
export async function serverVersion(): Promise<string> {
  const client = postgres(await adminUrl(), { max: 1, onnotice: () => {} });
  const [row] = await client<{ server_version: string }[]>`show server_version`;
  await client.end();
  return row!.server_version;
}

/**
 * Takes the search index off a migrated database (SQLite: the FTS5 table and
 * the triggers that keep it; PostgreSQL: the stored search words and their GIN
 * index), so that ingest can be timed without it: what keeping the index costs.
 */
export async function dropSearchIndex(database: DatabaseHandle): Promise<void> {
  const statements =
    database.dialect === "sqlite"
      ? [
          "drop trigger posts_search_insert",
          "drop trigger posts_search_delete",
          "drop trigger posts_search_update",
          "drop table posts_search",
        ]
      : ["alter table posts drop column search_vector"]; // its index goes with it
  for (const statement of statements) await database.rows(sql.raw(statement));
}
