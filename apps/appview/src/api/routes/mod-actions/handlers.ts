import type { DatabaseHandle } from "@atbb/db";
import { count, desc } from "drizzle-orm";
import { serializeModAction } from "../../bodies/mod-actions.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

/** A page of the moderation log, newest first (the API's and the administration pages' one read). */
export async function modActionPage({ db, schema }: DatabaseHandle, offset: number, limit: number) {
  const { modActions } = schema;
  const [rows, [total]] = await Promise.all([
    db.select().from(modActions).orderBy(desc(modActions.createdAt), desc(modActions.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(modActions),
  ]);
  const now = new Date();
  return { modActions: rows.map((a) => serializeModAction(a, now)), total: total!.n };
}

export function modActionRoutes(database: DatabaseHandle) {
  const app = resource();
  mount(app, routes.log, async (c, { query: { offset, limit } }) =>
    c.json({ ...(await modActionPage(database, offset, limit)), offset, limit }, 200),
  );
  return app;
}
