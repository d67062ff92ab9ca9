// What keeps the pages from being turned against their readers.
//
// - The CSP: scripts, styles and images only from the forum itself, nothing
//   inline (a post that slipped markup past the Markdown renderer still could
//   not run or restyle anything), no framing. form-action is left open: the
//   login form's answer is a redirect to the member's own authorization
//   server, and browsers hold redirects after a form to form-action too.
// - Forms that change something carry a token derived from the browser's
//   session id (which only that browser has: the cookie is HttpOnly), and
//   must come from the forum's own origin.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The pages' headers. Referrer-Policy is same-origin, not no-referrer: under
 * no-referrer browsers send `Origin: null` even with a form posted to its own
 * site, and the forms' Origin check would refuse every one of them.
 */
export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("content-security-policy", CONTENT_SECURITY_POLICY);
  c.header("referrer-policy", "same-origin");
};

/** The form token of a session: knowing it needs the session id, and it tells nothing of it. */
export const csrfToken = (sessionId: string): string =>
  createHmac("sha256", sessionId).update("atbb form token").digest("base64url");

export function validCsrfToken(sessionId: string, sent: unknown): boolean {
  if (typeof sent !== "string") return false;
  const expected = Buffer.from(csrfToken(sessionId));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Browsers send Origin with every form post: one from elsewhere, or none, is not the forum's own form. */
export const fromOrigin = (origin: string | undefined, forumOrigin: string): boolean => origin === forumOrigin;
