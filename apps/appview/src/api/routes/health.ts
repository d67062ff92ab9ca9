import { appliedMigrations, readMigrations, statusOf, type DatabaseHandle } from "@atbb/db";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { IndexerStatus } from "../../indexer/status.ts";
import { backfillState, missingSetup } from "../setup.ts";
import { documented } from "../validation.ts";

/** Indexing this far behind the network counts as degraded. */
const DEGRADED_LAG_MS = 5 * 60_000;

export interface HealthDeps {
  database: DatabaseHandle;
  indexer?: { status(): IndexerStatus } | undefined;
  migrationsFolder: string;
  forumDid?: string | null | undefined;
}

async function probeDatabase(database: DatabaseHandle) {
  const started = performance.now();
  try {
    await database.rows(sql`select 1 as ok`);
    return { status: "up" as const, dialect: database.dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { status: "down" as const, dialect: database.dialect, latencyMs: null };
  }
}

documented({ method: "get", path: "/api/health", summary: "Overall health: database (a real query) and indexer" });
documented({ method: "get", path: "/api/health/live", summary: "Liveness: the process answers" });
documented({ method: "get", path: "/api/health/ready", summary: "Readiness: database reachable and migrations at head" });

export function healthRoutes({ database, indexer, migrationsFolder, forumDid = null }: HealthDeps) {
  // The journal is part of this build: read it once, not on every probe.
  const migrations = readMigrations(migrationsFolder);
  return new Hono()
    .get("/", async (c) => {
      const db = await probeDatabase(database);
      const indexing = indexer?.status() ?? null;
      const backfill = db.status === "up" ? await backfillState(database).catch(() => null) : null;
      const missing = db.status === "up" && backfill ? await missingSetup(database, forumDid, backfill).catch(() => []) : [];
      const status =
        db.status === "down"
          ? "unhealthy"
          : (indexing && (!indexing.connected || (indexing.lagMs ?? 0) > DEGRADED_LAG_MS)) || backfill?.status === "failed"
            ? "degraded"
            : "healthy";
      return c.json({ status, database: db, indexer: indexing ?? { enabled: false }, backfill, missing }, db.status === "down" ? 503 : 200);
    })
    .get("/live", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      const db = await probeDatabase(database);
      if (db.status === "down") return c.json({ status: "not_ready", reason: "database unreachable" }, 503);
      try {
        const status = statusOf(migrations, await appliedMigrations(database));
        if (status.pending.length > 0) {
          return c.json({ status: "not_ready", reason: "migrations pending", pending: status.pending }, 503);
        }
      } catch {
        return c.json({ status: "not_ready", reason: "cannot read migration state" }, 503);
      }
      return c.json({ status: "ready" });
    });
}
