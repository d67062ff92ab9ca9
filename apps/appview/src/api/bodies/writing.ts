// What a member sends to write, and what the forum answers: the record's
// address in their repository and its row here.
import { z } from "@hono/zod-openapi";
import { AtUri } from "./time.ts";

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const cid = z.string().min(1).max(200).describe("The CID of the version the member saw (from the read API)");

export const NewTopic = z
  .strictObject({
    boardId: id.describe("The board's id"),
    title: z.string().max(1200).describe("Up to 120 characters (graphemes)"),
    text: z.string().max(3000).describe("Up to 300 characters (graphemes)"),
  })
  .openapi("NewTopic");

export const NewReply = z
  .strictObject({
    parentId: id.optional().describe("The post answered, in the same topic (default: the topic)"),
    quoteId: id.optional().describe("A post of the same topic this reply quotes (the topic or one of its replies)"),
    text: z.string().max(3000).describe("Up to 300 characters (graphemes)"),
  })
  .openapi("NewReply");

export const PostEdit = z
  .strictObject({ cid, text: z.string().max(3000), title: z.string().max(1200).optional().describe("Topics only") })
  .openapi("PostEdit");

export const Written = z
  .strictObject({
    id: z.string().describe("The post's id here"),
    uri: AtUri,
    cid: z.string().describe("The CID of the version written"),
  })
  .openapi("WrittenPost");
