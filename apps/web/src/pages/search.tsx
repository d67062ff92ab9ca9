// The search page: the query in a form (a plain GET, so it works without
// JavaScript), the posts found best match first, and links to more pages.
import { raw } from "hono/html";
import type { SearchPageView as Found } from "../deps.ts";
import { authorName, type Frame, Layout, When } from "../layout.tsx";

export const SEARCH_PAGE_SIZE = 20;

const searchHref = (query: string, page: number) =>
  `/search?${new URLSearchParams(page === 1 ? { q: query } : { q: query, page: String(page) })}`;

export function SearchPageView(props: {
  frame: Frame;
  query: string;
  found: Found | { problem: string } | null;
  page: number;
}) {
  const { query, found, page } = props;
  return (
    <Layout frame={props.frame} title={query ? `Search: ${query}` : "Search"}>
      <h1>Search</h1>
      <search>
        <form method="get" action="/search">
          <label for="search-query">Words, "a phrase", or -word to leave out</label>
          <input id="search-query" type="search" name="q" value={query} maxlength={500} />
          <button type="submit">Search</button>
        </form>
      </search>
      {found === null ? null : "problem" in found ? (
        <p role="alert">{found.problem}</p>
      ) : found.results.length === 0 ? (
        <p>Nothing found.</p>
      ) : (
        <>
          <p class="muted">{found.total === 1 ? "1 post found" : `${found.total} posts found`}</p>
          <ol class="list" aria-label="Posts found">
            {found.results.map((result) => (
              <li>
                <a href={`/t/${result.topicId}`}>{result.title ?? "A reply"}</a>
                {/* The snippet is the AppView's escaped text with <mark> added (api/search/snippet.ts). */}
                <p>{raw(result.snippet)}</p>
                <div class="meta">
                  {authorName(result.author)} · <When at={result.createdAt} />
                </div>
              </li>
            ))}
          </ol>
          <nav aria-label="Pages of results">
            {page > 1 ? <a href={searchHref(query, page - 1)}>Previous</a> : null}{" "}
            {page * SEARCH_PAGE_SIZE < found.total ? <a href={searchHref(query, page + 1)}>Next</a> : null}
          </nav>
        </>
      )}
    </Layout>
  );
}
