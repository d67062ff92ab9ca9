import type { DatabaseHandle } from "@atbb/db";
import type { z } from "@hono/zod-openapi";
import { serializeSearchHit } from "../../bodies/search.ts";
import { mount, resource } from "../../resource.ts";
import { searchPosts } from "../../search/reads.ts";
import { highlightedWords, parseSearch } from "../../search/terms.ts";
import * as routes from "./routes.ts";

/**
 * A checked search's page of results, as the API's body lists them: the
 * route's and the search page's one way to search. A query the engine
 * cannot read is an ApiError (400).
 */
export function searching(database: DatabaseHandle) {
  const find = searchPosts(database);
  return async (query: z.output<typeof routes.SearchQuery>, offset: number, limit: number) => {
    const terms = parseSearch(query.q);
    const filters = {
      boardId: query.board ?? null,
      authorDid: query.author ?? null,
      topicsOnly: query.topics === "only",
      since: query.since ?? null,
      until: query.until ?? null,
    };
    const page = await find(terms, filters, query.order ?? "relevance", offset, limit);
    const now = new Date();
    const words = highlightedWords(terms);
    return {
      results: page.hits.map((hit) => serializeSearchHit(hit, words, now)),
      total: page.total,
      moreThanTotal: page.moreThanTotal,
    };
  };
}

export function searchRoutes(database: DatabaseHandle) {
  const search = searching(database);
  const app = resource();
  mount(app, routes.search, async (c, { query }) =>
    c.json({ ...(await search(query, query.offset, query.limit)), offset: query.offset, limit: query.limit }, 200),
  );
  return app;
}
