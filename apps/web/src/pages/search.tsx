// The search page: the query and its filters in one form (a plain GET, so it
// works without JavaScript), the posts found best match first, and links to
// more pages that keep every filter. The AppView checks the filters as
// GET /api/search does; one it cannot read is said above the results.
import { raw } from "hono/html";
import type { CategoryView, SearchInput, SearchPageView as Found } from "../deps.ts";
import { authorName, type Frame, Layout, When } from "../layout.tsx";

export const SEARCH_PAGE_SIZE = 20;

const FIELDS = ["q", "board", "author", "topics", "since", "until", "order"] as const;

/** The form's fields as the address has them; a missing one is empty (no filter). */
export const searchInputOf = (query: (name: string) => string | undefined): SearchInput =>
  Object.fromEntries(FIELDS.map((name) => [name, query(name) ?? ""])) as unknown as SearchInput;

/** The address of a page of results: only the fields given, so links stay short. */
export const searchHref = (search: SearchInput, page: number) => {
  const params = new URLSearchParams();
  for (const name of FIELDS) if (search[name] !== "") params.set(name, search[name]);
  if (page > 1) params.set("page", String(page));
  return `/search?${params}`;
};

export function SearchPageView(props: {
  frame: Frame;
  search: SearchInput;
  /** The boards to narrow to, by category. */
  boards: CategoryView[];
  found: Found | { problem: string } | null;
  page: number;
}) {
  const { search, found, page } = props;
  return (
    <Layout frame={props.frame} title={search.q ? `Search: ${search.q}` : "Search"}>
      <h1>Search</h1>
      <search>
        <form method="get" action="/search" class="stacked">
          <div>
            <label for="search-query">Words, "a phrase", or -word to leave out</label>
            <input id="search-query" type="search" name="q" value={search.q} maxlength={500} />
          </div>
          <fieldset>
            <legend>Narrow the search</legend>
            <div>
              <label for="search-board">Board</label>
              <select id="search-board" name="board">
                <option value="">Every board</option>
                {props.boards.map((category) => (
                  <optgroup label={category.name}>
                    {category.boards.map((board) => (
                      <option value={board.id} selected={board.id === search.board}>
                        {board.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <div>
              <label for="search-author">
                Author <span class="hint">(a handle, or a DID)</span>
              </label>
              <input id="search-author" type="text" name="author" value={search.author} maxlength={2048} />
            </div>
            <div>
              <input id="search-topics" type="checkbox" name="topics" value="only" checked={search.topics === "only"} />{" "}
              <label for="search-topics">Topics only, not replies</label>
            </div>
            <div>
              <label for="search-since">
                Posted on or after <span class="hint">(a date, UTC)</span>
              </label>
              <input id="search-since" type="date" name="since" value={search.since} />
            </div>
            <div>
              <label for="search-until">
                Posted before <span class="hint">(a date, UTC)</span>
              </label>
              <input id="search-until" type="date" name="until" value={search.until} />
            </div>
            <div>
              <label for="search-order">Order</label>
              <select id="search-order" name="order">
                <option value="relevance" selected={search.order !== "newest"}>
                  Best match first
                </option>
                <option value="newest" selected={search.order === "newest"}>
                  Newest first
                </option>
              </select>
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">Search</button>
          </div>
        </form>
      </search>
      {found === null ? null : "problem" in found ? (
        <p class="error" role="alert">
          {found.problem}
        </p>
      ) : found.results.length === 0 ? (
        <p>Nothing found.</p>
      ) : (
        <>
          <p class="muted">
            {found.moreThanTotal
              ? `More than ${found.total.toLocaleString("en")} posts found`
              : found.total === 1
                ? "1 post found"
                : `${found.total} posts found`}
          </p>
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
            {page > 1 ? <a href={searchHref(search, page - 1)}>Previous</a> : null}{" "}
            {page * SEARCH_PAGE_SIZE < found.total ||
            (found.moreThanTotal && found.results.length === SEARCH_PAGE_SIZE) ? (
              <a href={searchHref(search, page + 1)}>Next</a>
            ) : null}
          </nav>
        </>
      )}
    </Layout>
  );
}
