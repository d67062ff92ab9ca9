// A member logged in without the browser: a session in the same table the
// OAuth callback writes, for routes that never write to the member's own PDS
// (moderation, administration, reports). Routes that do (posting) need the
// real OAuth session too, and log in through test/support/browser.ts.
import type { DatabaseHandle } from "@atbb/db";
import { memberSessions, SESSION_COOKIE } from "../../src/login/member-sessions.ts";

const DAY_MS = 86_400_000;

/** The Cookie header of a fresh login for `did`. */
export async function sessionCookieFor(database: DatabaseHandle, did: string): Promise<string> {
  const { id } = await memberSessions(database, DAY_MS).start(did, "atproto transition:generic");
  return `${SESSION_COOKIE}=${id}`;
}
