import type { DatabaseHandle } from "@atbb/db";
import { ids, type Collection } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { ForumWriter, StoredRecord } from "../../../forum-agent/writer.ts";
import { forumStructure, indexedCid, type ForumStructure, type PlaceChanges } from "../../../forum-structure/places.ts";
import type { MemberAccess } from "../../../login/access.ts";
import { PERMISSION } from "../../../permissions.ts";
import { asForum, forumActing, type ForumWriterSource } from "../../acting.ts";
import { BoardChange, CategoryChange, ForumChange, NewBoard, NewCategory } from "../../bodies/administration.ts";
import { ApiError, notFound } from "../../errors.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

/** An edit's fields, without the version it names. */
const changesOf = ({
  cid: _cid,
  categoryId: _categoryId,
  ...changes
}: PlaceChanges & { cid?: string; categoryId?: number }) => changes;

export function structureRoutes(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  const { db, schema } = database;
  const { forums, categories, boards } = schema;
  const app = resource();

  const acting = forumActing(database, access, forumWriter);
  const structureOf = (writer: ForumWriter): ForumStructure => forumStructure(writer, database, "cascade=true");

  /** The record behind a row shown here, as the forum's repository holds it now. */
  async function stored<C extends Collection>(
    writer: ForumWriter,
    collection: C,
    row: { rkey: string },
    what: string,
  ): Promise<StoredRecord<C>> {
    const record = await asForum(() => writer.get(collection, row.rkey));
    if (!record)
      throw new ApiError(
        409,
        "conflict",
        `${what} is no longer in the forum's repository (deleted behind this AppView's back); nothing was written. Let the AppView catch up and look again.`,
      );
    return record;
  }

  async function rowOf(table: typeof categories | typeof boards, id: number, what: string) {
    const [row] = await db
      .select({ id: table.id, rkey: table.rkey, cid: table.cid })
      .from(table)
      .where(and(eq(table.id, id), eq(table.did, access!.forumDid)));
    if (!row) throw notFound(what);
    return row;
  }

  async function idOf(table: typeof forums | typeof categories | typeof boards, rkey: string): Promise<string> {
    const [row] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.did, access!.forumDid), eq(table.rkey, rkey)));
    // Written and applied locally a moment ago: a missing row means local apply is broken.
    if (!row) throw new Error(`the record ${rkey} was written but is not indexed here`);
    return String(row.id);
  }

  const answer = async (
    table: typeof forums | typeof categories | typeof boards,
    record: StoredRecord<Collection>,
  ) => ({
    id: await idOf(table, record.rkey),
    uri: record.uri,
    cid: record.cid,
  });

  mount(app, routes.editForum, async (c) => {
    await acting.actor(c, PERMISSION.manageForum, "change the forum's name or description");
    const { cid, ...changes } = parse(ForumChange, await jsonBody(c));
    const [row] = await db
      .select({ rkey: forums.rkey })
      .from(forums)
      .where(and(eq(forums.did, access!.forumDid), eq(forums.rkey, "self")));
    if (!row) throw notFound("The forum record");
    const writer = await acting.writer();
    const forum = await stored(writer, ids.forum, row, "The forum record");
    const record = { ...forum.value };
    if (changes.name !== undefined) record.name = changes.name;
    if (changes.description === null) delete record.description;
    else if (changes.description !== undefined) record.description = changes.description;
    const swap = cid ?? (await indexedCid(database, ids.forum, writer.forumDid, forum));
    const updated = await asForum(() => writer.update(ids.forum, "self", record, swap));
    return c.json(await answer(forums, updated), 200);
  });

  mount(app, routes.addCategory, async (c) => {
    await acting.actor(c, PERMISSION.manageCategories, "add a category");
    const place = parse(NewCategory, await jsonBody(c));
    const writer = await acting.writer();
    const created = await asForum(() => structureOf(writer).addCategory(place));
    return c.json(await answer(categories, created), 201);
  });

  mount(app, routes.editCategory, async (c, { params: { id } }) => {
    await acting.actor(c, PERMISSION.manageCategories, "change a category");
    const change = parse(CategoryChange, await jsonBody(c));
    const row = await rowOf(categories, id, `Category ${id}`);
    const writer = await acting.writer();
    const found = await stored(writer, ids.category, row, `Category ${id}`);
    const updated = await asForum(() => structureOf(writer).editCategory(found, changesOf(change), change.cid));
    return c.json(await answer(categories, updated), 200);
  });

  mount(app, routes.removeCategory, async (c, { params: { id }, query }) => {
    await acting.actor(c, PERMISSION.manageCategories, "remove a category");
    const row = await rowOf(categories, id, `Category ${id}`);
    const writer = await acting.writer();
    const found = await stored(writer, ids.category, row, `Category ${id}`);
    const removed = await asForum(() => structureOf(writer).removeCategory(found, query.cascade === "true"));
    return c.json(
      {
        removed: [
          ...removed.boards.map((b) => ({ kind: "board" as const, uri: b.uri, name: b.value.name })),
          { kind: "category" as const, uri: found.uri, name: found.value.name },
        ],
        topics: removed.topics,
      },
      200,
    );
  });

  mount(app, routes.addBoard, async (c) => {
    await acting.actor(c, PERMISSION.manageCategories, "add a board");
    const { categoryId, ...place } = parse(NewBoard, await jsonBody(c));
    const row = await rowOf(categories, categoryId, `Category ${categoryId}`);
    const writer = await acting.writer();
    const category = await stored(writer, ids.category, row, `Category ${categoryId}`);
    const created = await asForum(() => structureOf(writer).addBoard(category, place));
    return c.json(await answer(boards, created), 201);
  });

  mount(app, routes.editBoard, async (c, { params: { id } }) => {
    await acting.actor(c, PERMISSION.manageCategories, "change a board");
    const change = parse(BoardChange, await jsonBody(c));
    const row = await rowOf(boards, id, `Board ${id}`);
    const categoryRow =
      change.categoryId === undefined
        ? null
        : await rowOf(categories, change.categoryId, `Category ${change.categoryId}`);
    const writer = await acting.writer();
    const found = await stored(writer, ids.board, row, `Board ${id}`);
    const category = categoryRow
      ? await stored(writer, ids.category, categoryRow, `Category ${change.categoryId}`)
      : undefined;
    const updated = await asForum(() =>
      structureOf(writer).editBoard(found, { ...changesOf(change), ...(category ? { category } : {}) }, change.cid),
    );
    return c.json(await answer(boards, updated), 200);
  });

  mount(app, routes.removeBoard, async (c, { params: { id }, query }) => {
    await acting.actor(c, PERMISSION.manageCategories, "remove a board");
    const row = await rowOf(boards, id, `Board ${id}`);
    const writer = await acting.writer();
    const found = await stored(writer, ids.board, row, `Board ${id}`);
    const { topics } = await asForum(() => structureOf(writer).removeBoard(found, query.cascade === "true"));
    return c.json({ removed: [{ kind: "board" as const, uri: found.uri, name: found.value.name }], topics }, 200);
  });

  return app;
}
