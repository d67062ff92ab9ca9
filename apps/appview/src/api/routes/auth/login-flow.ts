// Starting and ending a member's login: the API's /api/auth routes and the
// pages' login form and logout button both go through here.
import { isDid } from "@atbb/lexicon/syntax";
import { OAuthResolverError, OAuthResponseError } from "@atproto/oauth-client-node";
import { isValidHandle } from "@atproto/syntax";
import type { Context } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import type { Logger } from "../../../logger.ts";
import type { MemberAccess } from "../../../login/access.ts";
import { SESSION_COOKIE } from "../../../login/member-sessions.ts";
import { FALLBACK_SCOPE, GRANULAR_SCOPE } from "../../../login/oauth-client.ts";
import { ApiError } from "../../errors.ts";

/**
 * Why a login could not start, in words a member can act on. The client's
 * resolver says "identity" when the handle or DID does not lead to an
 * account, and names the server when the PDS or its authorization server
 * does not answer.
 */
function explainAuthorizeError(handle: string, error: unknown): ApiError {
  if (error instanceof OAuthResolverError && error.message.startsWith("Failed to resolve identity")) {
    return new ApiError(
      400,
      "unknown_handle",
      `No account was found for ${handle}: check the handle (such as alice.bsky.social).`,
    );
  }
  if (error instanceof OAuthResolverError) {
    return new ApiError(
      503,
      "pds_unreachable",
      `The PDS or authorization server of ${handle} could not be reached (${error.message}). Try again later.`,
    );
  }
  if (error instanceof OAuthResponseError) {
    return new ApiError(
      503,
      "authorization_refused",
      `The authorization server of ${handle} refused to start a login (${error.error ?? error.status}).`,
    );
  }
  return new ApiError(
    503,
    "pds_unreachable",
    `The login with ${handle} could not start: ${(error as Error).message}. Try again later.`,
  );
}

/** Where the member's authorization server wants them sent to log in with `handle` (a handle or a DID). */
export async function startLogin(access: MemberAccess, handle: string): Promise<URL> {
  const input = handle.trim().replace(/^@/, "").toLowerCase();
  if (!isValidHandle(input) && !isDid(handle))
    throw new ApiError(
      400,
      "invalid_request",
      `handle ${JSON.stringify(handle)} is not a handle (such as alice.bsky.social) or a DID`,
    );
  try {
    return await access.login.client.authorize(isDid(handle) ? handle : input, { scope: GRANULAR_SCOPE });
  } catch (error) {
    // Authorization servers that predate granular scopes refuse them: ask for the broad one instead.
    if (!(error instanceof OAuthResponseError && error.error === "invalid_scope"))
      throw explainAuthorizeError(input, error);
    try {
      return await access.login.client.authorize(isDid(handle) ? handle : input, { scope: FALLBACK_SCOPE });
    } catch (fallbackError) {
      throw explainAuthorizeError(input, fallbackError);
    }
  }
}

/** Ends the login the request's cookie names: the member's OAuth session at their server, and every browser's session. */
export async function endLogin(c: Context, access: MemberAccess | null, logger: Logger): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (access && id !== undefined) {
    const member = await access.sessions.find(id);
    if (member) {
      // The OAuth session belongs to the member, not to this browser: revoking it ends every browser's login.
      await access.login.client
        .revoke(member.did)
        .catch((error: unknown) =>
          logger.warn(
            { err: error, did: member.did },
            "could not revoke the OAuth session at the authorization server",
          ),
        );
      await access.sessions.endAll(member.did);
    }
    await access.sessions.end(id);
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: access?.login.secure ?? false });
}
