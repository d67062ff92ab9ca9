// The API half: the real `atbb serve` in its own process on a seeded
// database, loaded by autocannon in another process, at 1 and 50 connections.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { SeededForum } from "./seed.ts";
import { peakRssMb, startServer, stopServer } from "./atbb-process.ts";

export interface RouteResult {
  route: string;
  path: string;
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
  routes: RouteResult[];
  /** The server's peak resident set (VmHWM) after all routes were loaded. */
  serverPeakRssMb: number;
}

const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

async function autocannon(
  url: string,
  connections: number,
  seconds: number,
): Promise<Omit<RouteResult, "route" | "path">> {
  const args = [
    autocannonBin,
    "--json",
    "-c",
    String(connections),
    ...(seconds > 0 ? ["-d", String(seconds)] : ["-a", "200"]),
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
  ];
}

export async function measureApi(
  databaseUrl: string,
  forum: SeededForum,
  options: { seconds: number },
): Promise<ApiResult> {
  const server = await startServer(databaseUrl);
  try {
    const routes: RouteResult[] = [];
    for (const { route, path } of apiRoutes(forum)) {
      // Every route must answer before it is timed: a fast 404 is not a result.
      const probe = await fetch(server.base + path);
      if (!probe.ok) throw new Error(`${path} answered ${probe.status}: ${await probe.text()}`);
      await autocannon(server.base + path, 10, 0); // warm-up: JIT, caches, pool
      for (const connections of [1, 50]) {
        routes.push({ route, path, ...(await autocannon(server.base + path, connections, options.seconds)) });
      }
    }
    return { routes, serverPeakRssMb: peakRssMb(server.child.pid!) };
  } finally {
    await stopServer(server.child);
  }
}
