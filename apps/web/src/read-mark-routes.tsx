// What a member has read: the board's unread markers, the topic's "jump to
// first unread", and "mark board read". Reading a topic's page marks the posts
// it showed as read (only ever forward: an earlier page un-reads nothing).
import type { Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { MemberActions, ReadMarks, WebDeps } from "./deps.ts";
import { formPosts } from "./form-posts.tsx";
import { boardHref } from "./pages/board.tsx";
import { postHref, topicHref } from "./pages/topic.tsx";
import { idOf, TOPIC_PAGE_SIZE } from "./read-routes.tsx";
import type { StaticFiles } from "./static-files.ts";

export function readMarkRoutes(
  app: Hono,
  deps: WebDeps,
  members: MemberActions,
  marks: ReadMarks,
  files: StaticFiles,
): void {
  const posted = formPosts(deps, members, files);
  const { notFound } = pageAnswers(deps, files);

  // The board's "New" marker links here: the first post the member has not read.
  app.get("/t/:id/unread", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null || !(await deps.reads.topic(id, 0, 0))) return notFound(c, "There is no such topic.");
    const viewer = await members.viewer(c);
    const first = viewer ? await marks.firstUnread(viewer.did, String(id)) : null;
    return c.redirect(first === null ? topicHref(String(id)) : postHref(String(id), first, TOPIC_PAGE_SIZE), 303);
  });

  app.post("/b/:id/read", async (c) => {
    const id = idOf(c.req.param("id"));
    if (id === null || !(await deps.reads.board(id, 0, 0))) return notFound(c, "There is no such board.");
    const post = await posted(c);
    if (post instanceof Response) return post;
    await marks.boardRead(post.viewer.did, String(id));
    return c.redirect(boardHref(String(id)), 303);
  });
}
