import type { DatabaseHandle } from "@atbb/db";
import type { MemberAccess } from "../../../login/access.ts";
import { PERMISSION } from "../../../permissions.ts";
import { forumActing, type ForumWriterSource } from "../../acting.ts";
import { administration, type Administration } from "../../administration.ts";
import { BoardChange, CategoryChange, ForumChange, NewBoard, NewCategory } from "../../bodies/administration.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

export function structureRoutes(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  const app = resource();
  const acting = forumActing(database, access, forumWriter);
  // Bound at the first request: a route is only reached past acting.actor, so with members (and a forum DID).
  let bound: Administration | undefined;
  const admin = () => (bound ??= administration(database, access!.forumDid, forumWriter, "cascade=true"));

  mount(app, routes.editForum, async (c) => {
    const actor = await acting.actor(c, PERMISSION.manageForum, "change the forum's name or description");
    return c.json(await admin().editForum(actor, parse(ForumChange, await jsonBody(c))), 200);
  });

  mount(app, routes.addCategory, async (c) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "add a category");
    return c.json(await admin().addCategory(actor, parse(NewCategory, await jsonBody(c))), 201);
  });

  mount(app, routes.editCategory, async (c, { params: { id } }) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "change a category");
    return c.json(await admin().editCategory(actor, id, parse(CategoryChange, await jsonBody(c))), 200);
  });

  mount(app, routes.removeCategory, async (c, { params: { id }, query }) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "remove a category");
    return c.json(await admin().removeCategory(actor, id, query.cascade === "true"), 200);
  });

  mount(app, routes.addBoard, async (c) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "add a board");
    const { categoryId, ...place } = parse(NewBoard, await jsonBody(c));
    return c.json(await admin().addBoard(actor, categoryId, place), 201);
  });

  mount(app, routes.editBoard, async (c, { params: { id } }) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "change a board");
    return c.json(await admin().editBoard(actor, id, parse(BoardChange, await jsonBody(c))), 200);
  });

  mount(app, routes.removeBoard, async (c, { params: { id }, query }) => {
    const actor = await acting.actor(c, PERMISSION.manageCategories, "remove a board");
    return c.json(await admin().removeBoard(actor, id, query.cascade === "true"), 200);
  });

  return app;
}
