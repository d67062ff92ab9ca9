import { createRoute, z } from "@hono/zod-openapi";
import { Reply, Topic } from "../../bodies/posts.ts";
import { answer, invalidInput, unknownResource } from "../../resource.ts";
import { idParam, pageFields, pagination } from "../../validation.ts";

export const one = createRoute({
  method: "get",
  path: "/{id}",
  summary: "A topic and a page of its replies, oldest first",
  request: { params: idParam, query: pagination(50, 250) },
  responses: {
    200: answer(
      "The topic and a page of its replies",
      z.strictObject({
        topic: Topic,
        replies: z.array(Reply),
        ...pageFields("Every reply of the topic, those whose content is hidden included"),
      }),
    ),
    ...invalidInput,
    ...unknownResource,
  },
});
