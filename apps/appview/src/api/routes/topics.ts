import type { DatabaseHandle } from "@atbb/db";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { topicPage } from "../queries.ts";
import { serializeReply, serializeTopic } from "../serialize.ts";
import { documented, idParam, pagination, parse } from "../validation.ts";

const repliesPage = pagination(50, 250);

documented({ method: "get", path: "/api/topics/{id}", summary: "A topic and a page of its replies, oldest first", params: idParam, query: repliesPage });

export function topicRoutes(database: DatabaseHandle) {
  const topicWithReplies = topicPage(database);
  return new Hono().get("/:id", async (c) => {
    const { id } = parse(idParam, c.req.param());
    const { offset, limit } = parse(repliesPage, c.req.query());
    const page = await topicWithReplies(id, offset, limit);
    if (!page) throw notFound(`Topic ${id}`);
    const now = new Date();
    return c.json({ topic: serializeTopic(page.topic, now), replies: page.replies.map((r) => serializeReply(r, now)), total: page.total, offset, limit });
  });
}
