import type { DatabaseHandle } from "@atbb/db";
import type { MemberAccess } from "../../../login/access.ts";
import { memberNotifications } from "../../../notifications/member-notifications.ts";
import { MarkRead, serializeNotification } from "../../bodies/notifications.ts";
import { ApiError } from "../../errors.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

/** The answer of both routes when the forum keeps no notifications: before the session, since none are kept for anyone. */
const notificationsOff = () =>
  new ApiError(404, "notifications_off", "Notifications are off on this forum (NOTIFICATIONS=off): none are kept.");

/** `kept`: the forum derives notifications (NOTIFICATIONS=on). */
export function notificationRoutes(database: DatabaseHandle, access: MemberAccess | null, kept: boolean) {
  const store = memberNotifications(database);
  const app = resource();

  mount(app, routes.list, async (c, { query: { offset, limit } }) => {
    if (!kept) throw notificationsOff();
    const { did } = await requireMember(c, access);
    const page = await store.page(did, offset, limit);
    return c.json(
      { notifications: page.rows.map(serializeNotification), unread: page.unread, total: page.total, offset, limit },
      200,
    );
  });

  mount(app, routes.markRead, async (c) => {
    if (!kept) throw notificationsOff();
    const { did } = await requireMember(c, access);
    const { upTo } = parse(MarkRead, await jsonBody(c));
    return c.json({ unread: await store.markRead(did, upTo === undefined ? null : Number(upTo)) }, 200);
  });

  return app;
}
