import { createRoute } from "@hono/zod-openapi";
import { BackfillReport } from "../../bodies/backfill.ts";
import { answer } from "../../resource.ts";
import { pagination } from "../../validation.ts";
import { refusals } from "../structure/routes.ts";

export const report = createRoute({
  method: "get",
  path: "/",
  summary: "The backfill's progress and the errors it recorded, most recent first (needs manageMembers)",
  description:
    "Permission: space.atbb.permission.manageMembers: the errors say whose repositories could not be read, which is what an administrator answering a member needs.",
  request: { query: pagination(50, 100) },
  responses: {
    200: answer("The backfill's state, what is left, and a page of its errors", BackfillReport),
    400: refusals[400],
    401: refusals[401],
    403: refusals[403],
  },
});
