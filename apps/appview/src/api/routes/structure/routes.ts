// The administrators' changes to the forum's structure: the forum's name and
// description, categories and boards. Each is written by the forum account
// to its repository, then shown at once; each route says the permission it needs.
import { createRoute, z } from "@hono/zod-openapi";
import {
  BoardChange,
  CategoryChange,
  ForumChange,
  NewBoard,
  NewCategory,
  Removed,
  WrittenRecord,
} from "../../bodies/administration.ts";
import { ErrorBody } from "../../bodies/errors.ts";
import { answer } from "../../resource.ts";
import { idParam } from "../../validation.ts";

export const json = <S extends z.ZodType>(schema: S) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

/** Every refusal of an administrator's change; in each, nothing was written anywhere. */
export const refusals = {
  400: answer("Bad input (a limit passed, a field unknown, not JSON); nothing was written", ErrorBody),
  401: answer("No session, or one that has ended", ErrorBody),
  403: answer("The member's role does not permit it (the reason is said), or a request from another site", ErrorBody),
  404: answer("No such forum, category, board, member or role", ErrorBody),
  409: answer(
    "Changed in the forum's repository since it was indexed here, or not empty (without cascade); nothing was written",
    ErrorBody,
  ),
  503: answer("The forum account cannot write now (not configured, not logged in, its PDS unreachable)", ErrorBody),
} as const;

const written = (what: string) => answer(what, WrittenRecord);

export const editForum = createRoute({
  method: "patch",
  path: "/forum",
  summary: "Changes the forum's name or description (needs manageForum)",
  description:
    "Permission: space.atbb.permission.manageForum. The forum record is resent whole: fields not in the request are kept.",
  request: json(ForumChange),
  responses: { 200: written("The forum record as changed"), ...refusals },
});

export const addCategory = createRoute({
  method: "post",
  path: "/categories",
  summary: "Adds a category (needs manageCategories)",
  description: "Permission: space.atbb.permission.manageCategories. The slug is derived from the name.",
  request: json(NewCategory),
  responses: { 201: written("The category, written and shown at once"), ...refusals },
});

export const editCategory = createRoute({
  method: "patch",
  path: "/categories/{id}",
  summary: "Changes a category (needs manageCategories)",
  description:
    "Permission: space.atbb.permission.manageCategories. The record is resent whole, replacing only the version seen: fields not in the request are kept.",
  request: { params: idParam, ...json(CategoryChange) },
  responses: { 200: written("The category as changed"), ...refusals },
});

const cascade = z.object({
  cascade: z
    .enum(["true", "false"])
    .optional()
    .describe("true: remove what it holds with it (a category's boards; a board's place of its topics)"),
});

export const removeCategory = createRoute({
  method: "delete",
  path: "/categories/{id}",
  summary: "Removes a category; refused (409) while it holds boards, unless cascade=true (needs manageCategories)",
  description:
    "Permission: space.atbb.permission.manageCategories. With cascade=true its boards are removed first; the answer lists every record removed.",
  request: { params: idParam, query: cascade },
  responses: { 200: answer("What was removed", Removed), ...refusals },
});

export const addBoard = createRoute({
  method: "post",
  path: "/boards",
  summary: "Adds a board to a category (needs manageCategories)",
  description: "Permission: space.atbb.permission.manageCategories. The slug is derived from the name.",
  request: json(NewBoard),
  responses: { 201: written("The board, written and shown at once"), ...refusals },
});

export const editBoard = createRoute({
  method: "patch",
  path: "/boards/{id}",
  summary: "Changes a board, or moves it to another category (needs manageCategories)",
  description:
    "Permission: space.atbb.permission.manageCategories. The record is resent whole, replacing only the version seen: fields not in the request are kept.",
  request: { params: idParam, ...json(BoardChange) },
  responses: { 200: written("The board as changed"), ...refusals },
});

export const removeBoard = createRoute({
  method: "delete",
  path: "/boards/{id}",
  summary: "Removes a board; refused (409) while it holds topics, unless cascade=true (needs manageCategories)",
  description:
    "Permission: space.atbb.permission.manageCategories. Its topics stay in their authors' repositories, no longer on a board.",
  request: { params: idParam, query: cascade },
  responses: { 200: answer("What was removed", Removed), ...refusals },
});
