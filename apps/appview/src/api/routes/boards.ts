import type { DatabaseHandle } from "@atbb/db";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { boardTopicsPage } from "../queries.ts";
import { serializeTopic } from "../serialize.ts";
import { documented, idParam, pagination, parse } from "../validation.ts";
import { serializeBoard } from "./categories.ts";

const topicsPage = pagination(25, 100);

documented({ method: "get", path: "/api/boards/{id}", summary: "One board", params: idParam });
documented({ method: "get", path: "/api/boards/{id}/topics", summary: "Topics of a board by last activity", params: idParam, query: topicsPage });

export function boardRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { boards } = schema;
  const topicsOfBoard = boardTopicsPage(database);
  return new Hono()
    .get("/:id", async (c) => {
      const { id } = parse(idParam, c.req.param());
      const [board] = await db.select().from(boards).where(eq(boards.id, id));
      if (!board) throw notFound(`Board ${id}`);
      return c.json(serializeBoard(board));
    })
    .get("/:id/topics", async (c) => {
      const { id } = parse(idParam, c.req.param());
      const { offset, limit } = parse(topicsPage, c.req.query());
      const page = await topicsOfBoard(id, offset, limit);
      if (!page) throw notFound(`Board ${id}`);
      const now = new Date();
      return c.json({ topics: page.topics.map((row) => serializeTopic(row, now)), total: page.total, offset, limit });
    });
}
