// pnpm bench [--events N] [--topics N] [--dialect D] [--parts LIST] [--api-seconds S] [--out FILE]
//
// On each dialect: the lifecycle (`atbb migrate` on an empty database, `atbb
// serve` to its first healthy answer; lifecycle.ts); ingest through the real
// path beside a naive baseline and a ceiling (ingest.ts); upkeep: the same
// ingest without the search index, then with NOTIFICATIONS=off, for what
// keeping each costs; the read API on a
// seeded forum of --topics topics and ten times as many replies, served by
// `atbb serve` and loaded by autocannon, each in its own process (seed.ts,
// api.ts); the pages: a topic page of 50 replies rendered in-process, and
// what the pages' CSS and JS weigh (pages.ts). Prints the tables of docs/performance.md and writes JSON. Speed is
// measured here, never asserted in tests.
import type { Dialect } from "@atbb/db";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureApi } from "./api.ts";
import { cleanUp, migrated, serverVersion } from "./databases.ts";
import { ceiling, naive, ours } from "./ingest.ts";
import { lifecycle } from "./lifecycle.ts";
import { checkSeed, seedForum } from "./seed.ts";
import { printTables, type DialectResult } from "./table.ts";
import { forumWorkload } from "./workload.ts";

const PARTS = ["lifecycle", "ingest", "upkeep", "api", "pages"] as const;
type Part = (typeof PARTS)[number];
const DIALECTS = ["sqlite", "postgresql"] as const;
/** Naive ingest is slow and steady: its rate on the stream's first events stands for the whole. */
const NAIVE_SAMPLE = 5_000;

const USAGE = `Usage: pnpm bench [options]

  --events N        ingest workload size, in events (default 200000, at least 1000)
  --topics N        API seed: N topics and 10×N replies (default 100000, at least 100)
  --dialect D       sqlite, postgresql or both (default both)
  --parts LIST      comma-separated, any of ${PARTS.join(", ")} (default all)
  --api-seconds S   autocannon run per route and connection count (default 3)
  --out FILE        JSON results (default bench-results/bench.json)

BENCH_DATABASE_URL: a PostgreSQL server to use instead of a throwaway cluster.`;

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "200000" },
      topics: { type: "string", default: "100000" },
      dialect: { type: "string", default: "both" },
      parts: { type: "string", default: PARTS.join(",") },
      "api-seconds": { type: "string", default: "3" },
      out: { type: "string", default: "bench-results/bench.json" },
      help: { type: "boolean", short: "h" },
    },
  });
  const wholeNumber = (name: "events" | "topics" | "api-seconds", min: number) => {
    const text = values[name];
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min)
      throw new UsageError(`--${name} must be a whole number, at least ${min} (got "${text}").`);
    return n;
  };
  const dialects = values.dialect === "both" ? [...DIALECTS] : DIALECTS.filter((d) => d === values.dialect);
  if (dialects.length === 0)
    throw new UsageError(`--dialect must be sqlite, postgresql or both (got "${values.dialect}").`);
  const parts = values.parts.split(",").map((p) => p.trim());
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0 || parts.length === 0)
    throw new UsageError(`--parts lists ${PARTS.join(", ")}; "${unknown.join(", ")}" is none of them.`);
  return {
    help: values.help ?? false,
    events: wholeNumber("events", 1000),
    topics: wholeNumber("topics", 100),
    apiSeconds: wholeNumber("api-seconds", 1),
    dialects: dialects as Dialect[],
    parts: new Set(parts as Part[]),
    out: resolve(values.out),
  };
}

