import { Hono } from "hono";
import { z } from "zod";
import { routeDocs } from "../validation.ts";

/** The OpenAPI document, generated from the validators the routes use. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeDocs) {
    const parameters = [
      ...Object.entries(route.params?.shape ?? {}).map(([name, schema]) => ({
        name, in: "path", required: true, schema: z.toJSONSchema(schema as z.ZodType, { io: "input" }),
      })),
      ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
        name, in: "query", required: false, schema: z.toJSONSchema(schema as z.ZodType, { io: "input" }),
      })),
    ];
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        summary: route.summary,
        parameters,
        responses: {
          "200": { description: "OK (JSON)" },
          ...(parameters.length > 0 ? { "400": { description: "Invalid input: { error, message }" } } : {}),
          ...(route.params ? { "404": { description: "Not found: { error, message }" } } : {}),
        },
      },
    };
  }
  return { openapi: "3.1.0", info: { title: "atBB AppView", version: "0.1.0" }, paths };
}

export const openApiRoutes = () => new Hono().get("/", (c) => c.json(openApiDocument()));
