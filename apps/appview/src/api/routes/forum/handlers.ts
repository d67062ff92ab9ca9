import type { DatabaseHandle } from "@atbb/db";
import { asc, eq } from "drizzle-orm";
import { serializeForum } from "../../bodies/places.ts";
import { notFound } from "../../errors.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function forumRoutes(database: DatabaseHandle, forumDid: string | null) {
  const { db, schema } = database;
  const { forums } = schema;
  const app = resource();
  mount(app, routes.forum, async (c) => {
    const query = db.select().from(forums).orderBy(asc(forums.id)).limit(1);
    const [forum] = forumDid ? await query.where(eq(forums.did, forumDid)) : await query;
    if (!forum) throw notFound("The forum record");
    return c.json(serializeForum(forum), 200);
  });
  return app;
}
