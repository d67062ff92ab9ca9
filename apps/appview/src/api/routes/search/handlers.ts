import type { DatabaseHandle } from "@atbb/db";
import { serializeSearchHit } from "../../bodies/search.ts";
import { mount, resource } from "../../resource.ts";
import { searchPosts } from "../../search/reads.ts";
import { highlightedWords, parseSearch } from "../../search/terms.ts";
import * as routes from "./routes.ts";

export function searchRoutes(database: DatabaseHandle) {
  const find = searchPosts(database);
  const app = resource();
  mount(app, routes.search, async (c, { query }) => {
    const terms = parseSearch(query.q);
    const filters = {
      boardId: query.board ?? null,
      authorDid: query.author ?? null,
      topicsOnly: query.topics === "only",
      since: query.since ?? null,
      until: query.until ?? null,
    };
    const page = await find(terms, filters, query.order ?? "relevance", query.offset, query.limit);
    const now = new Date();
    const words = highlightedWords(terms);
    return c.json(
      {
        results: page.hits.map((hit) => serializeSearchHit(hit, words, now)),
        total: page.total,
        offset: query.offset,
        limit: query.limit,
      },
      200,
    );
  });
  return app;
}
