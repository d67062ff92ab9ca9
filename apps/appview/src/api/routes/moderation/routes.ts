// Moderators' actions, each written by the forum account as a
// space.atbb.modAction naming the moderator (createdBy). Each route needs one
// permission, and acts only on a member (for a post: its author) whose role
// is below the moderator's own.
import { createRoute, type z } from "@hono/zod-openapi";
import { ErrorBody } from "../../bodies/errors.ts";
import { BanRequest, ModerationOutcome, ModerationRequest } from "../../bodies/moderation.ts";
import { answer } from "../../resource.ts";
import { didParam, idParam } from "../../validation.ts";

const HIERARCHY =
  "Acts only when the moderator's role outranks the role of the member acted on (a lower priority number); nobody acts on an equal or higher role, nor on themselves.";

/** Every answer of an action; in each refusal, nothing was written anywhere. */
const answers = {
  201: answer("Done: the action the forum account wrote, shown at once in the log and the read API", ModerationOutcome),
  200: answer("The state already held (alreadyActive): nothing was written", ModerationOutcome),
  400: answer("Bad input (a reason too long, an expiry not in the future…); nothing was written", ErrorBody),
  401: answer("No session, or one that has ended", ErrorBody),
  403: answer(
    "Not allowed: the role lacks the permission, the target's role is equal or higher, or a request from another site",
    ErrorBody,
  ),
  404: answer("No such member, topic or post", ErrorBody),
  503: answer(
    "The forum account cannot write (not configured, not logged in, its PDS unreachable); nothing was written",
    ErrorBody,
  ),
} as const;

const body = <S extends z.ZodType>(schema: S) => ({
  body: { required: false, content: { "application/json": { schema } } },
});

function action<P extends typeof didParam | typeof idParam, B extends z.ZodType>(
  path: string,
  params: P,
  request: B,
  summary: string,
  permission: string,
) {
  return createRoute({
    method: "post",
    path,
    summary: `${summary} (needs ${permission})`,
    description: `Needs the permission space.atbb.permission.${permission}. ${HIERARCHY} Idempotent: when the state already holds, answers 200 with alreadyActive and writes nothing.`,
    request: { params, ...body(request) },
    responses: answers,
  });
}

export const ban = action(
  "/members/{did}/ban",
  didParam,
  BanRequest,
  "Bans a member: their posts are hidden and they cannot write, until unbanned or until expiresAt",
  "banUsers",
);
export const unban = action("/members/{did}/unban", didParam, ModerationRequest, "Lifts a member's ban", "banUsers");
export const lock = action(
  "/topics/{id}/lock",
  idParam,
  ModerationRequest,
  "Locks a topic: no more replies",
  "lockTopics",
);
export const unlock = action(
  "/topics/{id}/unlock",
  idParam,
  ModerationRequest,
  "Opens a locked topic again",
  "lockTopics",
);
export const pin = action(
  "/topics/{id}/pin",
  idParam,
  ModerationRequest,
  "Pins a topic (kept in the moderation log)",
  "pinTopics",
);
export const unpin = action("/topics/{id}/unpin", idParam, ModerationRequest, "Unpins a topic", "pinTopics");
export const hide = action(
  "/posts/{id}/hide",
  idParam,
  ModerationRequest,
  "Hides a post (a topic or a reply) from the forum's reads; it stays in its author's repository",
  "moderatePosts",
);
export const unhide = action(
  "/posts/{id}/unhide",
  idParam,
  ModerationRequest,
  "Shows a hidden post again",
  "moderatePosts",
);
