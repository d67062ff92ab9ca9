// The forms that write: a new topic, a reply, an edit, a delete. Each posts
// and is answered with a redirect; a refusal shows the form again with the
// text kept and the reason next to the field it is about.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { csrfToken } from "../security.ts";
import type { Viewer } from "../deps.ts";
import { renderMarkdown } from "../markdown.ts";

/** The name of the submit button that asks for a preview instead of writing. */
export const PREVIEW = "preview";

// The same count as the AppView's check (writing/limits.ts) and as the counter script (static/counter.js).
const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
export const graphemes = (value: string): number => {
  let n = 0;
  for (const _ of segmenter.segment(value)) n++;
  return n;
};

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
  /** The draft as it would show (a Preview was asked for): its text is rendered like a post. */
  preview?: Draft | null;
  /** Whether the form writes text that can be previewed (not a delete). */
  previewable?: boolean;
}) {
  const { problem, preview } = props;
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
      {preview ? (
        <section class="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          {preview.title ? (
            <p>
              <strong>{preview.title}</strong>
            </p>
          ) : null}
          {raw(renderMarkdown(preview.text))}
        </section>
      ) : null}
      {props.children}
      <div class="actions">
        <button type="submit">{props.submit}</button>
        {props.previewable ? (
          <button type="submit" class="quiet" name={PREVIEW} value="yes">
            Preview
          </button>
        ) : null}
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
        data-max-graphemes={props.max}
        aria-describedby={described(props.id, error)}
        aria-invalid={error ? "true" : undefined}
      />
      <Counter id={props.id} value={props.value} max={props.max} />
      {error ? (
        <p class="error" id={`${props.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  max: number;
  problem?: Problem | null;
  /** Whether the text is rendered as Markdown (a post), or shown as written (a note to the moderators). */
  markdown?: boolean;
  optional?: boolean;
}) {
  const error = props.problem?.field === "text" ? props.problem.message : null;
  return (
    <div>
      <label for={props.id}>
        {props.label}{" "}
        <span class="hint">
          (up to {props.max} characters{props.markdown === false ? "" : "; Markdown"}
          {props.optional ? "; optional" : ""})
        </span>
      </label>
      <textarea
        id={props.id}
        name="text"
        required={!props.optional}
        data-max-graphemes={props.max}
        aria-describedby={described(props.id, error)}
        aria-invalid={error ? "true" : undefined}
      >
        {props.value}
      </textarea>
      <Counter id={props.id} value={props.value} max={props.max} />
      {error ? (
        <p class="error" id={`${props.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

const described = (id: string, error: string | null) => (error ? `${id}-count ${id}-error` : `${id}-count`);

/**
 * How much of the limit the text uses, counted as the server counts it; the
 * counter script (static/counter.js) keeps it current while the member types.
 */
function Counter(props: { id: string; value: string; max: number }) {
  const n = graphemes(props.value);
  return (
    <p class={n > props.max ? "counter over" : "counter"} id={`${props.id}-count`}>
      {n} of {props.max} characters
    </p>
  );
}
