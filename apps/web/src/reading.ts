// What a page shows of the viewer's reading: the board's unread topics, and
// the topic's first unread post before the page marks what it shows as read.
import type { BoardPage, ReadMarks, TopicPage, Viewer } from "./deps.ts";
import type { Paging } from "./paging.tsx";

/** The board page's unread topics for this viewer; null for a reader who is not logged in. */
export async function unreadOfBoard(
  marks: ReadMarks | null,
  viewer: Viewer | null,
  page: BoardPage,
): Promise<Set<string> | null> {
  if (!marks || !viewer) return null;
  return marks.unread(
    viewer.did,
    page.topics.map((topic) => topic.id),
  );
}

/** The viewer's first unread post as it was before this page, then this page's posts marked read. */
export async function readTopicPage(
  marks: ReadMarks | null,
  viewer: Viewer | null,
  page: TopicPage,
  paging: Paging,
): Promise<number | null> {
  if (!marks || !viewer) return null;
  const first = await marks.firstUnread(viewer.did, page.topic.id);
  const shown = [...(paging.page === 1 ? [page.topic.id] : []), ...page.replies.map((reply) => reply.id)];
  await marks.seen(viewer.did, page.topic.id, shown);
  return first;
}
