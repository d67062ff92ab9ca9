import { createRoute, z } from "@hono/zod-openapi";
import { ErrorBody } from "../../bodies/errors.ts";
import { NewReply, NewTopic, PostEdit, Written } from "../../bodies/writing.ts";
import { answer } from "../../resource.ts";
import { idParam } from "../../validation.ts";

const json = <S extends z.ZodType>(schema: S) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

/** Every refusal of a write; in each, nothing was written anywhere. */
const refusals = {
  400: answer("Bad input (a limit passed, a parent outside the thread…); nothing was written", ErrorBody),
  401: answer("No session, or one that has ended", ErrorBody),
  403: answer(
    "Not allowed: banned, topic locked, the role does not permit it, not the author, or a request from another site",
    ErrorBody,
  ),
  404: answer("No such board, topic or post", ErrorBody),
  429: answer("Writing too fast: Retry-After says how many seconds to wait", ErrorBody),
  503: answer("The member's PDS could not be reached, or the forum is not indexed yet; nothing was written", ErrorBody),
} as const;

export const createTopic = createRoute({
  method: "post",
  path: "/topics",
  summary: "Starts a topic in a board, written to the member's repository (needs createTopics)",
  request: json(NewTopic),
  responses: { 201: answer("The topic, written and shown at once", Written), ...refusals },
});

export const reply = createRoute({
  method: "post",
  path: "/topics/{id}/replies",
  summary: "Replies in a topic, to the topic or to one of its posts (needs createPosts)",
  request: { params: idParam, ...json(NewReply) },
  responses: { 201: answer("The reply, written and shown at once", Written), ...refusals },
});

export const edit = createRoute({
  method: "put",
  path: "/posts/{id}",
  summary: "Edits the member's own post: the whole record is resent, replacing only the version the member saw",
  request: { params: idParam, ...json(PostEdit) },
  responses: {
    200: answer("The post as edited", Written),
    ...refusals,
    409: answer("The post changed since the member saw it: nothing was written", ErrorBody),
  },
});

export const remove = createRoute({
  method: "delete",
  path: "/posts/{id}",
  summary: "Deletes the member's own post from their repository; the thread keeps its place",
  request: {
    params: idParam,
    query: z.object({
      cid: z.string().min(1).max(200).optional().describe("The version the member saw: refused (409) if it changed"),
    }),
  },
  responses: {
    204: { description: "Deleted" },
    ...refusals,
    409: answer("The post changed since the member saw it: nothing was deleted", ErrorBody),
  },
});
