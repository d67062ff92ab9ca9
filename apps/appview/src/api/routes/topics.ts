import type { DatabaseHandle } from "@atbb/db";
import { and, count, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { postsWithAuthors, topicRepliesPage } from "../queries.ts";
import { serializeReply, serializeTopic } from "../serialize.ts";
import { documented, idParam, pagination, parse } from "../validation.ts";

const repliesPage = pagination(50, 250);

documented({ method: "get", path: "/api/topics/{id}", summary: "A topic and a page of its replies, oldest first", params: idParam, query: repliesPage });

export function topicRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { posts } = schema;
  return new Hono().get("/:id", async (c) => {
    const { id } = parse(idParam, c.req.param());
    const { offset, limit } = parse(repliesPage, c.req.query());
    const [topic] = await postsWithAuthors(database).where(and(eq(posts.id, id), isNull(posts.rootUri)));
    if (!topic) throw notFound(`Topic ${id}`);
    const [replies, [total]] = await Promise.all([
      topicRepliesPage(database, id, offset, limit),
      db.select({ n: count() }).from(posts).where(eq(posts.rootId, id)),
    ]);
    const now = new Date();
    return c.json({ topic: serializeTopic(topic, now), replies: replies.map((r) => serializeReply(r, now)), total: total!.n, offset, limit });
  });
}
