// A member's notifications, as the API writes them.
import { z } from "@hono/zod-openapi";
import { NOTIFICATION_KINDS } from "../../indexer/notices.ts";
import type { NotificationRow } from "../../notifications/member-notifications.ts";
import { AtUri, Id, iso, Timestamp } from "./time.ts";

export const Notification = z
  .strictObject({
    id: Id,
    kind: z
      .enum(NOTIFICATION_KINDS)
      .describe(
        "post_reply: a reply to the member's post; topic_reply: a reply in their topic; quote: a reply quoting them; mention: a post naming their @handle; moderation: a moderator's action on their post or account",
      ),
    action: z.string().nullable().describe("moderation only: the action (ban, unban, lock, delete…)"),
    causeUri: AtUri.describe("The record that caused it: the post, or the forum's mod action"),
    actor: z.strictObject({ did: z.string(), handle: z.string().nullable() }).describe("Who did it"),
    post: z
      .strictObject({
        id: Id,
        topicId: Id,
        topicTitle: z.string().nullable(),
        number: z.number().int().describe("The post's number in its topic: 1 the opening post, 2 the first reply…"),
      })
      .nullable()
      .describe("The post to open; null for a moderator's action on the account"),
    createdAt: Timestamp,
    read: z.boolean(),
  })
  .openapi("Notification");

export const NotificationPage = z
  .strictObject({
    notifications: z.array(Notification),
    unread: z.number().int().describe("How many of the member's notifications are unread"),
    total: z.number().int().describe("Notifications in all"),
    offset: z.number().int(),
    limit: z.number().int(),
  })
  .openapi("NotificationPage");

export const MarkRead = z
  .strictObject({
    upTo: Id.optional().describe("Marks those with an id up to this one read; without it, all of them"),
  })
  .openapi("MarkNotificationsRead");

export const MarkedRead = z
  .strictObject({ unread: z.number().int().describe("How many are left unread") })
  .openapi("NotificationsMarkedRead");

export function serializeNotification(row: NotificationRow): z.input<typeof Notification> {
  return {
    id: String(row.id),
    kind: row.kind,
    action: row.action,
    causeUri: row.causeUri,
    actor: row.actor,
    post: row.post && {
      id: String(row.post.id),
      topicId: String(row.post.topicId),
      topicTitle: row.post.topicTitle,
      number: row.post.number,
    },
    createdAt: iso(row.createdAt),
    read: row.readAt !== null,
  };
}
