// How a group of routes answers with a page: made in the request's frame (the
// forum's name, the viewer, their counts), and the two answers every group
// gives, "not found" and a refusal.
import type { Context } from "hono";
import type { WebDeps } from "./deps.ts";
import { frameOf } from "./frame.ts";
import type { Frame } from "./layout.tsx";
import { BadRequestPage, NotFoundPage } from "./pages/problems.tsx";
import type { StaticFiles } from "./static-files.ts";

export function pageAnswers(deps: WebDeps, files: StaticFiles) {
  /** The page `body` makes in this request's frame. */
  const page = async (c: Context, body: (f: Frame) => unknown, status = 200) =>
    c.html(body(await frameOf(c, deps, files)) as string, status as 200);
  return {
    page,
    /** 404, saying what is not there. */
    notFound: (c: Context, what: string) => page(c, (f) => <NotFoundPage frame={f} what={what} />, 404),
    /** The request is refused, with the status and the reason. */
    refused: (c: Context, status: number, message: string) =>
      page(c, (f) => <BadRequestPage frame={f} message={message} />, status),
  };
}
