// The moderators' pages: /moderate/{verb}/{t|p|u}/{id} shows the form for one
// action, and its post takes it, then goes back where the moderator was.
// Each post passes the forms' one check (form-posts.tsx) first; the action
// itself checks the role, the target and the hierarchy.
import type { Context, Hono } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { MemberActions, WebDeps } from "./deps.ts";
import { formPosts, safeBack } from "./form-posts.tsx";
import { hiddenSentence } from "./pages/posts.tsx";
import { type ModKind, type ModerateForm, ModeratePage } from "./pages/moderation.tsx";
import { idOf } from "./read-routes.tsx";
import type { ModTarget, ModVerb, StaffActions } from "./staff-deps.ts";
import type { StaticFiles } from "./static-files.ts";

/** Which verbs act on which kind of target. */
const KIND_OF: Record<ModVerb, ModKind> = {
  hide: "p",
  unhide: "p",
  lock: "t",
  unlock: "t",
  pin: "t",
  unpin: "t",
  ban: "u",
  unban: "u",
};
const isVerb = (verb: string): verb is ModVerb => Object.hasOwn(KIND_OF, verb);

/** A form's "Ends" (a datetime-local, read as UTC) as the ISO 8601 the action takes; anything else as sent, to be refused. */
function expiryOf(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value;
}

export function staffRoutes(app: Hono, deps: WebDeps, members: MemberActions, staff: StaffActions, files: StaticFiles) {
  const { reads } = deps;
  const { page, notFound } = pageAnswers(deps, files);
  const posted = formPosts(deps, members, files);

  /** The action's target and its words, or null when the address names nothing here. */
  async function targetOf(verb: ModVerb, kind: string, id: string) {
    if (KIND_OF[verb] !== kind) return null;
    if (kind === "u") {
      const member = /^did:[a-z]+:[A-Za-z0-9._:%-]+$/.test(id) ? await reads.member(id) : null;
      return member
        ? { target: { member: id } as ModTarget, subject: `the member ${member.handle ?? member.did}` }
        : null;
    }
    const number = idOf(id);
    if (number === null) return null;
    if (kind === "t") {
      const topic = await reads.topic(number, 0, 0);
      const title = topic ? (topic.topic.title ?? hiddenSentence(topic.topic.hidden)) : null;
      return topic ? { target: { topicId: number } as ModTarget, subject: `the topic “${title}”` } : null;
    }
    const post = await reads.ownPost(number);
    return post ? { target: { postId: number } as ModTarget, subject: `post ${number}` } : null;
  }

  /** The form's address, checked: the verb, the target, the moderator. Else the answer that says why not. */
  async function moderating(c: Context) {
    const verb = c.req.param("verb") ?? "";
    if (!isVerb(verb)) return notFound(c, "There is no such moderation action.");
    const found = await targetOf(verb, c.req.param("kind") ?? "", c.req.param("id") ?? "");
    if (!found) return notFound(c, "There is nothing here to act on.");
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    return { verb, viewer, ...found };
  }

  app.get("/moderate/:verb/:kind/:id", async (c) => {
    const at = await moderating(c);
    if (at instanceof Response) return at;
    const form: ModerateForm = {
      verb: at.verb,
      kind: KIND_OF[at.verb],
      id: c.req.param("id"),
      back: safeBack(c.req.query("back")),
      subject: at.subject,
      reason: "",
      expiresAt: "",
    };
    return page(c, (f) => <ModeratePage frame={f} viewer={at.viewer} form={form} problem={null} />);
  });

  app.post("/moderate/:verb/:kind/:id", async (c) => {
    const post = await posted(c);
    if (post instanceof Response) return post;
    const at = await moderating(c);
    if (at instanceof Response) return at;
    const field = (name: string): string | undefined => post.form[name];
    const form: ModerateForm = {
      verb: at.verb,
      kind: KIND_OF[at.verb],
      id: c.req.param("id"),
      back: safeBack(field("back")),
      subject: at.subject,
      reason: field("reason") ?? "",
      expiresAt: field("expiresAt") ?? "",
    };
    const expiresAt = at.verb === "ban" ? expiryOf(form.expiresAt) : undefined;
    const done = await staff.moderate(at.viewer.did, at.verb, at.target, {
      ...(form.reason.trim() ? { reason: form.reason } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
    if (done.ok) return c.redirect(form.back, 303);
    return page(
      c,
      (f) => <ModeratePage frame={f} viewer={at.viewer} form={form} problem={done.message} />,
      done.status,
    );
  });
}
