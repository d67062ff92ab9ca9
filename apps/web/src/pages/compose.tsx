// The forms that write: a new topic, a reply, an edit, a delete. Each posts
// and is answered with a redirect; a refusal shows the form again with the
// text kept and the reason next to the field it is about.
import type { Child } from "hono/jsx";
import { csrfToken } from "../security.ts";
import type { Viewer } from "../deps.ts";

export interface Draft {
  title?: string;
  text: string;
}

/** Where a refusal belongs: beside a field, or above the form. */
export interface Problem {
  field: "title" | "text" | null;
  message: string;
}

/** The API's messages name the field they are about ("The title is…", "The text is…"). */
export function problemOf(message: string): Problem {
  if (/^The title\b/.test(message)) return { field: "title", message };
  if (/^The text\b/.test(message)) return { field: "text", message };
  return { field: null, message };
}

export function WritingForm(props: {
  action: string;
  viewer: Viewer;
  submit: string;
  problem?: Problem | null;
  children: Child;
  hidden?: Record<string, string>;
}) {
  const problem = props.problem;
  return (
    <form method="post" action={props.action} class="stacked" novalidate>
      <input type="hidden" name="csrf" value={csrfToken(props.viewer.sessionId)} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {problem && problem.field === null ? (
        <p class="error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {props.children}
      <div>
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

export function TitleField(props: { id: string; value: string; max: number; problem?: Problem | null }) {
  const error = props.problem?.field === "title" ? props.problem.message : null;
  return (
    <div>
      <label for={props.id}>
        Title <span class="hint">(up to {props.max} characters)</span>
      </label>
      <input
        type="text"
        id={props.id}
        name="title"
        value={props.value}
        required
        aria-describedby={error ? `${props.id}-error` : undefined}
        aria-invalid={error ? "true" : undefined}
      />
      {error ? (
        <p class="error" id={`${props.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: { id: string; label: string; value: string; max: number; problem?: Problem | null }) {
  const error = props.problem?.field === "text" ? props.problem.message : null;
  return (
    <div>
      <label for={props.id}>
        {props.label} <span class="hint">(up to {props.max} characters; Markdown)</span>
      </label>
      <textarea
        id={props.id}
        name="text"
        required
        aria-describedby={error ? `${props.id}-error` : undefined}
        aria-invalid={error ? "true" : undefined}
      >
        {props.value}
      </textarea>
      {error ? (
        <p class="error" id={`${props.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
