// The bench's results as the markdown tables docs/performance.md holds.
import type { Dialect } from "@atbb/db";
import type { ApiResult } from "./api.ts";
import type { Latency } from "./ingest.ts";
import type { LifecycleResult } from "./lifecycle.ts";
import type { PagesResult } from "./pages.ts";
import type { SeededForum } from "./seed.ts";

export interface DialectResult {
  serverVersion?: string;
  lifecycle?: LifecycleResult;
  ingest?: {
    ours: number;
    naive: number;
    naiveSampledEvents: number;
    ceiling: number;
    oursOverCeiling: number;
    oursOverNaive: number;
    oursSeconds: number;
    serverPeakRssMb: number;
    /** GET /api/health/live asked one request after another while `ours` ingests, and on the idle server after. */
    healthLiveDuringIngest: Latency;
    healthLiveIdle: Latency;
    /** The first board's topics, first page, likewise (null if the stream made no board). */
    boardTopicsDuringIngest: Latency | null;
    boardTopicsIdle: Latency | null;
  };
  /**
   * Ingest (ours, ev/s) with everything on, without the search index, and with
   * notifications off; each cost is the share of throughput keeping that costs.
   */
  upkeep?: {
    everythingOn: number;
    withoutSearchIndex: number;
    notificationsOff: number;
    searchIndexCost: number;
    notificationsCost: number;
  };
  api?: ApiResult & { seed: SeededForum & { aggregateMismatches: number } };
  pages?: PagesResult;
}

const n = (x: number) => x.toLocaleString("en-US");

function table(head: string[], rows: (string | number)[][]): void {
  console.log(`\n| ${head.join(" | ")} |\n| ${head.map(() => "---").join(" | ")} |`);
  for (const row of rows)
    console.log(`| ${row.map((cell) => (typeof cell === "number" ? n(cell) : cell)).join(" | ")} |`);
}

export function printTables(results: [Dialect, DialectResult][]): void {
  const withPages = results.filter(([, r]) => r.pages);
  if (withPages.length > 0) {
    table(
      ["dialect", "topic page of 50 replies, as", "p50 ms", "p99 ms", "mean ms", "CSS+JS gzip (bytes)"],
      withPages.flatMap(([d, { pages: p }]) =>
        (["reader", "member"] as const).map((who) => [
          d,
          who,
          p![who].p50Ms,
          p![who].p99Ms,
          p![who].meanMs,
          p!.cssAndJsGzipBytes,
        ]),
      ),
    );
  }
  const withLifecycle = results.filter(([, r]) => r.lifecycle);
  if (withLifecycle.length > 0) {
    table(
      ["dialect", "atbb migrate, fresh (ms)", "of which migrations (ms)", "atbb serve → healthy (ms)"],
      withLifecycle.map(([d, { lifecycle: l }]) => [d, l!.freshMigrateMs, l!.migrationsMs, l!.serveReadyMs]),
    );
  }
  const withIngest = results.filter(([, r]) => r.ingest);
  if (withIngest.length > 0) {
    table(
      [
        "dialect",
        "ours ev/s",
        "naive ev/s",
        "ceiling ev/s",
        "ours/ceiling",
        "ours/naive",
        "ours: seconds",
        "serve peak RSS (MB)",
      ],
      withIngest.map(([d, { ingest: i }]) => [
        d,
        i!.ours,
        i!.naive,
        i!.ceiling,
        i!.oursOverCeiling.toFixed(3),
        i!.oursOverNaive.toFixed(2),
        i!.oursSeconds,
        i!.serverPeakRssMb,
      ]),
    );
    table(
      [
        "dialect",
        "route",
        "during ingest: requests",
        "p50 ms",
        "p99 ms",
        "max ms",
        "idle: p99 ms",
        "p99 during / idle",
      ],
      withIngest.flatMap(([d, { ingest: i }]) =>
        (
          [
            ["/api/health/live", i!.healthLiveDuringIngest, i!.healthLiveIdle],
            ["board topics, first page", i!.boardTopicsDuringIngest, i!.boardTopicsIdle],
          ] as const
        ).map(([route, during, idle]) => [
          d,
          route,
          during?.requests ?? "—",
          during?.p50Ms ?? "—",
          during?.p99Ms ?? "—",
          during?.maxMs ?? "—",
          idle?.p99Ms ?? "—",
          during && idle ? (during.p99Ms / Math.max(idle.p99Ms, 0.1)).toFixed(1) : "—",
        ]),
      ),
    );
  }
  const withUpkeep = results.filter(([, r]) => r.upkeep);
  if (withUpkeep.length > 0) {
    table(
      [
        "dialect",
        "ingest, everything on (ev/s)",
        "without the search index (ev/s)",
        "notifications off (ev/s)",
        "cost of the search index",
        "cost of notifications",
      ],
      withUpkeep.map(([d, { upkeep: u }]) => [
        d,
        u!.everythingOn,
        u!.withoutSearchIndex,
        u!.notificationsOff,
        `${(u!.searchIndexCost * 100).toFixed(1)} %`,
        `${(u!.notificationsCost * 100).toFixed(1)} %`,
      ]),
    );
  }
  const withApi = results.filter(([, r]) => r.api);
  if (withApi.length > 0) {
    // Each route beside the fixed-body limit at the same connection count: req/s as a share of its, p99 as a multiple.
    table(
      [
        "dialect",
        "route",
        "cache",
        "connections",
        "req/s",
        "p50 ms",
        "p99 ms",
        "failures",
        "× limit req/s",
        "× limit p99",
      ],
      withApi.flatMap(([d, { api }]) =>
        api!.routes.map((x) => {
          const limit = api!.routes.find((l) => l.cache === "limit" && l.connections === x.connections);
          return [
            d,
            x.route,
            x.cache,
            x.connections,
            x.requestsPerSecond,
            x.p50Ms,
            x.p99Ms,
            x.failures,
            limit ? (x.requestsPerSecond / limit.requestsPerSecond).toFixed(2) : "—",
            limit ? (x.p99Ms / Math.max(limit.p99Ms, 1)).toFixed(1) : "—",
          ];
        }),
      ),
    );
    console.log("");
    for (const [d, { api }] of withApi) {
      const s = api!.seed;
      console.log(
        `${d}: seeded ${n(s.topics)} topics / ${n(s.replies)} replies / ${n(s.members)} members in ${s.seconds.toFixed(1)} s ` +
          `(busiest board ${n(s.busyBoard.topics)} topics, measured thread ${n(s.thread.replies)} replies); serve peak RSS under load ${api!.serverPeakRssMb} MB`,
      );
    }
  }
}
