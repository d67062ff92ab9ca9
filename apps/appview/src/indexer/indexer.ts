// The indexer: validated operations in, batches out. Each batch — its rows and
// the cursor that covers them — is one transaction, so a crash at any point
// leaves the database at a batch boundary and the resumed stream replays what
// was lost. It knows no wire format: sources decode, the event contract
// (src/events/) validates, and every entry here writes validated operations.
import type { DatabaseHandle } from "@atbb/db";
import { ids, roleRefOf, unpublishedFormsOf, type UnpublishedForm } from "@atbb/lexicon";
import { eq, sql } from "drizzle-orm";
import type { Logger } from "../logger.ts";
import {
  validate,
  type Candidate,
  type EventSource,
  type IndexOp,
  type RecordOp,
  type Rejection,
  type SourceEvent,
  type Verdict,
} from "../events/index.ts";
import { collectionIndexers } from "./collections/index.ts";
import { recomputeAggregates } from "./aggregates.ts";
import type { ApplyContext, Transaction } from "./context.ts";
import { applyNotices } from "./notifications.ts";
import type { IndexerStatus } from "./status.ts";
import { waitingReplySweep } from "./orphans.ts";
import { rejectionLog } from "./rejection-log.ts";
import { updateKnownUser } from "./users.ts";
import { describeError, isEventError } from "./write-errors.ts";
import { withoutSuperseded } from "./versions.ts";

export type { IndexerStatus } from "./status.ts";

export interface IndexerOptions {
  database: DatabaseHandle;
  forumDid: string;
  logger: Logger;
  /** Cursor row name (`firehose_cursor.service`). */
  service?: string;
  batchSize?: number;
  batchMaxWaitMs?: number;
  /** While the database refuses writes (disk full, connection lost…): backoff, and how long before run() gives up. */
  retry?: { baseMs?: number; maxMs?: number; giveUpAfterMs?: number };
  /** How long a reply whose root is not a topic of this forum is kept (orphans.ts). */
  waitingReplyRetentionMs?: number;
  /**
   * Run before each live batch, once the previous one has committed: where a
   * thread that indexes applies the local writes waiting for it, so that they
   * wait for one batch at most, never for a whole catch-up.
   */
  betweenBatches?: () => Promise<void>;
  /** Derive members' notifications (NOTIFICATIONS, default on); off, a batch does no notification work. */
  notifications?: boolean;
}

export interface Indexer {
  /** The forum account: the only author of forum-owned records. */
  readonly forumDid: string;
  /** Follows the source until stop(); resolves once the last batch is committed. */
  run(source: EventSource): Promise<void>;
  /**
   * Applies events a source decoded and validated, as one batch: rejections
   * are counted, the batch's cursor is the greatest of theirs. `alongside`
   * writes in the same transaction (backfill's progress row), so the batch
   * and its bookkeeping commit together.
   */
  applyEvents(events: SourceEvent[], alongside?: Alongside): Promise<void>;
  /**
   * Applies validated operations as one batch, with the cursor that covers
   * them (if any); run and applyEvents end here. A batch the database refuses
   * is retried one operation at a time; one it refuses on its own is counted
   * as `database_error` and skipped, so a stream never stalls.
   */
  applyOps(ops: IndexOp[], cursor?: number | null, alongside?: Alongside): Promise<void>;
  /**
   * A record (or delete) the AppView itself has just written to a PDS, so the
   * writer's next read shows it: validated like any network event, then
   * applied in a transaction of its own that leaves the cursor alone (the
   * firehose echo of the write is a harmless replay). A rejection is returned,
   * not counted (it is the writer's error, not the network's); a database
   * error is thrown. Pass `timeUs: Date.now() * 1000`.
   */
  applyLocal(candidate: Candidate): Promise<Verdict>;
  /** Stops reading; the batch in progress commits or rolls back, then run() resolves. */
  stop(): Promise<void>;
  status(): IndexerStatus;
  /** The committed cursor, read from the database. */
  loadCursor(): Promise<number | null>;
}

export type Alongside = (tx: Transaction) => Promise<void>;

const MAX_RUN = 500;

/**
 * Consecutive upserts of one collection that can go in one statement: the
 * collection supports it and no record repeats (a statement cannot touch a
 * row twice).
 */
function runOfUpserts(ops: IndexOp[], start: number): RecordOp[] {
  const first = ops[start];
  if (first?.kind !== "record" || !collectionIndexers[first.collection].upsertMany) return [];
  const run: RecordOp[] = [];
  const keys = new Set<string>();
  for (let i = start; i < ops.length && run.length < MAX_RUN; i++) {
    const op = ops[i]!;
    if (op.kind !== "record" || op.collection !== first.collection || keys.has(`${op.did}/${op.rkey}`)) break;
    keys.add(`${op.did}/${op.rkey}`);
    run.push(op);
  }
  return run;
}

