import { createRoute, z } from "@hono/zod-openapi";
import { ModAction } from "../../bodies/mod-actions.ts";
import { answer, invalidInput } from "../../resource.ts";
import { pageFields, pagination } from "../../validation.ts";

export const log = createRoute({
  method: "get",
  path: "/",
  summary: "The public moderation log, newest first",
  request: { query: pagination(50, 100) },
  responses: {
    200: answer(
      "A page of the log",
      z.strictObject({ modActions: z.array(ModAction), ...pageFields("Every action in the log") }),
    ),
    ...invalidInput,
  },
});
