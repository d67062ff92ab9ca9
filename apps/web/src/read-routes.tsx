// The pages that read: the forum index, a board, a topic, a member.
import type { Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { WebDeps } from "./deps.ts";
import { frameOf } from "./frame.ts";
import { offsetOf, paging } from "./paging.tsx";
import { readTopicPage, unreadOfBoard } from "./reading.ts";
import { BoardPageView, MoreTopics } from "./pages/board.tsx";
import { ForumIndexPage } from "./pages/forum-index.tsx";
import { MemberPage } from "./pages/member.tsx";
import { FirstRunPage } from "./pages/problems.tsx";
import { searchInputOf, SearchPageView, SEARCH_PAGE_SIZE } from "./pages/search.tsx";
import { TopicPageView } from "./pages/topic.tsx";
import type { StaticFiles } from "./static-files.ts";

export const BOARD_PAGE_SIZE = 25;
export const TOPIC_PAGE_SIZE = 20;

const ID = /^[1-9]\d{0,15}$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]{1,2000}$/;

/** A numeric id from the path, or null for anything else (answered with the not-found page). */
export const idOf = (value: string | undefined): number | null =>
  value !== undefined && ID.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER ? Number(value) : null;

export function readRoutes(app: Hono, deps: WebDeps, files: StaticFiles): void {
  const { reads } = deps;
  const { notFound } = pageAnswers(deps, files);

  app.get("/", async (c) => {
    const [frame, forum] = await Promise.all([frameOf(c, deps, files), reads.forum()]);
    if (!forum) return c.html(<FirstRunPage frame={frame} />, 503);
    return c.html(<ForumIndexPage frame={frame} forum={forum} categories={await reads.index()} />);
  });

  app.get("/b/:id", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null) return notFound(c, "There is no such board.");
    // The page number is checked against the board's size, known with its first page.
    const first = await reads.board(id, 0, 0);
    if (!first) return notFound(c, "There is no such board.");
    const at = paging(c.req.query("page"), first.total, BOARD_PAGE_SIZE);
    if (!at) return notFound(c, "There is no such page of this board.");
    const page = await reads.board(id, offsetOf(at.page, at.size), at.size);
    if (!page) return notFound(c, "There is no such board.");
    const frame = await frameOf(c, deps, files);
    const unread = await unreadOfBoard(deps.readMarks, frame.viewer, page);
    // HTMX's "Load more" asks for the next page's rows alone.
    if (c.req.header("hx-request") === "true") return c.html(<MoreTopics page={page} paging={at} unread={unread} />);
    return c.html(<BoardPageView frame={frame} page={page} paging={at} unread={unread} />);
  });

  app.get("/t/:id", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null) return notFound(c, "There is no such topic.");
    const first = await reads.topic(id, 0, TOPIC_PAGE_SIZE);
    if (!first) return notFound(c, "There is no such topic.");
    const asked = c.req.query("page");
    const at = paging(asked, first.total, TOPIC_PAGE_SIZE);
    if (!at) return notFound(c, "There is no such page of this topic.");
    const page = at.page === 1 ? first : await reads.topic(id, offsetOf(at.page, at.size), at.size);
    if (!page) return notFound(c, "There is no such topic.");
    const frame = await frameOf(c, deps, files);
    // Moderators see the tools their role allows; everyone else sees none. Neither read waits for the other.
    const [firstUnread, may] = await Promise.all([
      readTopicPage(deps.readMarks, frame.viewer, page, at),
      frame.viewer && deps.staff ? deps.staff.capabilities(frame.viewer.did) : null,
    ]);
    return c.html(
      <TopicPageView
        frame={frame}
        page={page}
        paging={at}
        members={deps.members}
        firstUnread={firstUnread}
        may={may}
        canReport={deps.members !== null && deps.reports !== null}
        reported={c.req.query("reported") === "1"}
      />,
    );
  });

  app.get("/search", async (c) => {
    const search = searchInputOf((name) => c.req.query(name));
    const [frame, boards] = await Promise.all([frameOf(c, deps, files), reads.index()]);
    const view = (found: Parameters<typeof SearchPageView>[0]["found"], page: number) => (
      <SearchPageView frame={frame} search={search} boards={boards} found={found} page={page} />
    );
    if (search.q.trim() === "") return c.html(view(null, 1));
    const page = idOf(c.req.query("page") ?? "1") ?? 1;
    const found = await reads.search(search, offsetOf(page, SEARCH_PAGE_SIZE), SEARCH_PAGE_SIZE);
    return c.html(view(found, page), "problem" in found ? 400 : 200);
  });

  app.get("/u/:did", async (c) => {
    const did = c.req.param("did");
    const member = DID.test(did) ? await reads.member(did) : null;
    if (!member) return notFound(c, "There is no such member here.");
    return c.html(<MemberPage frame={await frameOf(c, deps, files)} member={member} />);
  });
}
