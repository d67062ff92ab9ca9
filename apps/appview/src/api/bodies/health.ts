// What the health probes answer.
import { z } from "@hono/zod-openapi";

const DatabaseProbe = z.strictObject({
  status: z.enum(["up", "down"]),
  dialect: z.enum(["postgresql", "sqlite"]),
  latencyMs: z.number().nullable().describe("Round trip of a real query; null when it failed"),
  problem: z
    .string()
    .optional()
    .describe("Why the database is down when no query could say: its SQLite file was deleted or replaced"),
});

const Indexing = z.union([
  z.strictObject({
    connected: z.boolean(),
    cursor: z.number().int().nullable().describe("The last committed cursor (time_us), null before the first batch"),
    lagMs: z.number().nullable(),
    applied: z.number().int(),
    rejected: z.record(z.string(), z.number().int()).describe("Rejected events by reason"),
    unpublishedForms: z
      .record(z.string(), z.number().int())
      .describe("Records accepted in a form atBB does not publish (flat references, short action verbs…), by form"),
    ignoredRoleClaims: z
      .number()
      .int()
      .describe(
        "Memberships accepted that name a role: the member's own claim, ignored (a role comes from the forum's grant)",
      ),
    failing: z
      .strictObject({ since: z.string(), error: z.string() })
      .nullable()
      .describe(
        "Since when, and why, the database refuses the stream's writes (retried, nothing skipped); null while they go in",
      ),
  }),
  z.strictObject({ enabled: z.literal(false) }).describe("This process does not index"),
]);

const Backfill = z
  .strictObject({
    status: z.enum(["never", "done", "running", "failed"]),
    done: z.number().int(),
    running: z.number().int(),
    failed: z.number().int().describe("Collections that could not be read (retried)"),
    errors: z.number().int().describe("Rows in backfill_errors: `atbb backfill --errors` lists them"),
  })
  .nullable()
  .describe("The backfill's progress; null when the database could not be asked");

const ForumAgent = z
  .discriminatedUnion("state", [
    z.strictObject({ state: z.literal("not_configured"), reason: z.string() }),
    z.strictObject({
      state: z.literal("authenticated"),
      did: z.string(),
      handle: z.string(),
      pds: z.string(),
      since: z.string(),
    }),
    z.strictObject({
      state: z.literal("retrying"),
      reason: z.string(),
      attempt: z.number().int(),
      nextAttemptAt: z.string(),
    }),
    z.strictObject({
      state: z.literal("failed"),
      reason: z.string().describe("Why it gave up, e.g. the PDS refused the app password; fix it and restart"),
    }),
  ])
  .describe("The forum account's session on its PDS: what it needs to write structure, grants and moderation");

export const Health = z
  .strictObject({
    status: z.enum(["healthy", "degraded", "unhealthy"]),
    database: DatabaseProbe,
    indexer: Indexing,
    backfill: Backfill,
    forumAgent: ForumAgent,
    missing: z
      .array(z.string())
      .describe("What keeps the forum from showing, each said as what to do; empty when nothing does"),
  })
  .openapi("Health");

export const Live = z.strictObject({ status: z.literal("ok") });

export const Ready = z.strictObject({ status: z.literal("ready") });

export const NotReady = z.strictObject({
  status: z.literal("not_ready"),
  reason: z.string(),
  pending: z.array(z.string()).optional().describe("Migrations not yet applied"),
});
