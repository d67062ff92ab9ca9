// Ingest, three ways over the same stream: ours (the real path — `atbb serve`
// in its own process following a WebSocket Jetstream on loopback →
// validation → batched transactions with the cursor), naive (naive.ts: one
// transaction and cursor write per event, an ORM upsert per record, the seed
// plans' way) and ceiling (the same
// final rows, the notifications ours derives included, multi-row inserts in
// one transaction, same driver).
import { createDb, type Dialect } from "@atbb/db";
import type { IndexerStatus } from "../src/indexer/status.ts";
import { createIndexer } from "../src/indexer/indexer.ts";
import { silentLogger } from "../src/logger.ts";
import { FakeJetstream } from "../test/support/jetstream-server.ts";
import { finalCursor } from "../test/support/run-indexer.ts";
import { peakRssMb, startServer, stopServer } from "./atbb-process.ts";
import { dropSearchIndex, migrated } from "./databases.ts";
import { naiveIndexer } from "./naive.ts";

export interface Stream {
  forumDid: string;
  messages: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** p50/p99/max of request times, in ms. */
export interface Latency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Asks `url` one request after another until `stop` is set, each timed: how
 * long a reader waits on the serving process while it indexes.
 */
async function probeLatency(url: string, stop: { done: boolean }): Promise<Latency> {
  const times: number[] = [];
  while (!stop.done) {
    const started = performance.now();
    await (await fetch(url)).arrayBuffer();
    times.push(performance.now() - started);
    await sleep(5);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => +(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
  return { requests: times.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: +(times.at(-1) ?? 0).toFixed(1) };
}

/** The same probe on an idle server, for `ms`. */
async function probeIdle(url: string, ms: number): Promise<Latency> {
  const stop = { done: false };
  const probing = probeLatency(url, stop);
  await sleep(ms);
  stop.done = true;
  return probing;
}

/** The first board the stream creates, once the indexer has committed it. */
async function firstBoard(url: string, stop: { done: boolean }): Promise<string | null> {
  const observer = await createDb(url, { create: false });
  try {
    while (!stop.done) {
      const [board] = await observer.db.select({ id: observer.schema.boards.id }).from(observer.schema.boards).limit(1);
      if (board) return String(board.id);
      await sleep(20);
    }
    return null;
  } finally {
    await observer.close();
  }
}

/** What an ingest run leaves out, for what keeping it costs (the upkeep part): everything is kept by default. */
export interface Upkeep {
  /** false: the search index is dropped first. */
  searchIndex?: boolean;
  /** false: served with NOTIFICATIONS=off. */
  notifications?: boolean;
}

/**
 * Timed from the indexer's connection to the committed cursor covering the
 * stream; the database is left for ceiling().
 */
export async function ours(dialect: Dialect, stream: Stream, upkeep: Upkeep = {}) {
  const { url, database } = await migrated(dialect);
  if (upkeep.searchIndex === false) await dropSearchIndex(database);
  await database.close();
  const jetstream = await FakeJetstream.start(stream.messages);
  const server = await startServer(url, {
    indexer: { forumDid: stream.forumDid, jetstreamUrl: jetstream.url },
    env: upkeep.notifications === false ? { NOTIFICATIONS: "off" } : {},
  });
  try {
    while (jetstream.requests.length === 0) await sleep(1);
    const started = performance.now();
    const probing = { done: false };
    const live = probeLatency(`${server.base}/api/health/live`, probing);
    // A read route that reads the database: the board topics' first page, from when the board exists.
    const boardId = firstBoard(url, probing);
    const topics = boardId.then((id) =>
      id === null ? null : probeLatency(`${server.base}/api/boards/${id}/topics`, probing),
    );
    const target = finalCursor(stream.messages);
    for (;;) {
      const { indexer } = (await (await fetch(`${server.base}/api/health`)).json()) as { indexer: IndexerStatus };
      if ((indexer.cursor ?? 0) >= target) break;
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    probing.done = true;
    const serverPeakRssMb = peakRssMb(server.child.pid!);
    const healthLiveDuringIngest = await live;
    const boardTopicsDuringIngest = await topics;
    const id = await boardId;
    const idleMs = Math.max(2_000, Math.min(10_000, seconds * 1000));
    return {
      url,
      eventsPerSecond: stream.messages.length / seconds,
      seconds,
      serverPeakRssMb,
      healthLiveDuringIngest,
      healthLiveIdle: await probeIdle(`${server.base}/api/health/live`, idleMs),
      boardTopicsDuringIngest,
      boardTopicsIdle: id === null ? null : await probeIdle(`${server.base}/api/boards/${id}/topics`, idleMs),
    };
  } finally {
    await stopServer(server.child);
    await jetstream.stop();
  }
}

export async function naive(dialect: Dialect, stream: Stream, sampled: number) {
  const { database } = await migrated(dialect);
  const indexer = naiveIndexer(
    database,
    stream.forumDid,
    createIndexer({ database, forumDid: stream.forumDid, logger: silentLogger }),
  );
  const sample = stream.messages.slice(0, Math.min(stream.messages.length, sampled));
  const started = performance.now();
  for (const message of sample) await indexer.apply(message);
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return { eventsPerSecond: sample.length / seconds, seconds, sampled: sample.length };
}

/** Copies what ours() wrote at `sourceUrl` into a fresh database. */
export async function ceiling(dialect: Dialect, stream: Stream, sourceUrl: string) {
  const { database } = await migrated(dialect);
  const source = await createDb(sourceUrl);
  const { schema } = source;
  const tables = [
    schema.forums,
    schema.categories,
    schema.boards,
    schema.roles,
    schema.rolePermissions,
    schema.users,
    schema.roleGrants,
    schema.memberships,
    schema.posts,
    schema.modActions,
    schema.notifications,
  ] as const;
  // In id order, so every row's references are already written.
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.id ?? 0) - Number(b.id ?? 0);
  const rows = await Promise.all(
    tables.map(async (table) =>
      ((await source.db.select().from(table as never)) as Record<string, unknown>[]).sort(byId),
    ),
  );
  await source.close();
  const started = performance.now();
  await database.db.transaction(async (tx) => {
    for (const [i, table] of tables.entries()) {
      const all = rows[i]!;
      const width = Math.max(1, Object.keys(all[0] ?? { a: 1 }).length);
      const chunk = Math.floor(30_000 / width);
      for (let k = 0; k < all.length; k += chunk)
        await tx.insert(table as never).values(all.slice(k, k + chunk) as never);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return { eventsPerSecond: stream.messages.length / seconds, seconds };
}
