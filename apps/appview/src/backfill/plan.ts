// When a backfill is needed, and how a new one starts without losing the
// events that arrive while it runs.
import type { DatabaseHandle } from "@atbb/db";
import { eq, ne, sql } from "drizzle-orm";

/** Why a backfill is needed now, or null when the live stream covers everything. */
export async function backfillReason(
  database: DatabaseHandle,
  service: string,
  maxAgeHours: number,
): Promise<string | null> {
  const { backfillProgress, firehoseCursor } = database.schema;
  const [unfinished] = await database.db
    .select({ n: sql<number>`count(*)` })
    .from(backfillProgress)
    .where(ne(backfillProgress.status, "done"));
  if (Number(unfinished?.n ?? 0) > 0) return "an earlier backfill did not finish";
  const [row] = await database.db.select().from(firehoseCursor).where(eq(firehoseCursor.service, service));
  if (!row) return `no ${service} cursor yet (a fresh database)`;
  const ageHours = (Date.now() - row.updatedAt.getTime()) / 3_600_000;
  if (ageHours > maxAgeHours)
    return `the ${service} cursor is ${ageHours.toFixed(1)} h old (more than ${maxAgeHours} h)`;
  return null;
}

/**
 * Begins a backfill: unless an interrupted one is being resumed, forgets the
 * previous run's progress and sets the live cursor to `resumeFrom`, a point
 * taken *before* any repository is read. Live indexing then replays from
 * there, so whatever changed during the backfill is applied after it, in order.
 */
export async function beginBackfill(
  database: DatabaseHandle,
  service: string,
  resumeFrom: number | null,
): Promise<"new" | "resumed"> {
  const { backfillProgress, firehoseCursor } = database.schema;
  const [unfinished] = await database.db
    .select({ n: sql<number>`count(*)` })
    .from(backfillProgress)
    .where(ne(backfillProgress.status, "done"));
  if (Number(unfinished?.n ?? 0) > 0) return "resumed";
  const now = new Date();
  await database.db.transaction(async (tx) => {
    await tx.delete(backfillProgress);
    if (resumeFrom !== null) {
      await tx
        .insert(firehoseCursor)
        .values({ service, cursor: resumeFrom, updatedAt: now })
        .onConflictDoUpdate({ target: firehoseCursor.service, set: { cursor: resumeFrom, updatedAt: now } });
    }
  });
  return "new";
}
