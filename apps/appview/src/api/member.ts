// Who is asking: the member whose session the cookie names, or nobody.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { MemberAccess } from "../login/access.ts";
import { SESSION_COOKIE, type MemberSession } from "../login/member-sessions.ts";
import { ApiError } from "./errors.ts";

export function setSessionCookie(c: Context, access: MemberAccess, id: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "Lax",
    secure: access.login.secure,
    path: "/",
    expires: expiresAt,
  });
}

/** The member logged in, renewing the cookie when the session was renewed; null without a live session. */
export async function currentMember(c: Context, access: MemberAccess): Promise<MemberSession | null> {
  const id = getCookie(c, SESSION_COOKIE);
  const member = await access.sessions.find(id);
  if (member?.renewed && id !== undefined) setSessionCookie(c, access, id, member.expiresAt);
  return member;
}

export async function requireMember(c: Context, access: MemberAccess | null): Promise<MemberSession> {
  const member = access ? await currentMember(c, access) : null;
  if (!member)
    throw new ApiError(401, "unauthenticated", "You are not logged in, or your login has ended: log in again.");
  return member;
}
