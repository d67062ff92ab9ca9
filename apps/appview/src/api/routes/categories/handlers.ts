import type { DatabaseHandle } from "@atbb/db";
import { eq } from "drizzle-orm";
import { serializeBoard, serializeCategory } from "../../bodies/places.ts";
import { notFound } from "../../errors.ts";
import { forumIndex, forumOrder, forumTree } from "../../queries.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function categoryRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { categories, boards } = schema;
  const everyCategoryAndBoard = forumIndex(database);
  const findCategory = async (id: number) => {
    const [category] = await db.select().from(categories).where(eq(categories.id, id));
    if (!category) throw notFound(`Category ${id}`);
    return category;
  };
  const app = resource();
  mount(app, routes.list, async (c) => {
    const { categories: allCategories, boards: allBoards } = await everyCategoryAndBoard();
    return c.json({ categories: forumTree(allCategories, allBoards, serializeCategory, serializeBoard) }, 200);
  });
  mount(app, routes.one, async (c, { params: { id } }) => c.json(serializeCategory(await findCategory(id)), 200));
  mount(app, routes.boards, async (c, { params: { id } }) => {
    await findCategory(id);
    const rows = await db.select().from(boards).where(eq(boards.categoryId, id));
    return c.json({ boards: forumOrder(rows).map(serializeBoard) }, 200);
  });
  return app;
}
