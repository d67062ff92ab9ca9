// The API half: the real `atbb serve` in its own process on a seeded
// database, loaded by autocannon in another process, at 1 and 50 connections;
// once with logged-out readers' answers kept in memory (RESPONSE_CACHE=on,
// the default) and once without, beside the limit: Hono answering a fixed
// body (fixed-body.ts) on the same machine.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SeededForum } from "./seed.ts";
import { peakRssMb, startServer, stopServer } from "./atbb-process.ts";

export interface RouteResult {
  route: string;
  path: string;
  /** RESPONSE_CACHE of the server measured; "limit" for the fixed-body server. */
  cache: "on" | "off" | "limit";
  connections: number;
  /** Median of autocannon's per-second samples. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: should be 0. */
  failures: number;
}

export interface ApiResult {
  /** Each route with the cache off, then on, then the fixed-body limit at each connection count. */
  routes: RouteResult[];
  /** The server's peak resident set (VmHWM) after all routes were loaded. */
  serverPeakRssMb: number;
}

const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
/**
 * A route's warm-up before it is timed, at 10 connections. By time, not by
 * count: 200 requests were over in 30 ms once answers came from memory, too
 * soon for the JIT, and the first route timed after the server started ran
 * at half the rate of the same answer timed later.
 */
const WARM_UP_SECONDS = 1;
/**
 * A route whose first answer took longer is timed differently: warmed by that
 * answer alone, then a few requests one after another, and not at 50
 * connections (fifty answers of several seconds each would queue for minutes,
 * and say only that the route is slow).
 */
const SLOW_ROUTE_MS = 1000;
const SLOW_ROUTE_REQUESTS = 3;

/**
 * Resolves once `url` answers, however long that takes. autocannon stops at
 * its deadline, but the requests still queued in the server are answered one
 * after another (SQLite's statements hold its thread): a slow route's backlog
 * would otherwise be timed as the next route's latency. Plain node:http,
 * which has no headers timeout (fetch gives up after 300 s).
 */
function answered(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, (response) => response.resume().once("end", resolve)).once("error", reject);
  });
}

/** A run of `seconds`, or of `requests` requests each waited for however long it takes. */
async function autocannon(
  url: string,
  connections: number,
  run: { seconds: number } | { requests: number },
): Promise<Omit<RouteResult, "route" | "path" | "cache">> {
  const args = [
    autocannonBin,
    "--json",
    "-c",
    String(connections),
    ...("seconds" in run ? ["-d", String(run.seconds)] : ["-a", String(run.requests), "-t", "3600"]),
    url,
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`autocannon exited with ${code} for ${url}`);
  const report = JSON.parse(out) as {
    requests: { p50: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    connections,
    requestsPerSecond: report.requests.p50,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    requests: report.requests.total,
    failures: report.non2xx + report.errors + report.timeouts,
  };
}

export function apiRoutes(forum: SeededForum): { route: string; path: string }[] {
  const { busyBoard, thread } = forum;
  const lastBoardPage = Math.max(0, Math.floor((busyBoard.topics - 1) / 25) * 25);
  const lastThreadPage = Math.max(0, thread.replies - 50);
  return [
    { route: "board topics, first page", path: `/api/boards/${busyBoard.id}/topics` },
    {
      route: `board topics, deep page (offset ${lastBoardPage})`,
      path: `/api/boards/${busyBoard.id}/topics?offset=${lastBoardPage}`,
    },
    { route: `topic of ${thread.replies} replies, first page`, path: `/api/topics/${thread.id}` },
    {
      route: `topic of ${thread.replies} replies, last page`,
      path: `/api/topics/${thread.id}?offset=${lastThreadPage}`,
    },
    { route: "categories", path: "/api/categories" },
    // The seeded replies say "A reply in topic N, with some words to index.":
    // a phrase names one thread's posts, a word is in every reply (ranking
    // and counting all of them is search's worst case).
    // (The measured thread is the seed's topic 1.)
    {
      route: "search, a phrase (the measured thread's posts)",
      path: `/api/search?q=${encodeURIComponent('"topic 1"')}`,
    },
    { route: "search, a word in every reply", path: "/api/search?q=words" },
    { route: "board page (HTML)", path: `/b/${busyBoard.id}` },
    { route: `topic of ${thread.replies} replies, page (HTML)`, path: `/t/${thread.id}` },
  ];
}

async function measureRoutes(
  base: string,
  routes: { route: string; path: string }[],
  cache: RouteResult["cache"],
  seconds: number,
): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  for (const { route, path } of routes) {
    // Every route must answer before it is timed: a fast 404 is not a result.
    const started = performance.now();
    const probe = await fetch(base + path);
    if (!probe.ok) throw new Error(`${path} answered ${probe.status}: ${await probe.text()}`);
    await probe.arrayBuffer();
    const firstMs = performance.now() - started;
    if (firstMs > SLOW_ROUTE_MS) {
      console.log(`  ${route}: the first answer took ${(firstMs / 1000).toFixed(1)} s; timed at 1 connection only`);
      results.push({ route, path, cache, ...(await autocannon(base + path, 1, { requests: SLOW_ROUTE_REQUESTS })) });
      continue;
    }
    await autocannon(base + path, 10, { seconds: WARM_UP_SECONDS }); // warm-up: JIT, caches, pool
    await answered(base + path);
    for (const connections of [1, 50]) {
      results.push({ route, path, cache, ...(await autocannon(base + path, connections, { seconds })) });
      await answered(base + path);
    }
  }
  return results;
}

/** Hono answering `body` and nothing else, in a process of its own: what no route of atbb can beat. */
async function measureLimit(body: Buffer, contentType: string, seconds: number): Promise<RouteResult[]> {
  const file = join(mkdtempSync(join(tmpdir(), "atbb-bench-")), "body");
  writeFileSync(file, body);
  const child = spawn(process.execPath, [join(import.meta.dirname, "fixed-body.ts"), file, contentType], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the fixed-body server exited with ${code}`)));
    });
    const route = `fixed ${(body.byteLength / 1024).toFixed(1)} KB body (Hono)`;
    return await measureRoutes(`http://127.0.0.1:${port}`, [{ route, path: "/" }], "limit", seconds);
  } finally {
    await stopServer(child);
  }
}

export async function measureApi(
  databaseUrl: string,
  forum: SeededForum,
  options: { seconds: number },
): Promise<ApiResult> {
  const routes: RouteResult[] = [];
  let serverPeakRssMb = 0;
  for (const cache of ["off", "on"] as const) {
    const server = await startServer(databaseUrl, { env: { RESPONSE_CACHE: cache } });
    try {
      routes.push(...(await measureRoutes(server.base, apiRoutes(forum), cache, options.seconds)));
      serverPeakRssMb = Math.max(serverPeakRssMb, peakRssMb(server.child.pid!));
    } finally {
      await stopServer(server.child);
    }
  }
  // The limit answers the first route's body, so that both move the same bytes.
  const server = await startServer(databaseUrl);
  const first = await fetch(server.base + apiRoutes(forum)[0]!.path);
  const body = Buffer.from(await first.arrayBuffer());
  await stopServer(server.child);
  routes.push(...(await measureLimit(body, first.headers.get("content-type") ?? "application/json", options.seconds)));
  return { routes, serverPeakRssMb };
}
