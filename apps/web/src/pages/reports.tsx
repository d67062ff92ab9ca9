// Reports of posts: the form a member files one with, the moderators' queue
// (open ones first, each resolved by dismissing it, hiding the post or
// banning its author, with a note), and a member's own reports with what
// became of each. A refusal shows the form again, text kept, reason beside it.
import type { Viewer } from "../deps.ts";
import { authorName, Crumbs, type Frame, Layout, When } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import type { ReportList, ReportStatus, ReportView, ResolveAction } from "../report-deps.ts";
import { csrfToken } from "../security.ts";
import { type Problem, TextField, WritingForm } from "./compose.tsx";
import { hiddenSentence } from "./posts.tsx";

export const reportHref = (postId: string, back: string) => `/p/${postId}/report?back=${encodeURIComponent(back)}`;
export const queueHref = (page: number) => (page === 1 ? "/reports" : `/reports?page=${page}`);

const REASON_WORDS: Record<string, string> = {
  spam: "Spam",
  harassment: "Harassment",
  off_topic: "Off topic",
  illegal: "Illegal",
  other: "Something else",
};
const reasonWords = (reason: string) => REASON_WORDS[reason] ?? reason;

const STATUS_WORDS: Record<ReportStatus, string> = {
  open: "Open",
  dismissed: "Dismissed: nothing was done",
  hidden: "Resolved: the post was hidden",
  banned: "Resolved: its author was banned",
};

export interface ReportForm {
  postId: string;
  back: string;
  reason: string;
  text: string;
}

export function ReportPostPage(props: {
  frame: Frame;
  viewer: Viewer;
  form: ReportForm;
  reasons: readonly string[];
  textLimit: number;
  problem: string | null;
}) {
  const { form } = props;
  const problem: Problem | null = props.problem ? { field: "text", message: props.problem } : null;
  return (
    <Layout frame={props.frame} title="Report a post">
      <Crumbs trail={[{ href: form.back, name: "Back" }]} />
      <h1>Report a post</h1>
      <p>
        The moderators see the post, its author, you and your note. A report stays on this forum: it is never published.
      </p>
      <WritingForm
        action={`/p/${form.postId}/report`}
        viewer={props.viewer}
        submit="Send report"
        problem={null}
        hidden={{ back: form.back }}
      >
        <div>
          <label for="report-reason">Reason</label>
          <select id="report-reason" name="reason">
            {props.reasons.map((reason) => (
              <option value={reason} selected={reason === form.reason}>
                {reasonWords(reason)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="report-text"
          label="What the moderators should know"
          value={form.text}
          max={props.textLimit}
          problem={problem}
          markdown={false}
          optional
        />
      </WritingForm>
    </Layout>
  );
}

/** One report as moderators and its reporter read it. */
function ReportSummary(props: { report: ReportView; headingLevel: 2 | 3 }) {
  const { report } = props;
  const { post } = report;
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  return (
    <>
      <Heading id={`report-${report.id}-heading`}>
        Report {report.id}: {reasonWords(report.reason)}
      </Heading>
      <dl>
        <dt>Post</dt>
        <dd>
          {post.topicId !== null && post.id !== null ? (
            <a href={`/t/${post.topicId}`}>{post.title ?? `Post ${post.id}`}</a>
          ) : (
            "Gone from this forum"
          )}
          {post.hidden !== null ? ` (${hiddenSentence(post.hidden)})` : null}
        </dd>
        <dt>Author</dt>
        <dd>
          <a href={`/u/${post.author.did}`}>{authorName(post.author)}</a>
        </dd>
        <dt>Reported by</dt>
        <dd>
          <a href={`/u/${report.reporterDid}`}>{report.reporterDid}</a>, <When at={report.createdAt} />
        </dd>
        <dt>Note</dt>
        <dd>{report.text === "" ? <span class="muted">None</span> : report.text}</dd>
        <dt>Status</dt>
        <dd>
          {STATUS_WORDS[report.status]}
          {report.resolvedAt ? (
            <>
              , <When at={report.resolvedAt} />
            </>
          ) : null}
        </dd>
      </dl>
      {post.text !== null ? <blockquote class="quote">{post.text}</blockquote> : null}
    </>
  );
}

const RESOLVE_WORDS: Record<ResolveAction, string> = { dismiss: "Dismiss", hide: "Hide post", ban: "Ban author" };

/** A refused resolution: which report, the note kept, and why. */
export interface ResolveProblem {
  reportId: string;
  note: string;
  message: string;
}

export function ReportQueuePage(props: {
  frame: Frame;
  viewer: Viewer;
  list: ReportList;
  paging: Paging;
  /** The resolutions the moderator's role allows. */
  actions: ResolveAction[];
  problem: ResolveProblem | null;
}) {
  const { list, problem } = props;
  return (
    <Layout frame={props.frame} title="Reports">
      <h1>Reports</h1>
      <p class="muted">Open reports first, oldest first. A hide or a ban is written by the forum's account.</p>
      <PageNumbers paging={props.paging} href={queueHref} label="Pages of reports (top)" />
      {problem && !list.reports.some((r) => r.id === problem.reportId && r.status === "open") ? (
        <p class="error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {list.reports.length === 0 ? <p>No reports.</p> : null}
      {list.reports.map((report) => {
        const refused = problem?.reportId === report.id ? problem : null;
        const noteId = `report-${report.id}-note`;
        return (
          <article class="post" id={`report-${report.id}`} aria-labelledby={`report-${report.id}-heading`}>
            <ReportSummary report={report} headingLevel={2} />
            {report.status === "open" ? (
              <form method="post" action={`/reports/${report.id}/resolution`} class="stacked" novalidate>
                <input type="hidden" name="csrf" value={csrfToken(props.viewer.sessionId)} />
                <div>
                  <label for={noteId}>
                    Note on report {report.id} <span class="hint">(optional; shown in the moderation log)</span>
                  </label>
                  <textarea
                    id={noteId}
                    name="note"
                    aria-describedby={refused ? `${noteId}-error` : undefined}
                    aria-invalid={refused ? "true" : undefined}
                  >
                    {refused?.note ?? ""}
                  </textarea>
                  {refused ? (
                    <p class="error" id={`${noteId}-error`} role="alert">
                      {refused.message}
                    </p>
                  ) : null}
                </div>
                <div class="actions">
                  {props.actions.map((action) => (
                    <button
                      type="submit"
                      name="action"
                      value={action}
                      aria-label={`${RESOLVE_WORDS[action]} (report ${report.id})`}
                    >
                      {RESOLVE_WORDS[action]}
                    </button>
                  ))}
                </div>
              </form>
            ) : null}
          </article>
        );
      })}
      <PageNumbers paging={props.paging} href={queueHref} label="Pages of reports (bottom)" />
    </Layout>
  );
}

export function MyReportsPage(props: { frame: Frame; list: ReportList }) {
  const { list } = props;
  return (
    <Layout frame={props.frame} title="Your reports">
      <h1>Your reports</h1>
      <p class="muted">Newest first, with what the moderators made of each. Only you and they see them.</p>
      {list.reports.length === 0 ? <p>You have reported nothing.</p> : null}
      {list.reports.map((report) => (
        <article class="post" id={`report-${report.id}`} aria-labelledby={`report-${report.id}-heading`}>
          <ReportSummary report={report} headingLevel={2} />
        </article>
      ))}
    </Layout>
  );
}
