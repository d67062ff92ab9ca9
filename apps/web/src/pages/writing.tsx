// The pages of the writing forms: a new topic, a reply shown again after a
// refusal, an edit, and the confirmation before a delete.
import type { BoardView, MemberActions, OwnPost, PostView } from "../deps.ts";
import { Crumbs, type Frame, Layout } from "../layout.tsx";
import { boardHref } from "./board.tsx";
import { type Draft, type Problem, TextField, TitleField, WritingForm } from "./compose.tsx";
import { ReplyForm, topicHref } from "./topic.tsx";

export function NewTopicPage(props: {
  frame: Frame;
  board: BoardView;
  members: MemberActions;
  draft: Draft;
  problem: Problem | null;
  preview?: Draft | null;
}) {
  const { board, members, draft, problem } = props;
  return (
    <Layout frame={props.frame} title={`New topic in ${board.name}`}>
      <Crumbs trail={[{ href: boardHref(board.id), name: board.name }]} />
      <h1>New topic in {board.name}</h1>
      <WritingForm
        action={`/b/${board.id}/new`}
        viewer={props.frame.viewer!}
        submit="Start topic"
        problem={problem}
        preview={props.preview ?? null}
        previewable
      >
        <TitleField id="topic-title" value={draft.title ?? ""} max={members.limits.title} problem={problem} />
        <TextField id="topic-text" label="Text" value={draft.text} max={members.limits.text} problem={problem} />
      </WritingForm>
    </Layout>
  );
}

export function ReplyPage(props: {
  frame: Frame;
  topic: { id: string; title: string };
  members: MemberActions;
  draft: Draft;
  problem: Problem | null;
  quote?: PostView | null;
  preview?: Draft | null;
}) {
  const { topic } = props;
  return (
    <Layout frame={props.frame} title={`Reply to ${topic.title}`}>
      <Crumbs trail={[{ href: topicHref(topic.id), name: topic.title }]} />
      <h1>Reply to {topic.title}</h1>
      <ReplyForm
        topicId={topic.id}
        members={props.members}
        frame={props.frame}
        text={props.draft.text}
        problem={props.problem}
        quote={props.quote ?? null}
        preview={props.preview ?? null}
      />
    </Layout>
  );
}

export function EditPage(props: {
  frame: Frame;
  post: OwnPost;
  members: MemberActions;
  draft: Draft;
  problem: Problem | null;
  preview?: Draft | null;
}) {
  const { post, members, draft, problem } = props;
  return (
    <Layout frame={props.frame} title={post.isTopic ? "Edit topic" : "Edit reply"}>
      <Crumbs trail={[{ href: topicHref(post.topicId), name: "The topic" }]} />
      <h1>{post.isTopic ? "Edit your topic" : "Edit your reply"}</h1>
      <WritingForm
        action={`/p/${post.id}/edit`}
        viewer={props.frame.viewer!}
        submit="Save"
        problem={problem}
        hidden={{ cid: post.cid }}
        preview={props.preview ?? null}
        previewable
      >
        {post.isTopic ? (
          <TitleField id="edit-title" value={draft.title ?? ""} max={members.limits.title} problem={problem} />
        ) : null}
        <TextField id="edit-text" label="Text" value={draft.text} max={members.limits.text} problem={problem} />
      </WritingForm>
    </Layout>
  );
}

export function DeletePage(props: { frame: Frame; post: OwnPost; problem: Problem | null }) {
  const { post } = props;
  const what = post.isTopic ? "topic" : "reply";
  return (
    <Layout frame={props.frame} title={`Delete ${what}`}>
      <Crumbs trail={[{ href: topicHref(post.topicId), name: "The topic" }]} />
      <h1>Delete your {what}?</h1>
      <p>It is deleted from your repository; the thread keeps its place and says it was deleted by its author.</p>
      <blockquote>
        {post.title ? <strong>{post.title}</strong> : null} {post.text}
      </blockquote>
      <WritingForm
        action={`/p/${post.id}/delete`}
        viewer={props.frame.viewer!}
        submit={`Delete the ${what}`}
        problem={props.problem}
        hidden={{ cid: post.cid }}
      >
        <p>
          <a href={topicHref(post.topicId)}>Keep it and go back</a>
        </p>
      </WritingForm>
    </Layout>
  );
}
