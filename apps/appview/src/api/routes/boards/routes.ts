import { createRoute, z } from "@hono/zod-openapi";
import { Board } from "../../bodies/places.ts";
import { Topic } from "../../bodies/posts.ts";
import { answer, invalidInput, unknownResource } from "../../resource.ts";
import { idParam, pageFields, pagination } from "../../validation.ts";

export const one = createRoute({
  method: "get",
  path: "/{id}",
  summary: "One board",
  request: { params: idParam },
  responses: { 200: answer("The board", Board), ...invalidInput, ...unknownResource },
});

export const topics = createRoute({
  method: "get",
  path: "/{id}/topics",
  summary: "Topics of a board by last activity",
  request: { params: idParam, query: pagination(25, 100) },
  responses: {
    200: answer(
      "A page of the board's topics, most recently active first",
      z.strictObject({
        topics: z.array(Topic),
        ...pageFields("Every topic of the board, those whose content is hidden included"),
      }),
    ),
    ...invalidInput,
    ...unknownResource,
  },
});
