import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error the client can act on: a stable code and a sentence for people. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found.`);

export function errorBody(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: code, message }, status);
}
