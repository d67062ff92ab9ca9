// Everything the API needs to let members in and write for them, made once
// at start (serve.ts) and handed to the app.
import type { DatabaseHandle } from "@atbb/db";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { LocalApply } from "./membership.ts";
import { memberSessions, type MemberSessions } from "./member-sessions.ts";
import { createMemberLogin, type MemberLogin } from "./oauth-client.ts";

export interface MemberAccess {
  login: MemberLogin;
  sessions: MemberSessions;
  forumDid: string;
  /** The indexer's local-apply entry: what a member writes shows at once. */
  indexer: LocalApply;
  /** Writes a member may make per minute. */
  writesPerMinute: number;
}

export async function createMemberAccess(
  config: Config,
  forumDid: string,
  database: DatabaseHandle,
  indexer: LocalApply,
  logger: Logger,
): Promise<MemberAccess> {
  const sessions = memberSessions(database, config.login.sessionDays * 86_400_000);
  const login = await createMemberLogin(config, database, logger, {
    onSessionUpdated: (did) => logger.info({ did }, "OAuth session stored (a login, or a token refresh)"),
    // A session the authorization server revoked, or whose refresh failed, is gone for every browser.
    onSessionDeleted: (did) =>
      void sessions
        .endAll(did)
        .catch((error: unknown) =>
          logger.warn({ err: error, did }, "could not end the browser sessions of a revoked login"),
        ),
  });
  return { login, sessions, forumDid, indexer, writesPerMinute: config.login.writesPerMinute };
}
