// What an operator still has to do, or wait for, before the forum shows:
// /api/health says it, and `atbb status` says the backfill part.
import type { DatabaseHandle } from "@atbb/db";
import { eq, sql } from "drizzle-orm";

export interface BackfillState {
  /** never: no backfill ran; done: every collection read; running: some unfinished; failed: some could not be read. */
  status: "never" | "done" | "running" | "failed";
  done: number;
  running: number;
  failed: number;
  /** Rows in backfill_errors (unreadable repositories and rejected records). */
  errors: number;
}

export async function backfillState(database: DatabaseHandle): Promise<BackfillState> {
  const { backfillProgress, backfillErrors } = database.schema;
  const rows = await database.db
    .select({ status: backfillProgress.status, n: sql<number>`count(*)` })
    .from(backfillProgress)
    .groupBy(backfillProgress.status);
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const done = count("done");
  const failed = count("failed");
  const running = rows.reduce((sum, r) => sum + Number(r.n), 0) - done - failed;
  const [errors] = await database.db.select({ n: sql<number>`count(*)` }).from(backfillErrors);
  return {
    status: failed > 0 ? "failed" : running > 0 ? "running" : done > 0 ? "done" : "never",
    done,
    running,
    failed,
    errors: Number(errors?.n ?? 0),
  };
}

/**
 * What keeps the forum from showing, each said as what to do; empty when
 * nothing does. An empty forum otherwise looks healthy and answers "not found".
 */
export async function missingSetup(
  database: DatabaseHandle,
  forumDid: string | null,
  backfill: BackfillState,
): Promise<string[]> {
  if (!forumDid) {
    return [
      "FORUM_DID is not set: nothing is indexed and the forum is empty. Set FORUM_DID to the forum account's DID and restart.",
    ];
  }
  const missing: string[] = [];
  const { forums } = database.schema;
  const [forum] = await database.db.select({ id: forums.id }).from(forums).where(eq(forums.did, forumDid)).limit(1);
  if (!forum) {
    missing.push(
      `The forum record of ${forumDid} (space.atbb.forum.forum) is not indexed yet: it arrives with the backfill or the first live event. ` +
        "If it never does, check that FORUM_DID is right and that the account has published its forum.",
    );
  }
  if (backfill.status === "failed") {
    missing.push(
      `The backfill failed for ${backfill.failed} collection(s); it is retried. \`atbb backfill --errors\` says what could not be reached.`,
    );
  } else if (backfill.status === "running") {
    missing.push(`The backfill has ${backfill.running} collection(s) still to read: records are arriving.`);
  }
  return missing;
}
