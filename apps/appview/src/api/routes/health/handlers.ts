import { appliedMigrations, readMigrations, statusOf, type DatabaseHandle } from "@atbb/db";
import { sql } from "drizzle-orm";
import type { ForumAgentStatus } from "../../../forum-agent/session.ts";
import type { IndexerStatus } from "../../../indexer/status.ts";
import { mount, resource } from "../../resource.ts";
import { backfillState, missingSetup } from "../../setup.ts";
import * as routes from "./routes.ts";

/** Indexing this far behind the network counts as degraded. */
const DEGRADED_LAG_MS = 5 * 60_000;

export interface HealthDeps {
  database: DatabaseHandle;
  indexer?: { status(): IndexerStatus } | undefined;
  forumAgent?: { status(): ForumAgentStatus } | undefined;
  migrationsFolder: string;
  forumDid?: string | null | undefined;
}

async function probeDatabase(database: DatabaseHandle) {
  const started = performance.now();
  const problem = database.fileProblem();
  if (problem !== null) return { status: "down" as const, dialect: database.dialect, latencyMs: null, problem };
  try {
    await database.rows(sql`select 1 as ok`);
    return {
      status: "up" as const,
      dialect: database.dialect,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    };
  } catch {
    return { status: "down" as const, dialect: database.dialect, latencyMs: null };
  }
}

/** What a process without the forum account's session (a test's app, a read replica) reports. */
const NO_FORUM_AGENT: ForumAgentStatus = {
  state: "not_configured",
  reason: "this process does not log in as the forum account",
};

export function healthRoutes({ database, indexer, forumAgent, migrationsFolder, forumDid = null }: HealthDeps) {
  // The journal is part of this build: read it once, not on every probe.
  const migrations = readMigrations(migrationsFolder);
  const app = resource();
  mount(app, routes.health, async (c) => {
    const db = await probeDatabase(database);
    const indexing = indexer?.status() ?? null;
    const backfill = db.status === "up" ? await backfillState(database).catch(() => null) : null;
    const missing =
      db.status === "up" && backfill ? await missingSetup(database, forumDid, backfill).catch(() => []) : [];
    // The indexer cannot write: the database answers reads, but the forum stands still.
    const unhealthy = db.status === "down" || (indexing?.failing ?? null) !== null;
    const status = unhealthy
      ? "unhealthy"
      : (indexing && (!indexing.connected || (indexing.lagMs ?? 0) > DEGRADED_LAG_MS)) ||
          backfill?.status === "failed" ||
          forumAgent?.status().state === "failed"
        ? "degraded"
        : "healthy";
    const body = {
      status,
      database: db,
      indexer: indexing ?? { enabled: false as const },
      backfill,
      forumAgent: forumAgent?.status() ?? NO_FORUM_AGENT,
      missing,
    } as const;
    return unhealthy ? c.json(body, 503) : c.json(body, 200);
  });
  mount(app, routes.live, (c) => c.json({ status: "ok" as const }, 200));
  mount(app, routes.ready, async (c) => {
    const db = await probeDatabase(database);
    if (db.status === "down") return c.json({ status: "not_ready" as const, reason: "database unreachable" }, 503);
    try {
      const status = statusOf(migrations, await appliedMigrations(database));
      if (status.pending.length > 0) {
        return c.json({ status: "not_ready" as const, reason: "migrations pending", pending: status.pending }, 503);
      }
    } catch {
      return c.json({ status: "not_ready" as const, reason: "cannot read migration state" }, 503);
    }
    return c.json({ status: "ready" as const }, 200);
  });
  return app;
}
