// A board: its topics by last activity, read by page; with JavaScript on,
// "Load more" appends the next page in place (HTMX), and without it the same
// link opens the next page.
import type { BoardPage } from "../deps.ts";
import { authorName, Crumbs, type Frame, Layout, When } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import { hiddenSentence } from "./posts.tsx";

type Topic = BoardPage["topics"][number];

export const boardHref = (id: string, page = 1) => (page === 1 ? `/b/${id}` : `/b/${id}?page=${page}`);

export function BoardPageView(props: { frame: Frame; page: BoardPage; paging: Paging }) {
  const { board, topics } = props.page;
  const href = (page: number) => boardHref(board.id, page);
  return (
    <Layout frame={props.frame} title={board.name}>
      <Crumbs trail={[{ href: boardHref(board.id), name: board.name }]} />
      <h1>{board.name}</h1>
      {board.description ? <p class="muted">{board.description}</p> : null}
      {props.frame.viewer ? (
        <p>
          <a class="button" href={`/b/${board.id}/new`}>
            New topic
          </a>
        </p>
      ) : null}
      <PageNumbers paging={props.paging} href={href} label="Pages of topics (top)" />
      {topics.length === 0 ? (
        <p>No topics here yet.</p>
      ) : (
        <ol class="list" id="topics" aria-label="Topics">
          <TopicRows topics={topics} />
          <LoadMore boardId={board.id} paging={props.paging} />
        </ol>
      )}
      <PageNumbers paging={props.paging} href={href} label="Pages of topics (bottom)" />
    </Layout>
  );
}

/** What "Load more" fetches: the next page's rows, and the link to the one after. */
export function MoreTopics(props: { page: BoardPage; paging: Paging }) {
  return (
    <>
      <TopicRows topics={props.page.topics} />
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

function TopicRows(props: { topics: Topic[] }) {
  return (
    <>
      {props.topics.map((topic) => (
        <li>
          <div class="row">
            <div>
              {topic.locked ? <span class="badge">Locked</span> : null}{" "}
              <a href={`/t/${topic.id}`}>
                <strong>{topic.title ?? hiddenSentence(topic.hidden)}</strong>
              </a>
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
