import type { DatabaseHandle } from "@atbb/db";
import { OAuthCallbackError } from "@atproto/oauth-client-node";
import { eq } from "drizzle-orm";
import type { Logger } from "../../../logger.ts";
import type { MemberAccess } from "../../../login/access.ts";
import { ensureMembership } from "../../../login/membership.ts";
import { memberRepository } from "../../../login/repository.ts";
import { banInForce } from "../../../moderation/state.ts";
import { capabilitiesOf, standingOf } from "../../../permissions.ts";
import { serializeRole } from "../../bodies/members.ts";
import { ApiError } from "../../errors.ts";
import { currentMember, setSessionCookie } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { endLogin, startLogin } from "./login-flow.ts";
import * as routes from "./routes.ts";

const notAvailable = () =>
  new ApiError(
    503,
    "login_unavailable",
    "Members cannot log in here: this AppView has no FORUM_DID, so there is no forum to join.",
  );

/** Where the member lands after logging in. */
const AFTER_LOGIN = "/";

export function authRoutes(database: DatabaseHandle, access: MemberAccess | null, logger: Logger) {
  const app = resource();

  mount(app, routes.login, async (c, { query: { handle } }) => {
    if (!access) throw notAvailable();
    return c.redirect((await startLogin(access, handle)).href, 302) as never;
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
    await endLogin(c, access, logger);
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
