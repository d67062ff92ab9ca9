import { createRoute, z } from "@hono/zod-openapi";
import { Board, CategoryWithBoards, Category } from "../../bodies/places.ts";
import { answer, invalidInput, unknownResource } from "../../resource.ts";
import { idParam } from "../../validation.ts";

export const list = createRoute({
  method: "get",
  path: "/",
  summary: "Categories by sort order then name, each with its boards",
  responses: {
    200: answer(
      "Every category, each with its boards in the same order",
      z.strictObject({ categories: z.array(CategoryWithBoards) }),
    ),
  },
});

export const one = createRoute({
  method: "get",
  path: "/{id}",
  summary: "One category",
  request: { params: idParam },
  responses: { 200: answer("The category", Category), ...invalidInput, ...unknownResource },
});

export const boards = createRoute({
  method: "get",
  path: "/{id}/boards",
  summary: "The boards of a category",
  request: { params: idParam },
  responses: {
    200: answer("Its boards by sort order then name", z.strictObject({ boards: z.array(Board) })),
    ...invalidInput,
    ...unknownResource,
  },
});
