import type { DatabaseHandle } from "@atbb/db";
import { count, eq } from "drizzle-orm";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { boardTopicsPage, topicsOfBoard } from "../queries.ts";
import { serializeTopic } from "../serialize.ts";
import { documented, idParam, pagination, parse } from "../validation.ts";
import { serializeBoard } from "./categories.ts";

const topicsPage = pagination(25, 100);

documented({ method: "get", path: "/api/boards/{id}", summary: "One board", params: idParam });
documented({ method: "get", path: "/api/boards/{id}/topics", summary: "Topics of a board by last activity", params: idParam, query: topicsPage });

export function boardRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { boards, posts } = schema;
  const findBoard = async (id: number) => {
    const [board] = await db.select().from(boards).where(eq(boards.id, id));
    if (!board) throw notFound(`Board ${id}`);
    return board;
  };
  return new Hono()
    .get("/:id", async (c) => {
      const { id } = parse(idParam, c.req.param());
      return c.json(serializeBoard(await findBoard(id)));
    })
    .get("/:id/topics", async (c) => {
      const { id } = parse(idParam, c.req.param());
      const { offset, limit } = parse(topicsPage, c.req.query());
      await findBoard(id);
      const [rows, [total]] = await Promise.all([
        boardTopicsPage(database, id, offset, limit),
        db.select({ n: count() }).from(posts).where(topicsOfBoard(database, id)),
      ]);
      const now = new Date();
      return c.json({ topics: rows.map((row) => serializeTopic(row, now)), total: total!.n, offset, limit });
    });
}
