// The forum account as configured: who logs in (FORUM_HANDLE, else
// FORUM_DID), with what (FORUM_APP_PASSWORD or FORUM_APP_PASSWORD_FILE), and
// where (PDS_URL, else the PDS its DID document names).
import { createPdsLocator } from "../backfill/pds.ts";
import type { Config } from "../config.ts";
import { identityFor } from "../identity.ts";
import type { Logger } from "../logger.ts";
import type { ForumAccount, ForumAgentStatus, ForumSession } from "./session.ts";

/** Why the forum account cannot log in as configured, or null when it can try. */
export function missingForumAccount(config: Config): string | null {
  if (config.forumAccount.appPassword === null)
    return "FORUM_APP_PASSWORD (or FORUM_APP_PASSWORD_FILE) is not set: the forum account cannot write";
  if (config.forumAccount.handle === null && config.forumDid === null)
    return "neither FORUM_HANDLE nor FORUM_DID is set: atbb does not know which account is the forum's";
  return null;
}

export function forumAccountOf(config: Config, logger: Logger): ForumAccount | null {
  if (missingForumAccount(config) !== null) return null;
  const identity = identityFor(
    { plcUrl: config.plcUrl, allowLoopback: config.allowLoopback, handles: config.handles },
    logger,
  );
  const { handle, appPassword } = config.forumAccount;
  return {
    identifier: handle ?? config.forumDid!,
    appPassword: appPassword!,
    expectedDid: config.forumDid,
    async locatePds() {
      if (config.pdsUrl) return new URL(config.pdsUrl);
      let did = config.forumDid;
      if (did === null) {
        did = await identity.resolveHandle(handle!);
        if (did === null) throw new Error(`the handle ${handle} does not resolve to a DID`);
      }
      const locator = createPdsLocator({ identity, plcUrl: config.plcUrl });
      return (await locator.locate(did)).url;
    },
  };
}

export interface ForumAgentHandle {
  status(): ForumAgentStatus;
  stop(): void;
  /** The session moderators' and administrators' routes write with; null when no forum account is configured. */
  session: ForumSession | null;
}

/**
 * The forum account's session for `serve`: logged in beside the API and kept
 * (retried with backoff), so /api/health says whether the forum can write.
 * @atproto/api loads only when there is an account to log in.
 */
export async function startForumAgent(config: Config, logger: Logger): Promise<ForumAgentHandle> {
  const missing = missingForumAccount(config);
  if (missing !== null)
    return { status: () => ({ state: "not_configured", reason: missing }), stop: () => {}, session: null };
  const { createForumSession } = await import("./session.ts");
  const session = createForumSession(forumAccountOf(config, logger), { logger: logger.child({ part: "forum-agent" }) });
  session.keepAlive();
  return { status: () => session.status(), stop: () => session.stop(), session };
}