export function createIndexer(options: IndexerOptions): Indexer {
  const { database, forumDid, logger } = options;
  const service = options.service ?? "jetstream";
  const batchSize = options.batchSize ?? 1000;
  const batchMaxWaitMs = options.batchMaxWaitMs ?? 200;
  const notifications = options.notifications ?? true;
  const { firehoseCursor, users } = database.schema;

  let cursor: number | null = null;
  let applied = 0;
  const rejected: Partial<Record<Rejection["reason"], number>> = {};
  const unpublishedForms: Partial<Record<UnpublishedForm, number>> = {};
  let ignoredRoleClaims = 0;
  let source: EventSource | null = null;
  let stopping = false;
  let running: Promise<void> | null = null;
  /** Set while the database refuses the live stream's writes (health reports it). */
  let failing: { since: string; error: string } | null = null;
  let wakeRetry: (() => void) | null = null;
  const retryBaseMs = options.retry?.baseMs ?? 500;
  const retryMaxMs = options.retry?.maxMs ?? 30_000;
  const giveUpAfterMs = options.retry?.giveUpAfterMs ?? 10 * 60_000;

  const logRejection = rejectionLog(logger);
  const sweepWaitingReplies = waitingReplySweep(options.waitingReplyRetentionMs);
  function count(rejection: Rejection) {
    rejected[rejection.reason] = (rejected[rejection.reason] ?? 0) + 1;
    logRejection(rejection);
  }

  /**
   * Which forms the records arriving are in (an operator sees when the older
   * ones stop), and how many memberships claim a role the forum did not grant.
   */
  function countForms(ops: IndexOp[]) {
    for (const op of ops) {
      if (op.kind !== "record") continue;
      if (op.collection === ids.membership && roleRefOf(op.record) !== undefined) ignoredRoleClaims++;
      for (const form of unpublishedFormsOf(op.collection, op.record))
        unpublishedForms[form] = (unpublishedForms[form] ?? 0) + 1;
    }
  }

  async function loadCursor(): Promise<number | null> {
    const [row] = await database.db.select().from(firehoseCursor).where(eq(firehoseCursor.service, service));
    return row?.cursor ?? null;
  }

  async function applyOne(ctx: ApplyContext, op: IndexOp): Promise<void> {
    switch (op.kind) {
      case "record":
        return collectionIndexers[op.collection].upsert(ctx, op as never);
      case "delete":
        return collectionIndexers[op.collection].remove(ctx, op);
      case "identity":
        return updateKnownUser(ctx, op.did, { handleRecheckAt: null });
      case "account":
        return updateKnownUser(ctx, op.did, { accountStatus: op.status });
    }
  }

  async function writeBatch(
    tx: Transaction,
    ops: IndexOp[],
    batchCursor: number | null,
    alongside?: Alongside,
  ): Promise<void> {
    const ctx: ApplyContext = {
      tx,
      schema: database.schema,
      dialect: database.dialect,
      forumDid,
      now: new Date(),
      dirtyTopics: new Set(),
      dirtyBoards: new Set(),
      notices: notifications ? new Map() : null,
    };
    ops = await withoutSuperseded(ctx, ops);
    // Every author is a user, whatever they wrote: one statement for the batch.
    const authors = [...new Set(ops.filter((op) => op.kind === "record").map((op) => op.did))];
    if (authors.length > 0) {
      await tx
        .insert(users)
        .values(authors.map((did) => ({ did, firstSeenAt: ctx.now, updatedAt: ctx.now })))
        .onConflictDoNothing({ target: users.did });
    }
    for (let i = 0; i < ops.length; ) {
      const run = runOfUpserts(ops, i);
      if (run.length > 1) await collectionIndexers[run[0]!.collection].upsertMany!(ctx, run as never);
      else await applyOne(ctx, ops[i]!);
      i += Math.max(1, run.length);
    }
    await recomputeAggregates(ctx);
    await applyNotices(ctx);
    await sweepWaitingReplies(ctx);
    await alongside?.(tx);
    if (batchCursor !== null) {
      await tx
        .insert(firehoseCursor)
        .values({ service, cursor: batchCursor, updatedAt: ctx.now })
        .onConflictDoUpdate({
          target: firehoseCursor.service,
          // Never move backwards (a resumed stream replays ten seconds).
          set: {
            cursor: sql`case when excluded.cursor > ${firehoseCursor.cursor} then excluded.cursor else ${firehoseCursor.cursor} end`,
            updatedAt: ctx.now,
          },
        });
    }
  }

  async function applyOps(ops: IndexOp[], batchCursor: number | null = null, alongside?: Alongside): Promise<void> {
    const bookkeeping = batchCursor !== null || alongside !== undefined;
    try {
      await database.db.transaction((tx) => writeBatch(tx, ops, batchCursor, alongside));
      applied += ops.length;
    } catch (error) {
      // The database's own condition (connection, disk, read-only…): nothing is skipped; the caller retries.
      if (!isEventError(error)) throw error;
      if (ops.length <= 1) {
        // One event the database refuses: skip it (cursor included) rather than stall forever.
        const op = ops[0];
        count({ reason: "database_error", detail: describeError(error), timeUs: op?.timeUs ?? null, did: op?.did });
        if (bookkeeping) await database.db.transaction((tx) => writeBatch(tx, [], batchCursor, alongside));
        return;
      }
      // Find the culprit: apply one at a time, each with its own cursor.
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), size: ops.length },
        "batch failed; retrying event by event",
      );
      // Each on its own, without the cursor: the batch's cursor is written once all are in
      // (a crash in between replays them, harmlessly).
      for (const op of ops) await applyOps([op]);
      if (bookkeeping) await database.db.transaction((tx) => writeBatch(tx, [], batchCursor, alongside));
    }
    if (batchCursor !== null && (cursor === null || batchCursor > cursor)) cursor = batchCursor;
  }

  /** The batch's operations and cursor; rejected events are counted here, once. */
  function sortEvents(events: SourceEvent[]): { ops: IndexOp[]; batchCursor: number | null } {
    const ops: IndexOp[] = [];
    let batchCursor: number | null = null;
    for (const { cursor: eventCursor, verdict } of events) {
      if (eventCursor !== null && (batchCursor === null || eventCursor > batchCursor)) batchCursor = eventCursor;
      if (verdict.ok) ops.push(verdict.op);
      else count(verdict.rejection);
    }
    countForms(ops);
    return { ops, batchCursor };
  }

  async function applyEvents(events: SourceEvent[], alongside?: Alongside): Promise<void> {
    const { ops, batchCursor } = sortEvents(events);
    await applyOps(ops, batchCursor, alongside);
  }

  async function applyLocal(candidate: Candidate): Promise<Verdict> {
    const verdict = validate(candidate, forumDid);
    if (!verdict.ok) return verdict;
    await database.db.transaction((tx) => writeBatch(tx, [verdict.op], null));
    applied++;
    return verdict;
  }

  /**
   * Applies a batch of the live stream, retrying while the database cannot
   * take it (the cursor stays put, so nothing is lost), and giving up — run()
   * rejects, so the process exits and its supervisor restarts it — once that
   * has lasted `giveUpAfterMs`.
   */
  async function applyLive(events: SourceEvent[]): Promise<void> {
    const { ops, batchCursor } = sortEvents(events);
    for (let attempt = 0; ; attempt++) {
      try {
        await applyOps(ops, batchCursor);
        if (failing) logger.info({ failingSince: failing.since }, "the database takes writes again; indexing resumed");
        failing = null;
        return;
      } catch (error) {
        failing ??= { since: new Date().toISOString(), error: describeError(error) };
        failing.error = describeError(error);
        // Stopping: the batch is simply not applied; the cursor did not move, so the next start replays it.
        if (stopping) return;
        if (Date.now() - Date.parse(failing.since) >= giveUpAfterMs) throw error;
        const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** attempt);
        logger.error(
          { err: failing.error, attempt: attempt + 1, retryInMs: delay, cursor },
          "the database refused a batch; retrying it, the cursor unmoved",
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeRetry = null;
      }
    }
  }

  async function run(from: EventSource): Promise<void> {
    source = from;
    cursor = await loadCursor();
    const events = from.events(() => cursor, forumDid)[Symbol.asyncIterator]();
    let next = events.next();
    const timeout = (ms: number) =>
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
    const collect = async (): Promise<SourceEvent[]> => {
      const batch: SourceEvent[] = [];
      const deadline = Date.now() + batchMaxWaitMs;
      while (batch.length < batchSize && !stopping) {
        const result =
          batch.length === 0 ? await next : await Promise.race([next, timeout(Math.max(0, deadline - Date.now()))]);
        if (result === "timeout") break;
        if (result.done) {
          stopping = true;
          break;
        }
        batch.push(result.value);
        next = events.next();
      }
      return batch;
    };
    running = (async () => {
      // The next batch is read and validated while the database writes the
      // previous one; batches still commit one after another, in order.
      let writing: Promise<void> = Promise.resolve();
      while (!stopping) {
        const batch = await collect();
        await writing;
        await options.betweenBatches?.();
        if (batch.length > 0) {
          writing = applyLive(batch);
          // Observed by the next await; until then a failure must not count as unhandled.
          writing.catch(() => {});
        }
      }
      await writing;
    })();
    await running;
  }

  return {
    forumDid,
    run,
    applyEvents,
    applyLocal,
    applyOps: (ops, batchCursor = null, alongside) => {
      countForms(ops);
      return applyOps(ops, batchCursor, alongside);
    },
    loadCursor,
    async stop() {
      stopping = true;
      wakeRetry?.();
      await source?.stop();
      // A run that failed has already said so to whoever awaits run().
      await running?.catch(() => {});
    },
    status: () => ({
      connected: source?.connected ?? false,
      cursor,
      // Only Jetstream's cursor is a time; a firehose seq says nothing of lag.
      lagMs: cursor === null || service !== "jetstream" ? null : Math.max(0, Date.now() - Math.floor(cursor / 1000)),
      applied,
      rejected: { ...rejected },
      unpublishedForms: { ...unpublishedForms },
      ignoredRoleClaims,
      failing: failing && { ...failing },
    }),
  };
}
