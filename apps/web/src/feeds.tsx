// Atom feeds of a board (its latest topics) and of a topic (its latest
// posts), made by the `feed` library (which escapes what it writes as XML).
// A post's text goes in as the same safe HTML the pages show; hidden posts
// (deleted, removed, by a banned author…) are left out, not explained.
import { Feed } from "feed";
import type { Context, Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { PostView, WebDeps } from "./deps.ts";
import { authorName } from "./layout.tsx";
import { renderMarkdown } from "./markdown.ts";
import { boardHref } from "./pages/board.tsx";
import { postHref, topicHref } from "./pages/topic.tsx";
import { idOf, TOPIC_PAGE_SIZE } from "./read-routes.tsx";
import type { StaticFiles } from "./static-files.ts";

/** Entries per feed: readers poll, and keep what they saw. */
export const FEED_ENTRIES = 20;

export const boardFeedHref = (boardId: string) => `/b/${boardId}/feed`;
export const topicFeedHref = (topicId: string) => `/t/${topicId}/feed`;

const visible = (post: PostView): boolean => post.hidden === null && post.text !== null;

export function feedRoutes(app: Hono, deps: WebDeps, files: StaticFiles): void {
  const { reads } = deps;
  // Feeds are read elsewhere: their links must be absolute, to where the pages are served.
  const originOf = (c: Context) => deps.members?.origin ?? new URL(c.req.url).origin;
  const { notFound } = pageAnswers(deps, files);
  const atom = (c: Context, feed: Feed) => {
    c.header("content-type", "application/atom+xml; charset=utf-8");
    return c.body(feed.atom1());
  };
  const entry = (origin: string, topicId: string, post: PostView, title: string, link: string) => ({
    title: escapeHtml(title),
    // An entry's id must be a URL the library can parse (an at:// URI's DID authority is not) and never
    // change: the post's id here is permanent, while its #N could move if an earlier reply arrives late.
    id: `${origin}${topicHref(topicId)}?post=${post.id}`,
    link: `${origin}${link}`,
    date: new Date(post.editedAt ?? post.createdAt),
    published: new Date(post.createdAt),
    author: [{ name: authorName(post.author), link: `${origin}/u/${post.author.did}` }],
    content: cdataSafe(renderMarkdown(post.text ?? "")),
  });

  app.get("/b/:id/feed", async (c) => {
    const id = idOf(c.req.param("id"));
    const [forum, page] = await Promise.all([reads.forum(), id === null ? null : reads.board(id, 0, FEED_ENTRIES)]);
    if (!page) return notFound(c, "There is no such board.");
    const origin = originOf(c);
    const topics = page.topics.filter(visible);
    const feed = new Feed({
      title: `${page.board.name} · ${forum?.name ?? "atBB"}`,
      ...(page.board.description ? { description: page.board.description } : {}),
      id: `${origin}${boardHref(page.board.id)}`,
      link: `${origin}${boardHref(page.board.id)}`,
      feedLinks: { atom: `${origin}${boardFeedHref(page.board.id)}` },
      updated: latest(topics.map((topic) => topic.lastActivityAt)),
      copyright: "Each post belongs to its author.",
    });
    for (const topic of topics)
      feed.addItem(entry(origin, topic.id, topic, topic.title ?? "(untitled)", topicHref(topic.id)));
    return atom(c, feed);
  });

  app.get("/t/:id/feed", async (c) => {
    const id = idOf(c.req.param("id"));
    const first = id === null ? null : await reads.topic(id, 0, 0);
    if (id === null || !first) return notFound(c, "There is no such topic.");
    const offset = Math.max(0, first.total - FEED_ENTRIES);
    const page = await reads.topic(id, offset, FEED_ENTRIES);
    if (!page) return notFound(c, "There is no such topic.");
    const { topic } = page;
    const origin = originOf(c);
    const title = topic.title ?? "(hidden topic)";
    const posts: { post: PostView; number: number }[] = [
      ...(offset === 0 ? [{ post: topic, number: 1 }] : []),
      ...page.replies.map((reply, i) => ({ post: reply, number: offset + i + 2 })),
    ];
    const shown = posts.filter(({ post }) => visible(post));
    const feed = new Feed({
      title: `${title} · ${(await reads.forum())?.name ?? "atBB"}`,
      id: `${origin}${topicHref(topic.id)}`,
      link: `${origin}${topicHref(topic.id)}`,
      feedLinks: { atom: `${origin}${topicFeedHref(topic.id)}` },
      updated: latest(shown.map(({ post }) => post.editedAt ?? post.createdAt)),
      copyright: "Each post belongs to its author.",
    });
    // Newest first, as feed readers expect.
    for (const { post, number } of shown.reverse()) {
      feed.addItem(
        entry(
          origin,
          topic.id,
          post,
          number === 1 ? title : `#${number} by ${authorName(post.author)}`,
          postHref(topic.id, number, TOPIC_PAGE_SIZE),
        ),
      );
    }
    return atom(c, feed);
  });
}

const latest = (moments: string[]): Date => new Date(Math.max(0, ...moments.map((moment) => Date.parse(moment))));

// Titles and content go into CDATA sections of type "html": a title's own
// markup must arrive as text, and the library ends CDATA at its first "]]>"
// only, so none may be inside. The renderer already writes ">" in text as
// "&gt;"; cdataSafe makes sure of it whatever the renderer becomes.
const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const cdataSafe = (html: string) => html.replaceAll("]]>", "]]&gt;");
