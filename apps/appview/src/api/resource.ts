// A resource's routes: each declared once with createRoute (path, request and
// response schemas), then mounted here with the API's validation and
// registered for the OpenAPI document, so what is served and what is
// described are the same declarations.
//
// zod-openapi's own `app.openapi()` would validate too, but it reads the
// query before the path and takes a repeated query key as an array; the API
// has always answered the path's error first and read the first value of a
// repeated key, and its clients see those messages. So the declaration's
// schemas are applied here, in that order, through `parse`.
import { OpenAPIHono, type RouteConfig, type RouteConfigToTypedResponse } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { z } from "zod";
import { ErrorBody } from "./bodies/errors.ts";
import { parse } from "./validation.ts";

type Part<R extends RouteConfig, K extends "params" | "query"> = R["request"] extends {
  [P in K]: infer S extends z.ZodType;
}
  ? z.output<S>
  : Record<string, never>;

/** A route's validated path parameters and query. */
export interface RouteInput<R extends RouteConfig> {
  params: Part<R, "params">;
  query: Part<R, "query">;
}

/** A route's handler: its answer must be one the declaration describes (status and body). */
export type RouteHandler<R extends RouteConfig> = (
  c: Context,
  input: RouteInput<R>,
) => Promise<Response & RouteConfigToTypedResponse<R>> | (Response & RouteConfigToTypedResponse<R>);

/** The routes of one resource, mounted by the app under the resource's prefix. */
export const resource = () => new OpenAPIHono();

export function mount<R extends RouteConfig>(app: OpenAPIHono, route: R, handler: RouteHandler<R>): void {
  app.openAPIRegistry.registerPath(route);
  const { params, query } = (route.request ?? {}) as { params?: z.ZodType; query?: z.ZodType };
  const path = route.path.replaceAll(/\/\{([^}]+)\}/g, "/:$1");
  app.on(route.method.toUpperCase(), path, async (c) =>
    handler(c, {
      params: (params ? parse(params, c.req.param()) : {}) as RouteInput<R>["params"],
      query: (query ? parse(query, c.req.query()) : {}) as RouteInput<R>["query"],
    }),
  );
}

/** An answer a route declares: what it means and its JSON body. */
export const answer = <S extends z.ZodType>(description: string, schema: S) => ({
  description,
  content: { "application/json": { schema } },
});

/** Error answers, for the routes that can give them: bad input (400) and an unknown id or DID (404). */
export const invalidInput = { 400: answer("Invalid input: a malformed id, DID, offset or limit", ErrorBody) } as const;
export const unknownResource = { 404: answer("No such resource", ErrorBody) } as const;
