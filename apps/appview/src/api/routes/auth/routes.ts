import { createRoute, z } from "@hono/zod-openapi";
import { MemberSession } from "../../bodies/auth.ts";
import { ErrorBody } from "../../bodies/errors.ts";
import { answer } from "../../resource.ts";

const redirect = (description: string) => ({ description, headers: z.object({ location: z.string() }) });
const unavailable = {
  503: answer(
    "Login is not available here (no FORUM_DID), or the member's PDS or authorization server could not be reached",
    ErrorBody,
  ),
} as const;

export const login = createRoute({
  method: "get",
  path: "/login",
  summary: "Starts a member's login: redirects to the authorization server of the handle's PDS",
  request: {
    query: z.object({
      handle: z
        .string()
        .min(1, "is required: your handle, such as alice.bsky.social")
        .max(253, "is too long for a handle")
        .describe("The member's handle (or DID)"),
    }),
  },
  responses: {
    302: redirect("To the member's authorization server (sign-in and consent)"),
    400: answer("Not a handle, or a handle that does not resolve to an account", ErrorBody),
    ...unavailable,
  },
});

export const callback = createRoute({
  method: "get",
  path: "/callback",
  summary:
    "Where the authorization server sends the member back: starts the session (cookie) and joins the forum at the first login",
  responses: {
    302: redirect("To the forum, with the session cookie set"),
    400: answer("The authorization was refused, expired or is not one this AppView started", ErrorBody),
    ...unavailable,
  },
});

export const logout = createRoute({
  method: "post",
  path: "/logout",
  summary: "Ends the member's login here and revokes their OAuth session at their authorization server",
  responses: {
    204: { description: "Logged out (also when there was no session)" },
    403: answer("A request from another site (its Origin is not this forum's)", ErrorBody),
  },
});

export const session = createRoute({
  method: "get",
  path: "/session",
  summary:
    "The member logged in: DID, verified handle, role, permissions, a ban in force, and what they may do (capabilities)",
  responses: {
    200: answer("The member's session", MemberSession),
    401: answer("No session, or one that has ended", ErrorBody),
  },
});

export const clientMetadata = createRoute({
  method: "get",
  path: "/oauth-client-metadata.json",
  summary:
    "The OAuth client metadata of this forum (its client_id), when it is a confidential client (PUBLIC_URL https)",
  responses: {
    200: answer("The client metadata", z.record(z.string(), z.unknown())),
    404: answer("A loopback (development) client publishes no metadata", ErrorBody),
  },
});

export const jwks = createRoute({
  method: "get",
  path: "/oauth/jwks.json",
  summary: "The public keys the confidential client signs its token requests with",
  responses: {
    200: answer("The JWKS", z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())) })),
    404: answer("A loopback (development) client has no keys", ErrorBody),
  },
});
