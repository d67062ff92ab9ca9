// A topic: the opening post and its replies in order, read by page, each
// with its #N anchor; the reply form below for members (not in a locked topic).
import type { MemberActions, PostView, TopicPage } from "../deps.ts";
import { Crumbs, type Frame, Layout } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import { boardHref } from "./board.tsx";
import { type Draft, type Problem, TextField, WritingForm } from "./compose.tsx";
import type { StaffCapabilities } from "../staff-deps.ts";
import { PostTools, TopicTools } from "./moderation.tsx";
import { hiddenSentence, Post, Quote } from "./posts.tsx";
import { reportHref } from "./reports.tsx";

export const topicHref = (id: string, page = 1) => (page === 1 ? `/t/${id}` : `/t/${id}?page=${page}`);

/** Post numbers: the opening post is #1, the reply at offset k (from 0) is #k+2. */
export const replyNumber = (offset: number) => offset + 2;

/** The page and anchor of post #N. */
export const postHref = (topicId: string, number: number, size: number) =>
  `${topicHref(topicId, number <= 2 ? 1 : Math.floor((number - 2) / size) + 1)}#${number}`;

export function TopicPageView(props: {
  frame: Frame;
  page: TopicPage;
  paging: Paging;
  members: MemberActions | null;
  /** The viewer's first unread post (#N), before this page was shown; null when none or not logged in. */
  firstUnread: number | null;
  /** What the viewer may moderate (null: nothing). */
  may?: StaffCapabilities | null;
  /** Whether members can report posts here. */
  canReport?: boolean;
  /** The viewer just reported a post of this page (?reported=1). */
  reported?: boolean;
}) {
  const { topic, board, replies, quoted } = props.page;
  const { viewer } = props.frame;
  const title = topic.title ?? hiddenSentence(topic.hidden);
  const href = (page: number) => topicHref(topic.id, page);
  const first = (props.paging.page - 1) * props.paging.size;
  const canReply = props.members !== null && viewer !== null && !topic.locked;
  const back = href(props.paging.page);
  const may = props.may ?? null;
  // Nobody moderates nor reports their own posts (the hierarchy refuses it): no tools on them.
  const tools = (post: TopicPage["replies"][number] | TopicPage["topic"], number: number) =>
    viewer !== null && post.author.did !== viewer.did ? (
      <>
        {props.canReport ? (
          <a href={reportHref(post.id, `${back}#${number}`)} aria-label={`Report post ${number}`}>
            Report
          </a>
        ) : null}
        {may ? <PostTools may={may} post={post} number={number} back={`${back}#${number}`} /> : null}
      </>
    ) : null;
  return (
    <Layout frame={props.frame} title={title} feed={{ href: `/t/${topic.id}/feed`, title: `${title} (Atom)` }}>
      <Crumbs
        trail={[...(board ? [{ href: boardHref(board.id), name: board.name }] : []), { href: href(1), name: title }]}
      />
      <h1>
        {topic.pinned ? <span class="badge">Pinned</span> : null}
        {topic.locked ? <span class="badge">Locked</span> : null} {title}
      </h1>
      {/* A topic never opened is all new: the jump would only lead to the top of this very page. */}
      {props.firstUnread !== null && !(props.firstUnread === 1 && props.paging.page === 1) ? (
        <p>
          <a href={postHref(topic.id, props.firstUnread, props.paging.size)}>
            Jump to first unread (#{props.firstUnread})
          </a>
        </p>
      ) : null}
      {props.reported ? (
        <p class="notice" role="status">
          Your report was sent to the moderators. <a href="/reports/mine">See your reports</a>
        </p>
      ) : null}
      {may ? <TopicTools may={may} topic={topic} back={back} /> : null}
      <PageNumbers paging={props.paging} href={href} label="Pages of this topic (top)" />
      {props.paging.page === 1 ? (
        <Post post={topic} number={1} viewer={viewer} topicId={topic.id} canQuote={canReply} tools={tools(topic, 1)} />
      ) : null}
      {replies.length === 0 && props.paging.page === 1 ? <p class="muted">No replies yet.</p> : null}
      {replies.map((reply, i) => (
        <Post
          post={reply}
          number={replyNumber(first + i)}
          viewer={viewer}
          topicId={topic.id}
          quoted={reply.quote ? quoted[reply.quote] : undefined}
          canQuote={canReply}
          tools={tools(reply, replyNumber(first + i))}
        />
      ))}
      <PageNumbers paging={props.paging} href={href} label="Pages of this topic (bottom)" />
      <p class="meta">
        <a href={`/t/${topic.id}/feed`}>Atom feed of this topic</a>
      </p>
      <ReplyArea {...props} />
    </Layout>
  );
}

function ReplyArea(props: { frame: Frame; page: TopicPage; members: MemberActions | null }) {
  const { topic } = props.page;
  if (topic.locked) return <p class="muted">This topic is locked: no more replies.</p>;
  if (!props.members) return null;
  if (!props.frame.viewer)
    return (
      <p>
        <a href="/login">Log in</a> to reply.
      </p>
    );
  return (
    <section aria-labelledby="reply-heading">
      <h2 id="reply-heading">Reply</h2>
      <ReplyForm topicId={topic.id} members={props.members} frame={props.frame} text="" problem={null} />
    </section>
  );
}

export function ReplyForm(props: {
  topicId: string;
  members: MemberActions;
  frame: Frame;
  text: string;
  problem: Problem | null;
  /** The post this reply quotes. */
  quote?: PostView | null;
  preview?: Draft | null;
}) {
  const { quote } = props;
  return (
    <WritingForm
      action={`/t/${props.topicId}/reply`}
      viewer={props.frame.viewer!}
      submit="Post reply"
      problem={props.problem}
      hidden={quote ? { quoteId: quote.id } : {}}
      preview={props.preview ?? null}
      previewable
    >
      {quote ? (
        <div>
          <p>Quoting:</p>
          <Quote post={quote} />
        </div>
      ) : null}
      <TextField
        id="reply-text"
        label="Your reply"
        value={props.text}
        max={props.members.limits.text}
        problem={props.problem}
      />
    </WritingForm>
  );
}
