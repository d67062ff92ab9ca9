import type { DatabaseHandle } from "@atbb/db";
import { serializeReply, serializeTopic } from "../../bodies/posts.ts";
import { notFound } from "../../errors.ts";
import { topicPage } from "../../queries.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function topicRoutes(database: DatabaseHandle) {
  const topicWithReplies = topicPage(database);
  const app = resource();
  mount(app, routes.one, async (c, { params: { id }, query: { offset, limit } }) => {
    const page = await topicWithReplies(id, offset, limit);
    if (!page) throw notFound(`Topic ${id}`);
    const now = new Date();
    return c.json(
      {
        topic: serializeTopic(page.topic, now),
        replies: page.replies.map((r) => serializeReply(r, now, page.topic)),
        total: page.total,
        offset,
        limit,
      },
      200,
    );
  });
  return app;
}
