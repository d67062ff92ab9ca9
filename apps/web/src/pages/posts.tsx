// One post as a thread shows it: author, when, its Markdown rendered safely,
// or why it is hidden, as the API says.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PostView, Viewer } from "../deps.ts";
import { authorName, When } from "../layout.tsx";
import { renderMarkdown } from "../markdown.ts";

const HIDDEN: Record<string, string> = {
  deleted_by_author: "Deleted by its author.",
  removed_by_moderator: "Removed by a moderator.",
  after_lock: "Written after the topic was locked: not part of the thread.",
  after_topic_deleted: "Written after the topic was deleted: not part of the thread.",
  author_banned: "Hidden: its author is banned from this forum.",
  author_unavailable: "Hidden: its author's account is not available.",
};

export const hiddenSentence = (reason: string | null): string => (reason && HIDDEN[reason]) ?? "Hidden.";

export function Post(props: {
  post: PostView;
  number: number;
  viewer: Viewer | null;
  topicId: string;
  /** The post of this thread it quotes, if any. */
  quoted?: PostView | undefined;
  /** Whether the viewer may reply here (so may quote it). */
  canQuote?: boolean;
  /** A moderator's links for this post, beside the author's own. */
  tools?: Child;
}) {
  const { post, number, viewer } = props;
  const quotable = props.canQuote === true && post.hidden === null;
  const own = viewer !== null && viewer.did === post.author.did && post.hidden === null;
  return (
    <article class="post" id={String(number)} aria-labelledby={`post-${number}-by`}>
      <header>
        <span id={`post-${number}-by`}>
          <a href={`/u/${post.author.did}`}>{authorName(post.author)}</a>
        </span>
        <span class="meta">
          <When at={post.createdAt} />
          {post.editedAt ? (
            <>
              {" "}
              (edited <When at={post.editedAt} />)
            </>
          ) : null}{" "}
          <a href={`#${number}`} aria-label={`Post ${number}`}>
            #{number}
          </a>
        </span>
      </header>
      <div class="body">
        {props.quoted && post.hidden === null ? <Quote post={props.quoted} /> : null}
        {post.hidden !== null || post.text === null ? (
          <p class="hidden">{hiddenSentence(post.hidden)}</p>
        ) : (
          raw(renderMarkdown(post.text))
        )}
      </div>
      {own || quotable || props.tools ? (
        <footer>
          {quotable ? (
            <a href={quoteHref(props.topicId, post.id)} aria-label={`Quote post ${number}`}>
              Quote
            </a>
          ) : null}
          {own ? (
            <>
              <a href={`/p/${post.id}/edit`}>Edit</a>
              <a href={`/p/${post.id}/delete`}>Delete</a>
            </>
          ) : null}
          {props.tools}
        </footer>
      ) : null}
    </article>
  );
}

/** The reply form with a post quoted (a page of its own: it works without JavaScript). */
export const quoteHref = (topicId: string, postId: string) => `/t/${topicId}/reply?quote=${postId}`;

/** A quoted post inside a reply, or inside the reply form: who wrote it, and its text (or why it is hidden). */
export function Quote(props: { post: PostView }) {
  const { post } = props;
  return (
    <blockquote class="quote">
      <p class="meta">
        {authorName(post.author)} wrote (<When at={post.createdAt} />
        ):
      </p>
      {post.hidden !== null || post.text === null ? (
        <p class="hidden">{hiddenSentence(post.hidden)}</p>
      ) : (
        raw(renderMarkdown(post.text))
      )}
    </blockquote>
  );
}
