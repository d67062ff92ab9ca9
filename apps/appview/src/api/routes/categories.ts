import type { DatabaseHandle } from "@atbb/db";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { forumIndex, forumOrder, type BoardPlace, type ForumPlace } from "../queries.ts";
import { idString, iso } from "../serialize.ts";
import { documented, idParam, parse } from "../validation.ts";

export const serializeCategory = (c: ForumPlace) => ({
  id: String(c.id),
  uri: `at://${c.did}/space.atbb.forum.category/${c.rkey}`,
  name: c.name,
  description: c.description,
  sortOrder: c.sortOrder,
  createdAt: iso(c.createdAt),
});

export const serializeBoard = (b: BoardPlace) => ({
  id: String(b.id),
  uri: `at://${b.did}/space.atbb.forum.board/${b.rkey}`,
  categoryId: idString(b.categoryId),
  name: b.name,
  description: b.description,
  sortOrder: b.sortOrder,
  createdAt: iso(b.createdAt),
});

documented({ method: "get", path: "/api/categories", summary: "Categories by sort order then name, each with its boards" });
documented({ method: "get", path: "/api/categories/{id}", summary: "One category", params: idParam });
documented({ method: "get", path: "/api/categories/{id}/boards", summary: "The boards of a category", params: idParam });

export function categoryRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { categories, boards } = schema;
  const everyCategoryAndBoard = forumIndex(database);
  const findCategory = async (id: number) => {
    const [category] = await db.select().from(categories).where(eq(categories.id, id));
    if (!category) throw notFound(`Category ${id}`);
    return category;
  };
  return new Hono()
    .get("/", async (c) => {
      const { categories: allCategories, boards: allBoards } = await everyCategoryAndBoard();
      const sortedBoards = forumOrder(allBoards);
      return c.json({
        categories: forumOrder(allCategories).map((category) => ({
          ...serializeCategory(category),
          boards: sortedBoards.filter((b) => b.categoryId === category.id).map(serializeBoard),
        })),
      });
    })
    .get("/:id", async (c) => {
      const { id } = parse(idParam, c.req.param());
      return c.json(serializeCategory(await findCategory(id)));
    })
    .get("/:id/boards", async (c) => {
      const { id } = parse(idParam, c.req.param());
      await findCategory(id);
      const rows = await db.select().from(boards).where(eq(boards.categoryId, id));
      return c.json({ boards: forumOrder(rows).map(serializeBoard) });
    });
}
