import type { DatabaseHandle } from "@atbb/db";
import { count, desc } from "drizzle-orm";
import { serializeModAction } from "../../bodies/mod-actions.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function modActionRoutes({ db, schema }: DatabaseHandle) {
  const { modActions } = schema;
  const app = resource();
  mount(app, routes.log, async (c, { query: { offset, limit } }) => {
    const [rows, [total]] = await Promise.all([
      db.select().from(modActions).orderBy(desc(modActions.createdAt), desc(modActions.id)).limit(limit).offset(offset),
      db.select({ n: count() }).from(modActions),
    ]);
    const now = new Date();
    return c.json({ modActions: rows.map((a) => serializeModAction(a, now)), total: total!.n, offset, limit }, 200);
  });
  return app;
}
