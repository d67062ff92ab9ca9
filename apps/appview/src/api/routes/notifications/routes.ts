// A member's notifications: replies to them, quotes, mentions and moderators'
// actions on them, derived by the indexer and kept in this AppView only. A
// member sees and marks only their own. A forum may keep none
// (NOTIFICATIONS=off): then both routes say so, whoever asks.
import { createRoute } from "@hono/zod-openapi";
import { ErrorBody } from "../../bodies/errors.ts";
import { MarkedRead, MarkRead, NotificationPage } from "../../bodies/notifications.ts";
import { answer } from "../../resource.ts";
import { pagination } from "../../validation.ts";
import { json } from "../structure/routes.ts";

const unauthenticated = answer("No session, or one that has ended", ErrorBody);
const off = answer("Notifications are off on this forum (`notifications_off`): none are kept", ErrorBody);

export const list = createRoute({
  method: "get",
  path: "/notifications",
  summary: "The member's own notifications, newest first, with how many are unread",
  description:
    "Permission: none beyond a session. Newest first means in the order this AppView learned of them. One whose post is hidden (removed by a moderator, its author banned) is neither listed nor counted.",
  request: { query: pagination(30, 100) },
  responses: {
    200: answer("A page of the member's notifications", NotificationPage),
    400: answer("Bad paging", ErrorBody),
    401: unauthenticated,
    404: off,
  },
});

export const markRead = createRoute({
  method: "post",
  path: "/notifications/read",
  summary: "Marks the member's notifications read: all of them, or those up to an id",
  description: "Permission: none beyond a session. Kept in this AppView only, never written to a PDS.",
  request: json(MarkRead),
  responses: {
    200: answer("Marked; how many are left unread", MarkedRead),
    400: answer("Bad input (not JSON, a field unknown, a bad id); nothing was marked", ErrorBody),
    401: unauthenticated,
    403: answer("A request from another site", ErrorBody),
    404: off,
  },
});
