// The read API: the forum as JSON. Each resource's routes are declared in
// routes/<resource>/routes.ts and mounted here under the resource's prefix;
// the OpenAPI document is generated from those same declarations.
import type { DatabaseHandle } from "@atbb/db";
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { ForumAgentStatus } from "../forum-agent/session.ts";
import type { IndexerStatus } from "../indexer/status.ts";
import type { Logger } from "../logger.ts";
import { ApiError, errorBody } from "./errors.ts";
import { boardRoutes } from "./routes/boards/handlers.ts";
import { categoryRoutes } from "./routes/categories/handlers.ts";
import { forumRoutes } from "./routes/forum/handlers.ts";
import { healthRoutes } from "./routes/health/handlers.ts";
import { memberRoutes, roleRoutes, userRoutes } from "./routes/members/handlers.ts";
import { modActionRoutes } from "./routes/mod-actions/handlers.ts";
import { topicRoutes } from "./routes/topics/handlers.ts";

export interface AppOptions {
  database: DatabaseHandle;
  logger: Logger;
  migrationsFolder: string;
  forumDid?: string | null;
  indexer?: { status(): IndexerStatus };
  /** The forum account's session (serve): its state is reported in /api/health. */
  forumAgent?: { status(): ForumAgentStatus };
  corsOrigins?: string[];
}

export function createApp({ database, logger, migrationsFolder, forumDid = null, indexer, forumAgent, corsOrigins = [] }: AppOptions) {
  const app = new OpenAPIHono();
  app.use(secureHeaders());
  if (corsOrigins.length > 0) app.use("/api/*", cors({ origin: corsOrigins.includes("*") ? "*" : corsOrigins, allowMethods: ["GET"] }));

  app.route("/api/health", healthRoutes({ database, indexer, forumAgent, migrationsFolder, forumDid }));
  app.route("/api/forum", forumRoutes(database, forumDid));
  app.route("/api/categories", categoryRoutes(database));
  app.route("/api/boards", boardRoutes(database));
  app.route("/api/topics", topicRoutes(database));
  app.route("/api/users", userRoutes(database, forumDid));
  app.route("/api/members", memberRoutes(database, forumDid));
  app.route("/api/roles", roleRoutes(database));
  app.route("/api/mod-actions", modActionRoutes(database));

  // Every route is mounted: the document describes them all, and is made once.
  const openApi = openApiDocument(app);
  app.get("/api/openapi.json", (c) => c.json(openApi));

  app.notFound((c) => errorBody(c, 404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorBody(c, error.status, error.code, error.message);
    logger.error({ err: error, path: c.req.path }, "request failed");
    return errorBody(c, 500, "internal_error", "Something went wrong on our side; it has been logged.");
  });
  return app;
}

/** The OpenAPI document of an app's declared routes: parameters, and every answer's body. */
function openApiDocument(app: OpenAPIHono) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "atBB AppView",
      version: "0.1.0",
      description: "The forum as JSON. Ids are strings; timestamps are ISO-8601 in UTC with milliseconds. Errors answer { error, message }.",
    },
  });
}
