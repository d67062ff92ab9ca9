import { createRoute, z } from "@hono/zod-openapi";
import { isDid } from "@atbb/lexicon/syntax";
import { SearchResult } from "../../bodies/search.ts";
import { answer, invalidInput } from "../../resource.ts";
import { pageFields, pagination } from "../../validation.ts";

// A day (2026-01-31, midnight UTC) or a moment with its offset (2026-01-31T12:00:00Z).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const date = z
  .string()
  .refine(
    (text) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(text)),
    "must be a date such as 2026-01-31 or a time such as 2026-01-31T12:00:00Z",
  )
  .transform((text) => Date.parse(text))
  .optional();

/** What a search asks for, besides the page: the API's query and the search page's form alike. */
export const SearchQuery = z.object({
  q: z
    .string()
    .describe('Words (all must be there), "quoted phrases", and -word or -"phrase" to exclude; at most 500 characters'),
  board: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "must be a board's numeric id")
    .transform(Number)
    .optional()
    .describe("Only posts in this board"),
  author: z
    .string()
    .max(2048)
    .refine(isDid, "must be a DID such as did:plc:abc123")
    .optional()
    .describe("Only this author's posts"),
  topics: z.enum(["only"]).optional().describe('"only": topics, not replies'),
  since: date.describe("Posted at or after (ISO-8601 date or time)"),
  until: date.describe("Posted before (ISO-8601 date or time)"),
  order: z
    .enum(["relevance", "newest"])
    .optional()
    .describe("relevance (default): the engine's rank; newest: by when posted"),
});

export const search = createRoute({
  method: "get",
  path: "/",
  summary: "Posts that contain words or phrases, best match first",
  request: { query: pagination(20, 100).extend(SearchQuery.shape) },
  responses: {
    200: answer(
      "A page of the posts found; ties in rank, and the newest order, by when posted and then id",
      z.strictObject({
        results: z.array(SearchResult),
        ...pageFields("Every post found, counted up to 1,000"),
        moreThanTotal: z.boolean().describe("true when more posts than total were found: counting stopped at 1,000"),
      }),
    ),
    ...invalidInput,
  },
});
