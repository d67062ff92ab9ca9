// The forum account's session on its PDS: logged in with an app password,
// kept and refreshed by @atproto/api's AtpAgent (it refreshes an expired
// access token by itself and tells us through persistSession), logged in
// again with backoff when the PDS cannot be reached. Its state is what
// /api/health reports. A refused password is not retried: it will not
// become right by itself.
import { AtpAgent, type AtpSessionEvent } from "@atproto/api";
import type { Logger } from "../logger.ts";
import { errorChain } from "../backfill/pds.ts";

export type ForumAgentStatus =
  | { state: "not_configured"; reason: string }
  | { state: "authenticated"; did: string; handle: string; pds: string; since: string }
  | { state: "retrying"; reason: string; attempt: number; nextAttemptAt: string }
  | { state: "failed"; reason: string };

export interface ForumAccount {
  /** The forum account's handle or DID, as the PDS's createSession takes it. */
  identifier: string;
  appPassword: string;
  /** The PDS to log in to: PDS_URL, or the one its DID document names. */
  locatePds(): Promise<URL>;
  /** The forum account as configured (FORUM_DID), if it is: the session must be this account's. */
  expectedDid: string | null;
}

/** The session could not be had; `final` when trying again cannot help (a wrong password, the wrong account). */
export class ForumLoginError extends Error {
  readonly final: boolean;
  constructor(message: string, final: boolean) {
    super(message);
    this.name = "ForumLoginError";
    this.final = final;
  }
}

export interface ForumSession {
  status(): ForumAgentStatus;
  /** The logged-in agent; logs in first when there is no session yet. Throws ForumLoginError. */
  agent(): Promise<AtpAgent>;
  /** Keeps trying to log in, with backoff, until authenticated or failed for good (for `serve`). */
  keepAlive(): void;
  stop(): void;
}

/** What the PDS said, in words an operator can act on. */
function loginFailure(error: unknown, account: ForumAccount, pds: string): ForumLoginError {
  const status = (error as { status?: unknown }).status;
  const code = (error as { error?: unknown }).error;
  if (status === 401 || code === "AuthenticationRequired") {
    return new ForumLoginError(
      `the PDS ${pds} refused the app password for ${account.identifier}: check FORUM_APP_PASSWORD (or the file FORUM_APP_PASSWORD_FILE names) — ${errorChain(error)}`,
      true,
    );
  }
  if (code === "AccountTakedown" || code === "AccountDeactivated") {
    return new ForumLoginError(
      `the PDS ${pds} says the forum account ${account.identifier} cannot log in (${String(code)}): ${errorChain(error)}`,
      true,
    );
  }
  return new ForumLoginError(`cannot log in to the PDS ${pds} as ${account.identifier}: ${errorChain(error)}`, false);
}

export function createForumSession(
  account: ForumAccount | null,
  options: { logger: Logger; fetch?: typeof globalThis.fetch; retry?: { baseMs?: number; maxMs?: number } },
): ForumSession {
  const { logger } = options;
  const baseMs = options.retry?.baseMs ?? 1_000;
  const maxMs = options.retry?.maxMs ?? 5 * 60_000;
  let state: ForumAgentStatus = account
    ? { state: "retrying", reason: "not logged in yet", attempt: 0, nextAttemptAt: new Date().toISOString() }
    : {
        state: "not_configured",
        reason: "FORUM_APP_PASSWORD (or FORUM_APP_PASSWORD_FILE) is not set: the forum account cannot write",
      };
  let current: AtpAgent | null = null;
  let loggingIn: Promise<AtpAgent> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let attempt = 0;

  const onSession = (event: AtpSessionEvent) => {
    // The refresh token expired or was revoked: the next write logs in again.
    if (event === "expired" || event === "create-failed") {
      current = null;
      if (state.state === "authenticated")
        state = {
          state: "retrying",
          reason: "the session expired; logging in again",
          attempt: 0,
          nextAttemptAt: new Date().toISOString(),
        };
    }
  };

  async function login(): Promise<AtpAgent> {
    if (!account) throw new ForumLoginError((state as { reason: string }).reason, true);
    let pds: URL;
    try {
      pds = await account.locatePds();
    } catch (error) {
      throw new ForumLoginError(
        `cannot find the forum account's PDS: ${errorChain(error)} (set PDS_URL to name it)`,
        false,
      );
    }
    const agent = new AtpAgent({
      service: pds,
      persistSession: onSession,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    try {
      await agent.login({ identifier: account.identifier, password: account.appPassword });
    } catch (error) {
      throw loginFailure(error, account, pds.origin);
    }
    const session = agent.session!;
    if (account.expectedDid !== null && session.did !== account.expectedDid) {
      throw new ForumLoginError(
        `${account.identifier} logged in as ${session.did}, but FORUM_DID is ${account.expectedDid}: set the forum account's own handle and app password`,
        true,
      );
    }
    state = {
      state: "authenticated",
      did: session.did,
      handle: session.handle,
      pds: pds.origin,
      since: new Date().toISOString(),
    };
    attempt = 0;
    logger.info({ did: session.did, pds: pds.origin }, "the forum account is logged in");
    return agent;
  }

  function agent(): Promise<AtpAgent> {
    if (current) return Promise.resolve(current);
    if (state.state === "failed") return Promise.reject(new ForumLoginError(state.reason, true));
    loggingIn ??= login().then(
      (logged) => {
        current = logged;
        loggingIn = null;
        return logged;
      },
      (error: unknown) => {
        loggingIn = null;
        const failure = error instanceof ForumLoginError ? error : new ForumLoginError(errorChain(error), false);
        attempt++;
        const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
        state = failure.final
          ? { state: "failed", reason: failure.message }
          : {
              state: "retrying",
              reason: failure.message,
              attempt,
              nextAttemptAt: new Date(Date.now() + delay).toISOString(),
            };
        throw failure;
      },
    );
    return loggingIn;
  }

  function keepAlive() {
    if (!account || stopped) return;
    agent().then(
      () => {},
      (error: ForumLoginError) => {
        if (stopped || state.state !== "retrying") {
          logger.error({ err: error.message }, "the forum account cannot log in; fix the configuration and restart");
          return;
        }
        logger.warn(
          { err: error.message, attempt, retryAt: state.nextAttemptAt },
          "the forum account could not log in; retrying",
        );
        timer = setTimeout(keepAlive, Date.parse(state.nextAttemptAt) - Date.now());
        timer.unref();
      },
    );
  }

  return {
    status: () => ({ ...state }),
    agent,
    keepAlive,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
