// pnpm bench [--events N] [--dialect sqlite|postgresql|both] [--out FILE]
//
// Ingest speed through the real path (WebSocket Jetstream → validation →
// batched transactions with the cursor), beside a naive baseline (one
// transaction per event) and a ceiling (the same final rows written with
// multi-row inserts in one transaction through the same driver); plus
// `atbb migrate` on an empty database and `atbb serve` to its first healthy
// answer. Speed is measured here, never asserted in tests.
import { createDb, migrate, type DatabaseHandle, type Dialect } from "@atbb/db";
import { startPostgresCluster } from "@atbb/testing/postgres-cluster";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createIndexer } from "../src/indexer/indexer.ts";
import { silentLogger } from "../src/logger.ts";
import { migrationsFolder } from "../src/migrations.ts";
import { JetstreamSource } from "../src/source/jetstream.ts";
import { FakeJetstream } from "../test/support/jetstream-server.ts";
import { finalCursor } from "../test/support/run-indexer.ts";
import { forumWorkload } from "./workload.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "200000" },
    dialect: { type: "string", default: "both" },
    out: { type: "string", default: "bench-results/bench.json" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("Usage: pnpm bench [--events N] [--dialect sqlite|postgresql|both] [--out FILE]\n\nBENCH_DATABASE_URL: a PostgreSQL server to use instead of a throwaway cluster.");
  process.exit(0);
}
const targetEvents = Number(values.events);
if (!Number.isInteger(targetEvents) || targetEvents < 1000) throw new Error("--events must be a whole number ≥ 1000");
const dialects: Dialect[] = values.dialect === "both" ? ["sqlite", "postgresql"] : [values.dialect as Dialect];
if (!dialects.every((d) => d === "sqlite" || d === "postgresql")) throw new Error("--dialect must be sqlite, postgresql or both");

// ~0.9 replies per event overall: size the forum so the stream has about targetEvents events.
const replies = Math.round(targetEvents * 0.85);
const stream = forumWorkload({ members: Math.max(100, Math.round(targetEvents / 200)), topics: Math.round(targetEvents / 10), replies });
const events = stream.messages;
console.log(`workload: ${events.length} events (seeded), dialects: ${dialects.join(", ")}`);

