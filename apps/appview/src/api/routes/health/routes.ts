import { createRoute } from "@hono/zod-openapi";
import { Health, Live, NotReady, Ready } from "../../bodies/health.ts";
import { answer } from "../../resource.ts";

export const health = createRoute({
  method: "get",
  path: "/",
  summary:
    "Overall health: database (a real query), indexer (connected, cursor, lag, counters), backfill, and what keeps the forum empty (`missing`, as what to do)",
  responses: {
    200: answer(
      "Healthy, or degraded (the indexer is disconnected or lags more than five minutes, or the backfill failed)",
      Health,
    ),
    503: answer(
      "Unhealthy: the database is unreachable or its file is gone, or it refuses the indexer's writes",
      Health,
    ),
  },
});

export const live = createRoute({
  method: "get",
  path: "/live",
  summary: "Liveness: the process answers",
  responses: { 200: answer("The process answers", Live) },
});

export const ready = createRoute({
  method: "get",
  path: "/ready",
  summary: "Readiness: database reachable and migrations at head",
  responses: {
    200: answer("Ready to serve", Ready),
    503: answer("Not ready: the database is unreachable, or migrations are pending or unreadable", NotReady),
  },
});