async function main() {
  const o = options();
  if (o.help) return console.log(USAGE);
  const overall = performance.now();
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 1e9) },
    node: process.version,
    date: new Date().toISOString(),
  };
  // Sized so the stream has a little more than --events events: a topic per
  // ten, the long tail's rounding drops some replies, deletes and mod actions
  // add ~1.5%.
  const stream =
    o.parts.has("ingest") || o.parts.has("upkeep")
      ? forumWorkload({
          members: Math.max(100, Math.round(o.events / 200)),
          topics: Math.round(o.events / 10),
          replies: Math.round(o.events * 0.95),
        })
      : null;
  if (stream) {
    results.events = stream.messages.length;
    console.log(`ingest workload: ${stream.messages.length} events (seeded)`);
  }

  const byDialect: [Dialect, DialectResult][] = [];
  for (const dialect of o.dialects) {
    const result: DialectResult = {};
    byDialect.push([dialect, result]);
    results[dialect] = result;
    let ingestRun: Awaited<ReturnType<typeof ours>> | null = null;
    if (dialect === "postgresql") result.serverVersion = await serverVersion();
    if (o.parts.has("lifecycle")) {
      console.log(`\n${dialect}: lifecycle (atbb migrate, atbb serve → healthy)…`);
      result.lifecycle = await lifecycle(dialect);
    }
    if (stream && o.parts.has("ingest")) {
      console.log(
        `${dialect}: ingest — naive (first ${NAIVE_SAMPLE} events), ours (${stream.messages.length}), ceiling…`,
      );
      const naiveRun = await naive(dialect, stream, NAIVE_SAMPLE);
      const oursRun = await ours(dialect, stream);
      ingestRun = oursRun;
      const ceilingRun = await ceiling(dialect, stream, oursRun.url);
      result.ingest = {
        ours: Math.round(oursRun.eventsPerSecond),
        naive: Math.round(naiveRun.eventsPerSecond),
        naiveSampledEvents: naiveRun.sampled,
        ceiling: Math.round(ceilingRun.eventsPerSecond),
        oursOverCeiling: +(oursRun.eventsPerSecond / ceilingRun.eventsPerSecond).toFixed(3),
        oursOverNaive: +(oursRun.eventsPerSecond / naiveRun.eventsPerSecond).toFixed(2),
        oursSeconds: +oursRun.seconds.toFixed(1),
        serverPeakRssMb: oursRun.serverPeakRssMb,
        healthLiveDuringIngest: oursRun.healthLiveDuringIngest,
        healthLiveIdle: oursRun.healthLiveIdle,
        boardTopicsDuringIngest: oursRun.boardTopicsDuringIngest,
        boardTopicsIdle: oursRun.boardTopicsIdle,
      };
    }
    if (stream && o.parts.has("upkeep")) {
      console.log(
        `${dialect}: upkeep — ours (${stream.messages.length}) with everything on (unless ingest ran it), then without the search index, then with notifications off…`,
      );
      // The ingest part's run is the one with everything on, when it ran.
      const everythingOn = ingestRun ?? (await ours(dialect, stream));
      const withoutSearchIndex = await ours(dialect, stream, { searchIndex: false });
      const notificationsOff = await ours(dialect, stream, { notifications: false });
      // The share of throughput each costs: 1 − (rate with it) / (rate without it).
      const cost = (without: { eventsPerSecond: number }) =>
        +(1 - everythingOn.eventsPerSecond / without.eventsPerSecond).toFixed(3);
      result.upkeep = {
        everythingOn: Math.round(everythingOn.eventsPerSecond),
        withoutSearchIndex: Math.round(withoutSearchIndex.eventsPerSecond),
        notificationsOff: Math.round(notificationsOff.eventsPerSecond),
        searchIndexCost: cost(withoutSearchIndex),
        notificationsCost: cost(notificationsOff),
      };
    }
    if (o.parts.has("api")) {
      console.log(
        `${dialect}: API — seed ${o.topics} topics / ${o.topics * 10} replies, then autocannon at 1 and 50 connections…`,
      );
      const { url, database } = await migrated(dialect);
      const seed = await seedForum(database, { topics: o.topics, replies: o.topics * 10 });
      const aggregateMismatches = await checkSeed(database);
      await database.close();
      if (aggregateMismatches > 0)
        throw new Error(
          `the seed wrote ${aggregateMismatches} topics whose aggregates differ from a recount: fix seed.ts before trusting API numbers`,
        );
      console.log(`  seeded in ${seed.seconds.toFixed(1)} s; aggregates match a recount`);
      result.api = {
        seed: { ...seed, aggregateMismatches },
        ...(await measureApi(url, seed, { seconds: o.apiSeconds })),
      };
    }
    if (o.parts.has("pages")) {
      console.log(`${dialect}: pages — a topic of 50 replies, in-process, one request after another…`);
      // The pages' .tsx load through the hook that compiles them from sources (as `atbb` does).
      await import("../src/load-hooks.ts");
      const { measurePages } = await import("./pages.ts");
      const { database } = await migrated(dialect);
      try {
        result.pages = await measurePages(database);
      } finally {
        await database.close();
      }
    }
    await cleanUp();
  }
  results.totalSeconds = Math.round((performance.now() - overall) / 1000);

  printTables(byDialect);
  console.log(`\ntotal ${results.totalSeconds} s`);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(results, null, 2));
  console.log(`wrote ${o.out}`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`pnpm bench: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw error;
});
