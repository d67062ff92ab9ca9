// The read API: the forum as JSON. Small route modules composed here.
import type { DatabaseHandle } from "@atbb/db";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { IndexerStatus } from "../indexer/status.ts";
import type { Logger } from "../logger.ts";
import { ApiError, errorBody } from "./errors.ts";
import { boardRoutes } from "./routes/boards.ts";
import { categoryRoutes } from "./routes/categories.ts";
import { forumRoutes } from "./routes/forum.ts";
import { healthRoutes } from "./routes/health.ts";
import { memberRoutes, roleRoutes, userRoutes } from "./routes/members.ts";
import { modActionRoutes } from "./routes/mod-actions.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { topicRoutes } from "./routes/topics.ts";

export interface AppOptions {
  database: DatabaseHandle;
  logger: Logger;
  migrationsFolder: string;
  forumDid?: string | null;
  indexer?: { status(): IndexerStatus };
  corsOrigins?: string[];
}

export function createApp({ database, logger, migrationsFolder, forumDid = null, indexer, corsOrigins = [] }: AppOptions) {
  const app = new Hono();
  app.use(secureHeaders());
  if (corsOrigins.length > 0) app.use("/api/*", cors({ origin: corsOrigins.includes("*") ? "*" : corsOrigins, allowMethods: ["GET"] }));

  app.route("/api/health", healthRoutes({ database, indexer, migrationsFolder, forumDid }));
  app.route("/api/forum", forumRoutes(database, forumDid));
  app.route("/api/categories", categoryRoutes(database));
  app.route("/api/boards", boardRoutes(database));
  app.route("/api/topics", topicRoutes(database));
  app.route("/api/users", userRoutes(database));
  app.route("/api/members", memberRoutes(database));
  app.route("/api/roles", roleRoutes(database));
  app.route("/api/mod-actions", modActionRoutes(database));
  app.route("/api/openapi.json", openApiRoutes());

  app.notFound((c) => errorBody(c, 404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorBody(c, error.status, error.code, error.message);
    logger.error({ err: error, path: c.req.path }, "request failed");
    return errorBody(c, 500, "internal_error", "Something went wrong on our side; it has been logged.");
  });
  return app;
}
