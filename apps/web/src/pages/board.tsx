// A board: its topics by last activity, read by page; with JavaScript on,
// "Load more" appends the next page in place (HTMX), and without it the same
// link opens the next page.
import type { BoardPage } from "../deps.ts";
import { authorName, Crumbs, type Frame, Layout, When } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import { csrfToken } from "../security.ts";
import { hiddenSentence } from "./posts.tsx";

type Topic = BoardPage["topics"][number];

export const boardHref = (id: string, page = 1) => (page === 1 ? `/b/${id}` : `/b/${id}?page=${page}`);

/** The topics of the page with posts the viewer has not read; null for a reader who is not logged in. */
type Unread = Set<string> | null;

export function BoardPageView(props: { frame: Frame; page: BoardPage; paging: Paging; unread: Unread }) {
  const { board, topics } = props.page;
  const { viewer } = props.frame;
  const href = (page: number) => boardHref(board.id, page);
  return (
    <Layout
      frame={props.frame}
      title={board.name}
      feed={{ href: `/b/${board.id}/feed`, title: `${board.name} (Atom)` }}
    >
      <Crumbs trail={[{ href: boardHref(board.id), name: board.name }]} />
      <h1>{board.name}</h1>
      {board.description ? <p class="muted">{board.description}</p> : null}
      {viewer ? (
        <div class="actions">
          <a class="button" href={`/b/${board.id}/new`}>
            New topic
          </a>
          {props.unread ? (
            <form method="post" action={`/b/${board.id}/read`}>
              <input type="hidden" name="csrf" value={csrfToken(viewer.sessionId)} />
              <button type="submit" class="quiet">
                Mark board read
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      <PageNumbers paging={props.paging} href={href} label="Pages of topics (top)" />
      {topics.length === 0 ? (
        <p>No topics here yet.</p>
      ) : (
        <ol class="list" id="topics" aria-label="Topics">
          <TopicRows topics={topics} unread={props.unread} />
          <LoadMore boardId={board.id} paging={props.paging} />
        </ol>
      )}
      <PageNumbers paging={props.paging} href={href} label="Pages of topics (bottom)" />
      <p class="meta">
        <a href={`/b/${board.id}/feed`}>Atom feed of this board</a>
      </p>
    </Layout>
  );
}

/** What "Load more" fetches: the next page's rows, and the link to the one after. */
export function MoreTopics(props: { page: BoardPage; paging: Paging; unread: Unread }) {
  return (
    <>
      <TopicRows topics={props.page.topics} unread={props.unread} />
      <LoadMore boardId={props.page.board.id} paging={props.paging} />
    </>
  );
}

function LoadMore(props: { boardId: string; paging: Paging }) {
  const { page, pages } = props.paging;
  if (page >= pages) return null;
  const next = boardHref(props.boardId, page + 1);
  return (
    <li class="more">
      <a href={next} hx-get={next} hx-target="closest li" hx-swap="outerHTML">
        Load more topics
      </a>
    </li>
  );
}

function TopicRows(props: { topics: Topic[]; unread: Unread }) {
  return (
    <>
      {props.topics.map((topic) => (
        <li>
          <div class="row">
            <div>
              {topic.pinned ? <span class="badge">Pinned</span> : null}{" "}
              {topic.locked ? <span class="badge">Locked</span> : null}{" "}
              <a href={`/t/${topic.id}`}>
                <strong>{topic.title ?? hiddenSentence(topic.hidden)}</strong>
              </a>
              {props.unread?.has(topic.id) ? (
                <>
                  {" "}
                  <a class="badge unread" href={`/t/${topic.id}/unread`}>
                    New<span class="visually-hidden"> posts: jump to the first unread</span>
                  </a>
                </>
              ) : null}
              <div class="meta">
                by <a href={`/u/${topic.author.did}`}>{authorName(topic.author)}</a>, <When at={topic.createdAt} />
              </div>
            </div>
            <div class="counts">
              {topic.replyCount} {topic.replyCount === 1 ? "reply" : "replies"}
              <br />
              {topic.lastReplyAt ? (
                <>
                  Last reply {topic.lastReplyBy ? <>by {authorName(topic.lastReplyBy)}, </> : null}
                  <When at={topic.lastReplyAt} />
                </>
              ) : (
                "No replies yet"
              )}
            </div>
          </div>
        </li>
      ))}
    </>
  );
}
