// Administrators and moderators act through the forum account: the member's
// session and standing (role and permissions from the forum's grants only)
// are checked before anything is written, then the forum account's writer
// writes. What can go wrong on the way becomes an answer the client can act
// on; in each refusal nothing was written.
import type { DatabaseHandle } from "@atbb/db";
import type { Context } from "hono";
import { ForumWriteError, type ForumWriter } from "../forum-agent/writer.ts";
import { StructureRefusal } from "../forum-structure/places.ts";
import type { MemberAccess } from "../login/access.ts";
import { refuseUnlessPermitted, standingOf, type Permission, type Standing } from "../permissions.ts";
import { ApiError } from "./errors.ts";
import { requireMember } from "./member.ts";

export type ForumWriterSource = (() => Promise<ForumWriter>) | null;

/** The logged-in member's standing, or a 401 (no session) or 403 (their role does not permit `permission`). */
export async function requirePermission(
  c: Context,
  database: DatabaseHandle,
  access: MemberAccess | null,
  permission: Permission | Permission[],
  what: string,
): Promise<Standing> {
  const member = await requireMember(c, access);
  const standing = await standingOf({ ...database, forumDid: access!.forumDid }, member.did);
  refuseUnlessPermitted(standing, permission, what);
  return standing;
}

/**
 * What each administrator's and moderator's route starts with, bound once per
 * resource: who acts (401 without a session, 403 without the permission,
 * before the body is read), and the forum account's writer (a 503 when it
 * cannot write), asked for only once the request is allowed and well formed.
 */
export function forumActing(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  return {
    actor: (c: Context, permission: Permission | Permission[], what: string) =>
      requirePermission(c, database, access, permission, what),
    writer: () => forumWriterFrom(forumWriter),
  };
}

/** The forum account's writer, or a 503 saying why the forum cannot write now. */
export async function forumWriterFrom(source: ForumWriterSource): Promise<ForumWriter> {
  if (source === null)
    throw new ApiError(
      503,
      "forum_account_unavailable",
      "The forum account is not configured (FORUM_HANDLE and FORUM_APP_PASSWORD_FILE), so nothing can be written for the forum.",
    );
  try {
    return await source();
  } catch (error) {
    throw answerOf(error);
  }
}

/** Runs a write through the forum account, its failures turned into answers. */
export async function asForum<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw answerOf(error);
  }
}

function answerOf(error: unknown): unknown {
  if (error instanceof StructureRefusal)
    return new ApiError(error.kind === "not_found" ? 404 : 409, error.kind, capitalised(error.message));
  return error instanceof ForumWriteError ? error.refusal() : error;
}

const capitalised = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);
