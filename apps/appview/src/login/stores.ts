// Where the OAuth client keeps what it needs between requests: pending
// authorizations (state) and sessions (tokens, DPoP key), in the database so
// that they survive restarts and are shared by every `atbb serve` on one
// PostgreSQL. Values are sealed: they hold refresh tokens and private keys.
import { postgresClient, type DatabaseHandle } from "@atbb/db";
import {
  requestLocalLock,
  type NodeSavedSession,
  type NodeSavedSessionStore,
  type NodeSavedState,
  type NodeSavedStateStore,
  type RuntimeLock,
} from "@atproto/oauth-client-node";
import { eq, lt } from "drizzle-orm";
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
      await db
        .insert(oauthStates)
        .values({ key, value: sealed, createdAt: now })
        .onConflictDoUpdate({ target: oauthStates.key, set: { value: sealed, createdAt: now } });
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
      await db
        .insert(oauthSessions)
        .values({ did, value: sealed, updatedAt: now })
        .onConflictDoUpdate({ target: oauthSessions.did, set: { value: sealed, updatedAt: now } });
    },
    async del(did) {
      await db.delete(oauthSessions).where(eq(oauthSessions.did, did));
    },
  };
}

/** The two-key advisory lock space of members' token refreshes ("logi"), apart from the migration and indexer locks. */
const REFRESH_LOCK_CLASS = 0x6c6f6769;
/** Connections that may wait on refresh locks at once; more waiters queue for one. */
const LOCK_CONNECTIONS = 4;

export interface RefreshLock {
  lock: RuntimeLock;
  close(): Promise<void>;
}

/**
 * Serialises token refreshes. A refresh token is good for one use: two
 * processes refreshing one session at once would leave one of them with a
 * revoked token and the member logged out. On PostgreSQL it is a
 * session-level advisory lock, held on a connection of a small pool of its
 * own: a waiter holds its connection while it waits, and if waiters could
 * take the connections the lock holder needs to read and store the session,
 * they would wait on each other forever. A process that dies drops its
 * connections, and with them its locks. Within a process, refreshes of one
 * session queue first, so each waits on PostgreSQL once. On SQLite, one
 * process serves the file, so the lock in the process suffices.
 */
export function refreshLock(database: DatabaseHandle): RefreshLock {
  if (database.dialect !== "postgresql") return { lock: requestLocalLock, close: async () => {} };
  let pool: ReturnType<typeof postgresClient> | null = null;
  const advisory = async <T>(name: string, fn: () => T | PromiseLike<T>): Promise<T> => {
    pool ??= postgresClient(database.url, { max: LOCK_CONNECTIONS, idle_timeout: 30 });
    const connection = await pool.reserve();
    try {
      await connection`select pg_advisory_lock(${REFRESH_LOCK_CLASS}, hashtext(${name}))`;
      try {
        return await fn();
      } finally {
        await connection`select pg_advisory_unlock(${REFRESH_LOCK_CLASS}, hashtext(${name}))`;
      }
    } finally {
      connection.release();
    }
  };
  return {
    lock: (name, fn) => requestLocalLock(name, () => advisory(name, fn)),
    close: async () => {
      await pool?.end({ timeout: 5 });
    },
  };
}
