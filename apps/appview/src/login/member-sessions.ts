// A browser's login. The cookie carries 32 random bytes and nothing else;
// the database keeps only their SHA-256, so neither a guessed DID nor a copy
// of the table can be turned into a login. A session lasts `lifetimeMs` from
// its last renewal; using it past half its life renews it.
import type { DatabaseHandle } from "@atbb/db";
import { and, eq, gt, lt } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";

export const SESSION_COOKIE = "atbb_session";

export interface MemberSession {
  did: string;
  scope: string;
  expiresAt: Date;
  /** Set when this lookup renewed the session: the cookie must be sent again with the new expiry. */
  renewed: boolean;
}

const hashOf = (id: string) => createHash("sha256").update(id).digest("base64url");
/** Only what we hand out can be a session id: anything else is answered without a database lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function memberSessions({ db, schema }: DatabaseHandle, lifetimeMs: number) {
  const { memberSessions: table } = schema;
  return {
    lifetimeMs,
    /** Starts a session for `did`; returns the id for the cookie. */
    async start(did: string, scope: string): Promise<{ id: string; expiresAt: Date }> {
      const id = randomBytes(32).toString("base64url");
      const now = new Date();
      const expiresAt = new Date(now.getTime() + lifetimeMs);
      // Expired sessions are only dead weight: each login clears them.
      await db.delete(table).where(lt(table.expiresAt, now));
      await db.insert(table).values({ idHash: hashOf(id), did, scope, createdAt: now, expiresAt });
      return { id, expiresAt };
    },
    /** The live session the cookie names, renewed when past half its life; null for anything else. */
    async find(id: string | undefined): Promise<MemberSession | null> {
      if (id === undefined || !SESSION_ID.test(id)) return null;
      const now = new Date();
      const [row] = await db
        .select()
        .from(table)
        .where(and(eq(table.idHash, hashOf(id)), gt(table.expiresAt, now)));
      if (!row) return null;
      if (row.expiresAt.getTime() - now.getTime() > lifetimeMs / 2)
        return { did: row.did, scope: row.scope, expiresAt: row.expiresAt, renewed: false };
      const expiresAt = new Date(now.getTime() + lifetimeMs);
      await db.update(table).set({ expiresAt }).where(eq(table.idHash, row.idHash));
      return { did: row.did, scope: row.scope, expiresAt, renewed: true };
    },
    async end(id: string): Promise<void> {
      if (SESSION_ID.test(id)) await db.delete(table).where(eq(table.idHash, hashOf(id)));
    },
    /** Ends every browser session of a member (their OAuth session is gone). */
    async endAll(did: string): Promise<void> {
      await db.delete(table).where(eq(table.did, did));
    },
  };
}

export type MemberSessions = ReturnType<typeof memberSessions>;
