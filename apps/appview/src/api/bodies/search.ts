// A search result as the API shows it: the post (found only when shown, so
// never hidden), where it is, and a highlighted snippet.
import { z } from "@hono/zod-openapi";
import type { SearchHit } from "../search/reads.ts";
import { snippetOf } from "../search/snippet.ts";
import { Post, serializePost } from "./posts.ts";
import { Id } from "./time.ts";

export const SearchResult = Post.extend({
  topicId: Id.describe("The topic the post is (a topic is its own)"),
  snippet: z
    .string()
    .describe("HTML: the post's text around the first word looked for, escaped, each looked-for word in <mark>"),
}).openapi("SearchResult");

export function serializeSearchHit(hit: SearchHit, words: readonly string[], now: Date): z.input<typeof SearchResult> {
  return { ...serializePost(hit.post, now), topicId: String(hit.topicId), snippet: snippetOf(hit.post.text, words) };
}
