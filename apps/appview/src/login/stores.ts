// Where the OAuth client keeps what it needs between requests: pending
// authorizations (state) and sessions (tokens, DPoP key), in the database so
// that they survive restarts and are shared by every `atbb serve` on one
// PostgreSQL. Values are sealed: they hold refresh tokens and private keys.
import type { DatabaseHandle } from "@atbb/db";
import { requestLocalLock, type NodeSavedSession, type NodeSavedSessionStore, type NodeSavedState, type NodeSavedStateStore, type RuntimeLock } from "@atproto/oauth-client-node";
import { eq, lt, sql } from "drizzle-orm";
import type { Sealer } from "./secrets.ts";

/** An authorization not completed within this long is abandoned (the authorization server's own codes live minutes). */
const STATE_LIFETIME_MS = 60 * 60_000;

export function stateStore({ db, schema }: DatabaseHandle, sealer: Sealer): NodeSavedStateStore {
  const { oauthStates } = schema;
  return {
    async get(key) {
      const [row] = await db.select().from(oauthStates).where(eq(oauthStates.key, key));
      if (!row || row.createdAt.getTime() < Date.now() - STATE_LIFETIME_MS) return undefined;
      return JSON.parse(sealer.open(row.value)) as NodeSavedState;
    },
    async set(key, value) {
      const now = new Date();
      // Abandoned authorizations would pile up: each new one clears the stale.
      await db.delete(oauthStates).where(lt(oauthStates.createdAt, new Date(now.getTime() - STATE_LIFETIME_MS)));
      const sealed = sealer.seal(JSON.stringify(value));
      await db.insert(oauthStates).values({ key, value: sealed, createdAt: now }).onConflictDoUpdate({ target: oauthStates.key, set: { value: sealed, createdAt: now } });
    },
    async del(key) {
      await db.delete(oauthStates).where(eq(oauthStates.key, key));
    },
  };
}

export function sessionStore({ db, schema }: DatabaseHandle, sealer: Sealer): NodeSavedSessionStore {
  const { oauthSessions } = schema;
  return {
    async get(did) {
      const [row] = await db.select().from(oauthSessions).where(eq(oauthSessions.did, did));
      return row ? (JSON.parse(sealer.open(row.value)) as NodeSavedSession) : undefined;
    },
    async set(did, value) {
      const now = new Date();
      const sealed = sealer.seal(JSON.stringify(value));
      await db.insert(oauthSessions).values({ did, value: sealed, updatedAt: now }).onConflictDoUpdate({ target: oauthSessions.did, set: { value: sealed, updatedAt: now } });
    },
    async del(did) {
      await db.delete(oauthSessions).where(eq(oauthSessions.did, did));
    },
  };
}

/** The two-key advisory lock space of members' token refreshes ("logi"), apart from the migration and indexer locks. */
const REFRESH_LOCK_CLASS = 0x6c6f6769;

/**
 * Serialises token refreshes. A refresh token is good for one use: two
 * processes refreshing one session at once would leave one of them with a
 * revoked token and the member logged out. On PostgreSQL the lock is a
 * transaction-scoped advisory lock (released whatever happens to the process);
 * on SQLite, one process serves the file, so a lock in the process suffices.
 */
export function refreshLock(database: DatabaseHandle): RuntimeLock {
  if (database.dialect !== "postgresql") return requestLocalLock;
  return (name, fn) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK_CLASS}, hashtext(${name}))`);
      return fn();
    });
}
