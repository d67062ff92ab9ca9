import type { DatabaseHandle } from "@atbb/db";
import { serializeBoard } from "../../bodies/places.ts";
import { serializeTopic } from "../../bodies/posts.ts";
import { notFound } from "../../errors.ts";
import { boardRecord } from "../../places.ts";
import { boardTopicsPage } from "../../queries.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function boardRoutes(database: DatabaseHandle) {
  const topicsOfBoard = boardTopicsPage(database);
  const app = resource();
  mount(app, routes.one, async (c, { params: { id } }) => {
    const board = await boardRecord(database, id);
    if (!board) throw notFound(`Board ${id}`);
    return c.json(serializeBoard(board), 200);
  });
  mount(app, routes.topics, async (c, { params: { id }, query: { offset, limit } }) => {
    const page = await topicsOfBoard(id, offset, limit);
    if (!page) throw notFound(`Board ${id}`);
    const now = new Date();
    return c.json(
      { topics: page.topics.map((row) => serializeTopic(row, now)), total: page.total, offset, limit },
      200,
    );
  });
  return app;
}
