import { createRoute } from "@hono/zod-openapi";
import { Forum } from "../../bodies/places.ts";
import { answer, unknownResource } from "../../resource.ts";

export const forum = createRoute({
  method: "get",
  path: "/",
  summary: "The forum: name and description",
  responses: { 200: answer("The forum record", Forum), ...unknownResource },
});
