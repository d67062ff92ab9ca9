import type { DatabaseHandle } from "@atbb/db";
import { serializeForum } from "../../bodies/places.ts";
import { notFound } from "../../errors.ts";
import { forumRecord } from "../../places.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function forumRoutes(database: DatabaseHandle, forumDid: string | null) {
  const app = resource();
  mount(app, routes.forum, async (c) => {
    const forum = await forumRecord(database, forumDid);
    if (!forum) throw notFound("The forum record");
    return c.json(serializeForum(forum), 200);
  });
  return app;
}
