import type { DatabaseHandle } from "@atbb/db";
import type { MemberAccess } from "../../../login/access.ts";
import { memberNotifications } from "../../../notifications/member-notifications.ts";
import { MarkRead, serializeNotification } from "../../bodies/notifications.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

export function notificationRoutes(database: DatabaseHandle, access: MemberAccess | null) {
  const store = memberNotifications(database);
  const app = resource();

  mount(app, routes.list, async (c, { query: { offset, limit } }) => {
    const { did } = await requireMember(c, access);
    const page = await store.page(did, offset, limit);
    return c.json(
      { notifications: page.rows.map(serializeNotification), unread: page.unread, total: page.total, offset, limit },
      200,
    );
  });

  mount(app, routes.markRead, async (c) => {
    const { did } = await requireMember(c, access);
    const { upTo } = parse(MarkRead, await jsonBody(c));
    return c.json({ unread: await store.markRead(did, upTo === undefined ? null : Number(upTo)) }, 200);
  });

  return app;
}
