// The pages' view of a member's notifications: as the API writes them
// (api/bodies/notifications.ts), so a page shows exactly what the API says.
import type { DatabaseHandle } from "@atbb/db";
import type { MemberNotifications } from "@atbb/web";
import { serializeNotification } from "../api/bodies/notifications.ts";
import { memberNotifications } from "./member-notifications.ts";

export function pageNotifications(database: DatabaseHandle): MemberNotifications {
  const store = memberNotifications(database);
  return {
    unread: (did) => store.unread(did),
    async page(did, offset, limit) {
      const page = await store.page(did, offset, limit);
      return { total: page.total, notifications: page.rows.map(serializeNotification) };
    },
    async markRead(did, upTo) {
      await store.markRead(did, Number(upTo));
    },
  };
}
