// The forum's structure: the forum record, its categories and their boards.
import { z } from "@hono/zod-openapi";
import type { Schema } from "@atbb/db";
import type { BoardPlace, ForumPlace } from "../queries.ts";
import { AtUri, Id, iso, idString, Timestamp } from "./time.ts";

export const Forum = z
  .strictObject({
    id: Id,
    did: z.string(),
    uri: AtUri,
    name: z.string(),
    description: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi("Forum");

const sortOrder = z.number().int().nullable().describe("Lower first; unset sorts last, then by name");

export const Category = z
  .strictObject({
    id: Id,
    uri: AtUri,
    name: z.string(),
    description: z.string().nullable(),
    sortOrder,
    createdAt: Timestamp,
  })
  .openapi("Category");

export const Board = z
  .strictObject({
    id: Id,
    uri: AtUri,
    categoryId: Id.nullable(),
    name: z.string(),
    description: z.string().nullable(),
    sortOrder,
    createdAt: Timestamp,
  })
  .openapi("Board");

export const CategoryWithBoards = Category.extend({ boards: z.array(Board) }).openapi("CategoryWithBoards");

export const serializeForum = (forum: Schema["forums"]["$inferSelect"]): z.input<typeof Forum> => ({
  id: String(forum.id),
  did: forum.did,
  uri: `at://${forum.did}/space.atbb.forum.forum/${forum.rkey}`,
  name: forum.name,
  description: forum.description,
  createdAt: iso(forum.createdAt),
});

export const serializeCategory = (c: ForumPlace): z.input<typeof Category> => ({
  id: String(c.id),
  uri: `at://${c.did}/space.atbb.forum.category/${c.rkey}`,
  name: c.name,
  description: c.description,
  sortOrder: c.sortOrder,
  createdAt: iso(c.createdAt),
});

export const serializeBoard = (b: BoardPlace): z.input<typeof Board> => ({
  id: String(b.id),
  uri: `at://${b.did}/space.atbb.forum.board/${b.rkey}`,
  categoryId: idString(b.categoryId),
  name: b.name,
  description: b.description,
  sortOrder: b.sortOrder,
  createdAt: iso(b.createdAt),
});