const server: { cluster: Awaited<ReturnType<typeof startPostgresCluster>> | null } = { cluster: null };
let counter = 0;
async function freshUrl(dialect: Dialect): Promise<string> {
  const name = `atbb_bench_${process.pid}_${counter++}`;
  if (dialect === "sqlite") return `file:${join(mkdtempSync(join(tmpdir(), "atbb-bench-")), `${name}.db`)}`;
  const adminUrl = process.env.BENCH_DATABASE_URL ?? (server.cluster ??= await startPostgresCluster()).url;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function migrated(dialect: Dialect): Promise<{ url: string; database: DatabaseHandle; migrateMs: number }> {
  const url = await freshUrl(dialect);
  const report = await migrate(url, { migrationsFolder: migrationsFolder(dialect) });
  return { url, database: await createDb(url), migrateMs: report.totalMs };
}

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function ours(dialect: Dialect) {
  const { database } = await migrated(dialect);
  const server = await FakeJetstream.start(events);
  const indexer = createIndexer({ database, forumDid: stream.forumDid, logger: silentLogger });
  const started = performance.now();
  const running = indexer.run(new JetstreamSource({ url: server.url, logger: silentLogger }));
  const target = finalCursor(events);
  while ((indexer.status().cursor ?? 0) < target) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await indexer.stop();
  await running;
  await server.stop();
  return { database, eventsPerSecond: events.length / seconds, seconds };
}

async function naive(dialect: Dialect) {
  // The seed plans' approach: one transaction (and cursor write) per event.
  const { database } = await migrated(dialect);
  const indexer = createIndexer({ database, forumDid: stream.forumDid, logger: silentLogger });
  const sample = events.slice(0, Math.min(events.length, 20_000));
  const started = performance.now();
  for (const message of sample) await indexer.applyMessages([message]);
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return { eventsPerSecond: sample.length / seconds, seconds, sampled: sample.length };
}

async function ceiling(dialect: Dialect, source: DatabaseHandle) {
  // The same final rows, multi-row inserts in one transaction, same driver.
  const { database } = await migrated(dialect);
  const { schema } = source;
  const tables = [schema.forums, schema.categories, schema.boards, schema.roles, schema.rolePermissions, schema.users, schema.memberships, schema.posts, schema.modActions] as const;
  // In id order, so every row's references are already written.
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.id ?? 0) - Number(b.id ?? 0);
  const rows = await Promise.all(tables.map(async (table) => ((await source.db.select().from(table as never)) as Record<string, unknown>[]).sort(byId)));
  const started = performance.now();
  await database.db.transaction(async (tx) => {
    for (const [i, table] of tables.entries()) {
      const all = rows[i]!;
      const width = Math.max(1, Object.keys(all[0] ?? { a: 1 }).length);
      const chunk = Math.floor(30_000 / width);
      for (let k = 0; k < all.length; k += chunk) await tx.insert(table as never).values(all.slice(k, k + chunk) as never);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return { eventsPerSecond: events.length / seconds, seconds };
}

async function serveReadyMs(dialect: Dialect): Promise<number> {
  const { url, database } = await migrated(dialect);
  await database.close();
  const port = 40000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, ["--conditions=development", join(import.meta.dirname, "../src/cli.ts"), "serve", "--no-indexer"], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return performance.now() - started;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill("SIGTERM");
  }
}

const results: Record<string, unknown> = { events: events.length, node: process.version, date: new Date().toISOString() };
for (const dialect of dialects) {
  console.log(`\n${dialect}: migrate, serve, naive, ours, ceiling…`);
  const migrateMs = (await migrated(dialect)).migrateMs;
  const serveMs = await serveReadyMs(dialect);
  const naiveRun = await naive(dialect);
  const oursRun = await ours(dialect);
  const ceilingRun = await ceiling(dialect, oursRun.database);
  await oursRun.database.close();
  results[dialect] = {
    ingest: {
      ours: Math.round(oursRun.eventsPerSecond),
      naive: Math.round(naiveRun.eventsPerSecond),
      naiveSampledEvents: naiveRun.sampled,
      ceiling: Math.round(ceilingRun.eventsPerSecond),
      oursOverCeiling: +(oursRun.eventsPerSecond / ceilingRun.eventsPerSecond).toFixed(3),
      oursOverNaive: +(oursRun.eventsPerSecond / naiveRun.eventsPerSecond).toFixed(2),
    },
    freshMigrateMs: Math.round(migrateMs),
    serveReadyMs: Math.round(serveMs),
  };
}
clearInterval(rssTimer);
results.peakRssMb = Math.round(peakRss / 1e6);
server.cluster?.stop();

console.log("\n| dialect | ours ev/s | naive ev/s | ceiling ev/s | ours/ceiling | ours/naive | migrate ms | serve ready ms |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const dialect of dialects) {
  const r = results[dialect] as { ingest: Record<string, number>; freshMigrateMs: number; serveReadyMs: number };
  console.log(`| ${dialect} | ${r.ingest.ours} | ${r.ingest.naive} | ${r.ingest.ceiling} | ${r.ingest.oursOverCeiling} | ${r.ingest.oursOverNaive} | ${r.freshMigrateMs} | ${r.serveReadyMs} |`);
}
console.log(`peak RSS of the bench process (indexer in-process): ${results.peakRssMb} MB`);
mkdirSync(dirname(resolve(values.out!)), { recursive: true });
writeFileSync(values.out!, JSON.stringify(results, null, 2));
console.log(`wrote ${values.out}`);
