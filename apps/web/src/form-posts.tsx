// The one check every form that changes something passes first: it comes
// from the forum's own origin, a member is logged in, and it carries their
// session's form token (security.ts says why each is needed). Anything else
// is answered here, before the form's own route looks at anything.
import type { Context } from "hono";
import { pageAnswers } from "./answers.tsx";
import type { MemberActions, Viewer, WebDeps } from "./deps.ts";
import { fromOrigin, validCsrfToken } from "./security.ts";
import type { StaticFiles } from "./static-files.ts";

/** A form's fields as sent (files, which no form here has, are left out). */
export type Form = Record<string, string>;

export interface Posted {
  viewer: Viewer;
  form: Form;
}

export const NOT_OUR_ORIGIN = "This form did not come from the forum's own pages: open the page again and resend it.";
export const NOT_THIS_SESSION =
  "This form's token does not match your login (it may be from before you logged in again): open the page again and resend it.";

/** Only a path of this forum is a place for a form to go back to (never another site, nor //host). */
export const safeBack = (back: string | undefined): string =>
  back !== undefined && /^\/(?![/\\])/.test(back) ? back : "/";

/** The check, bound to the pages' dependencies: the member and their form, or the answer already made (a 403 page, or the way to log in). */
export function formPosts(deps: WebDeps, members: MemberActions, files: StaticFiles) {
  const answers = pageAnswers(deps, files);
  const refused = (c: Context, message: string) => answers.refused(c, 403, message);
  return async function posted(c: Context): Promise<Posted | Response> {
    if (!fromOrigin(c.req.header("origin"), members.origin)) return refused(c, NOT_OUR_ORIGIN);
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const form: Form = {};
    for (const [key, value] of Object.entries(await c.req.parseBody()))
      if (typeof value === "string") form[key] = value;
    if (!validCsrfToken(viewer.sessionId, form.csrf)) return refused(c, NOT_THIS_SESSION);
    return { viewer, form };
  };
}
