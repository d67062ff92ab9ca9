// Handles, verified both ways: the DID document names the handle, and the
// handle resolves back to the DID. Nothing else is trusted — not the handle an
// identity event carries, which anyone's relay may have made up.
//
// The users table is the cache and the queue: `handle_recheck_at` says when a
// user's handle is next verified (NULL: now — a new user, or an identity event
// said it changed). A keeper, running beside the indexer, takes users that are
// due, verifies them a few at a time, and sets the next date: a day for a
// verified handle, sooner after a failure.
import type { DatabaseHandle } from "@atbb/db";
import { getHandle } from "@atproto/identity";
import { isValidHandle } from "@atproto/syntax";
import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Identity } from "./identity.ts";
import type { Logger } from "./logger.ts";

export type HandleCheck =
  | { kind: "verified"; handle: string }
  /** No DID document, no handle in it, or a handle that points elsewhere: the user shows by DID. */
  | { kind: "unverified"; reason: string }
  /** The PLC directory (or did:web host) could not be asked: the last known handle stands. */
  | { kind: "unreachable"; reason: string };

/** Verifies `did`'s handle, bypassing cached DID documents (a recheck is a request to look again). */
export async function checkHandle(identity: Identity, did: string): Promise<HandleCheck> {
  let document: Awaited<ReturnType<Identity["did"]["resolve"]>>;
  try {
    document = await identity.did.resolve(did, true);
  } catch (error) {
    return { kind: "unreachable", reason: error instanceof Error ? error.message : String(error) };
  }
  if (!document) return { kind: "unverified", reason: "no DID document" };
  const claimed = getHandle(document);
  if (claimed === undefined || !isValidHandle(claimed))
    return { kind: "unverified", reason: "the DID document names no valid handle" };
  const handle = claimed.toLowerCase();
  let resolved: string | null;
  try {
    resolved = await identity.resolveHandle(handle);
  } catch (error) {
    return { kind: "unreachable", reason: error instanceof Error ? error.message : String(error) };
  }
  if (resolved !== did) return { kind: "unverified", reason: `${handle} resolves to ${resolved ?? "nothing"}` };
  return { kind: "verified", handle };
}

export interface HandleKeeperOptions {
  database: DatabaseHandle;
  identity: Identity;
  logger: Logger;
  /** How long a verified handle stands. */
  recheckMs: number;
  /** Users verified at once. */
  concurrency?: number;
  /** Pause between rounds when nobody is due. */
  idleMs?: number;
}

const RETRY_UNVERIFIED_MS = 60 * 60_000;
const RETRY_UNREACHABLE_MS = 5 * 60_000;
const ROUND = 50;

export interface HandleKeeper {
  /** Verifies every user due now; resolves with how many were checked. */
  round(): Promise<number>;
  /**
   * Rounds until nobody is due or `withinMs` has passed (a check in flight
   * is let finish): for a process that creates users and then exits, such
   * as `atbb backfill`. Resolves with how many were checked.
   */
  verifyDue(withinMs: number): Promise<number>;
  /** Runs rounds until stop(). */
  start(): void;
  stop(): Promise<void>;
}

export function createHandleKeeper(options: HandleKeeperOptions): HandleKeeper {
  const { database, identity, logger, recheckMs } = options;
  const { db, schema } = database;
  const { users } = schema;
  const concurrency = options.concurrency ?? 4;
  const idleMs = options.idleMs ?? 5_000;
  let stopping = false;
  let running: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function verify(did: string, dueAt: Date | null): Promise<void> {
    const check = await checkHandle(identity, did);
    const now = Date.now();
    const fields =
      check.kind === "verified"
        ? { handle: check.handle, handleRecheckAt: new Date(now + recheckMs) }
        : check.kind === "unverified"
          ? { handle: null, handleRecheckAt: new Date(now + RETRY_UNVERIFIED_MS) }
          : { handleRecheckAt: new Date(now + RETRY_UNREACHABLE_MS) };
    if (check.kind !== "verified") logger.debug({ did, ...check }, "handle not verified");
    // Only if no identity event asked again meanwhile (it resets the date to NULL).
    const unchanged = dueAt === null ? isNull(users.handleRecheckAt) : eq(users.handleRecheckAt, dueAt);
    await db.transaction(async (tx) => {
      await tx
        .update(users)
        .set(fields)
        .where(and(eq(users.did, did), unchanged));
    });
  }

  async function round(until = Number.POSITIVE_INFINITY): Promise<number> {
    const due = await db
      .select({ did: users.did, dueAt: users.handleRecheckAt })
      .from(users)
      .where(or(isNull(users.handleRecheckAt), lte(users.handleRecheckAt, new Date())))
      .orderBy(sql`${users.handleRecheckAt} is not null`, asc(users.handleRecheckAt))
      .limit(ROUND);
    let next = 0;
    const worker = async () => {
      while (next < due.length && !stopping && Date.now() < until) {
        const { did, dueAt } = due[next++]!;
        try {
          await verify(did, dueAt);
        } catch (error) {
          logger.warn({ did, err: error instanceof Error ? error.message : String(error) }, "handle check failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return Math.min(next, due.length);
  }

  return {
    round: () => round(),
    async verifyDue(withinMs) {
      const until = Date.now() + withinMs;
      let checked = 0;
      // A user whose check fails is due again only minutes later, so each round takes new ones.
      for (let n = ROUND; n === ROUND && Date.now() < until && !stopping; ) {
        n = await round(until);
        checked += n;
      }
      return checked;
    },
    start() {
      running = (async () => {
        while (!stopping) {
          const checked = await round().catch((error: unknown) => {
            logger.warn({ err: error instanceof Error ? error.message : String(error) }, "handle round failed");
            return 0;
          });
          if (checked === ROUND || stopping) continue;
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, idleMs).unref();
          });
        }
      })();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
