import type { DatabaseHandle } from "@atbb/db";
import { isDid } from "@atbb/lexicon/syntax";
import { OAuthCallbackError, OAuthResolverError, OAuthResponseError } from "@atproto/oauth-client-node";
import { isValidHandle } from "@atproto/syntax";
import { eq } from "drizzle-orm";
import { deleteCookie, getCookie } from "hono/cookie";
import type { Logger } from "../../../logger.ts";
import type { MemberAccess } from "../../../login/access.ts";
import { ensureMembership } from "../../../login/membership.ts";
import { SESSION_COOKIE } from "../../../login/member-sessions.ts";
import { FALLBACK_SCOPE, GRANULAR_SCOPE } from "../../../login/oauth-client.ts";
import { memberRepository } from "../../../login/repository.ts";
import { banInForce } from "../../../moderation/state.ts";
import { capabilitiesOf, standingOf } from "../../../permissions.ts";
import { serializeRole } from "../../bodies/members.ts";
import { ApiError } from "../../errors.ts";
import { currentMember, setSessionCookie } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

const notAvailable = () =>
  new ApiError(
    503,
    "login_unavailable",
    "Members cannot log in here: this AppView has no FORUM_DID, so there is no forum to join.",
  );

/** Where the member lands after logging in. */
const AFTER_LOGIN = "/";

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

export function authRoutes(database: DatabaseHandle, access: MemberAccess | null, logger: Logger) {
  const app = resource();

  mount(app, routes.login, async (c, { query: { handle } }) => {
    if (!access) throw notAvailable();
    const input = handle.trim().replace(/^@/, "").toLowerCase();
    if (!isValidHandle(input) && !isDid(handle))
      throw new ApiError(
        400,
        "invalid_request",
        `handle ${JSON.stringify(handle)} is not a handle (such as alice.bsky.social) or a DID`,
      );
    let url: URL;
    try {
      url = await access.login.client.authorize(isDid(handle) ? handle : input, { scope: GRANULAR_SCOPE });
    } catch (error) {
      // Authorization servers that predate granular scopes refuse them: ask for the broad one instead.
      if (!(error instanceof OAuthResponseError && error.error === "invalid_scope"))
        throw explainAuthorizeError(input, error);
      try {
        url = await access.login.client.authorize(isDid(handle) ? handle : input, { scope: FALLBACK_SCOPE });
      } catch (fallbackError) {
        throw explainAuthorizeError(input, fallbackError);
      }
    }
    return c.redirect(url.href, 302) as never;
  });

  mount(app, routes.callback, async (c) => {
    if (!access) throw notAvailable();
    const params = new URL(c.req.url).searchParams;
    let session: Awaited<ReturnType<typeof access.login.client.callback>>["session"];
    try {
      ({ session } = await access.login.client.callback(params));
    } catch (error) {
      if (error instanceof OAuthCallbackError) {
        const refused = params.get("error");
        throw new ApiError(
          400,
          "login_failed",
          refused
            ? `The login was not completed: ${params.get("error_description") ?? refused}.`
            : `The login could not be completed (${error.message}). Start again.`,
        );
      }
      throw new ApiError(
        503,
        "pds_unreachable",
        `The login could not be completed: the authorization server did not answer (${(error as Error).message}). Start again.`,
      );
    }
    const { scope } = await session.getTokenInfo(false);
    try {
      await ensureMembership(database, access.forumDid, memberRepository(session), access.indexer);
    } catch (error) {
      // The member is logged in either way; joining is retried at the next login.
      logger.warn({ err: error, did: session.did }, "could not write the membership at login");
    }
    const started = await access.sessions.start(session.did, scope);
    setSessionCookie(c, access, started.id, started.expiresAt);
    return c.redirect(AFTER_LOGIN, 302) as never;
  });

  mount(app, routes.logout, async (c) => {
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
    return c.body(null, 204) as never;
  });

  mount(app, routes.session, async (c) => {
    const member = access ? await currentMember(c, access) : null;
    if (!member) return c.json({ error: "unauthenticated", message: "You are not logged in." }, 401);
    const { users } = database.schema;
    const forumDid = access?.forumDid ?? null;
    const [[user], standing, ban] = await Promise.all([
      database.db
        .select({ handle: users.handle, status: users.accountStatus })
        .from(users)
        .where(eq(users.did, member.did)),
      standingOf({ ...database, forumDid }, member.did),
      forumDid ? banInForce(database, forumDid, member.did) : null,
    ]);
    return c.json(
      {
        did: member.did,
        handle: user?.status === "active" ? user.handle : null,
        role: standing.role ? serializeRole(standing.role) : null,
        permissions: standing.permissions,
        banned: ban ? { expiresAt: ban.expiresAt?.toISOString() ?? null } : null,
        capabilities: capabilitiesOf(standing, { banned: ban !== null }),
        scope: member.scope,
        expiresAt: member.expiresAt.toISOString(),
      },
      200,
    );
  });
  return app;
}

/** The confidential client's published metadata and keys, at the addresses its client_id names. */
export function clientMetadataRoutes(access: MemberAccess | null) {
  const app = resource();
  const none = () =>
    new ApiError(
      404,
      "not_found",
      "This forum is a loopback (development) OAuth client: it publishes no metadata. Set PUBLIC_URL to its https address.",
    );
  mount(app, routes.clientMetadata, (c) => {
    if (!access?.login.published) throw none();
    return c.json(access.login.published.metadata as Record<string, unknown>, 200);
  });
  mount(app, routes.jwks, (c) => {
    if (!access?.login.published) throw none();
    return c.json(access.login.published.jwks as { keys: Record<string, unknown>[] }, 200);
  });
  return app;
}
