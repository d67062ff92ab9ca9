// The read API: the forum as JSON. Each resource's routes are declared in
// routes/<resource>/routes.ts and mounted here under the resource's prefix;
// the OpenAPI document is generated from those same declarations.
import type { DatabaseHandle } from "@atbb/db";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { ForumAgentStatus } from "../forum-agent/session.ts";
import type { ForumWriter } from "../forum-agent/writer.ts";
import type { IndexerStatus } from "../indexer/status.ts";
import type { Logger } from "../logger.ts";
import type { MemberAccess } from "../login/access.ts";
import { ApiError, errorBody } from "./errors.ts";
import { hotReads, type AnswerStore } from "./response-cache.ts";
import { authRoutes, clientMetadataRoutes } from "./routes/auth/handlers.ts";
import { backfillRoutes } from "./routes/backfill/handlers.ts";
import { boardRoutes } from "./routes/boards/handlers.ts";
import { categoryRoutes } from "./routes/categories/handlers.ts";
import { forumRoutes } from "./routes/forum/handlers.ts";
import { grantRoutes } from "./routes/grants/handlers.ts";
import { healthRoutes } from "./routes/health/handlers.ts";
import { memberRoutes, roleRoutes, userRoutes } from "./routes/members/handlers.ts";
import { modActionRoutes } from "./routes/mod-actions/handlers.ts";
import { moderationRoutes } from "./routes/moderation/handlers.ts";
import { notificationRoutes } from "./routes/notifications/handlers.ts";
import { postWriteRoutes } from "./routes/posts/handlers.ts";
import { reportRoutes } from "./routes/reports/handlers.ts";
import { searchRoutes } from "./routes/search/handlers.ts";
import { structureRoutes } from "./routes/structure/handlers.ts";
import { topicRoutes } from "./routes/topics/handlers.ts";
import { reporting, type Reporting } from "../reports/reporting.ts";
import { writeLimiter } from "../writing/limits.ts";
import { postWriting, Refusal, type PostWriting } from "../writing/posts.ts";

export interface AppOptions {
  database: DatabaseHandle;
  logger: Logger;
  migrationsFolder: string;
  forumDid?: string | null;
  indexer?: { status(): IndexerStatus };
  /** The forum account's session (serve): its state is reported in /api/health. */
  forumAgent?: { status(): ForumAgentStatus };
  corsOrigins?: string[];
  /**
   * The forum account's writer, for moderators' and administrators' routes: a
   * function, since the account logs in beside the API and may not have yet
   * (it throws ForumWriteError "login" then). Null: no forum account is configured.
   */
  forumWriter?: (() => Promise<ForumWriter>) | null;
  /** Members' login and writing; without it (no FORUM_DID) the login routes answer 503. */
  members?: MemberAccess | null;
  /**
   * The forum's pages (apps/web), mounted at / beside the API: made here from
   * the writer and the reports the API uses, so both count a member's writes
   * and reports together.
   */
  pages?: ((writing: PostWriting | null, reports: Reporting) => Pages) | undefined;
  /** Where logged-out readers' hot reads are kept (RESPONSE_CACHE); null or absent: none are, ETags still answer. */
  answers?: AnswerStore | null;
  /** The forum derives members' notifications (NOTIFICATIONS); false: their routes answer that they are off. Default true. */
  notifications?: boolean;
}

/** What the pages give the app: their routes, and their answers for an unknown address and for a failure. */
export interface Pages {
  routes: Hono;
  notFound(c: Context): Promise<Response>;
  error(c: Context, error: unknown): Promise<Response>;
}

/** Addresses the API answers (in JSON), whatever else is mounted. */
const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Where a request can change something (login, writing, moderation, administration, reports): each refuses other sites. */
const STATE_CHANGING_PATHS = [
  "/api/auth/logout",
  "/api/topics",
  "/api/topics/:id/replies",
  "/api/posts/:id",
  "/api/moderation/*",
  "/api/forum",
  "/api/categories",
  "/api/categories/:id",
  "/api/boards",
  "/api/boards/:id",
  "/api/members/:did/role",
  "/api/posts/:id/reports",
  "/api/reports/:id/resolution",
  "/api/notifications/read",
];

export function createApp({
  database,
  logger,
  migrationsFolder,
  forumDid = null,
  indexer,
  forumAgent,
  corsOrigins = [],
  forumWriter = null,
  members = null,
  pages,
  answers = null,
  notifications = true,
}: AppOptions) {
  const app = new OpenAPIHono();
  // A header the pages set themselves (their Referrer-Policy) is theirs to keep.
  app.use(secureHeaders({ overwrite: false }));
  // A member's cookie goes with any request their browser makes, whoever's page
  // made it: a request that changes something must come from the forum's own
  // pages. Browsers always send Origin on such requests; one without it is refused too.
  const sameOrigin: MiddlewareHandler = async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (members === null || origin !== members.login.origin) {
      return errorBody(
        c,
        403,
        "cross_origin",
        `A ${c.req.method} must come from the forum's own pages (Origin ${members?.login.origin ?? "of PUBLIC_URL"}); this one came from ${origin ?? "no Origin"}.`,
      );
    }
    return next();
  };
  for (const path of STATE_CHANGING_PATHS) app.use(path, sameOrigin);
  if (corsOrigins.length > 0)
    app.use("/api/*", cors({ origin: corsOrigins.includes("*") ? "*" : corsOrigins, allowMethods: ["GET"] }));
  app.use(hotReads(database, answers));

  app.route("/api/health", healthRoutes({ database, indexer, forumAgent, migrationsFolder, forumDid }));
  app.route("/api/forum", forumRoutes(database, forumDid));
  app.route("/api/categories", categoryRoutes(database));
  app.route("/api/boards", boardRoutes(database));
  app.route("/api/topics", topicRoutes(database));
  app.route("/api/search", searchRoutes(database));
  app.route("/api/users", userRoutes(database, forumDid));
  app.route("/api/members", memberRoutes(database, forumDid));
  app.route("/api/roles", roleRoutes(database));
  app.route("/api/mod-actions", modActionRoutes(database));
  app.route("/api/moderation", moderationRoutes(database, forumDid, members, forumWriter));
  app.route("/api/auth", authRoutes(database, members, logger));
  const writing = members ? postWriting(database, members, writeLimiter(members.writesPerMinute)) : null;
  app.route("/api", postWriteRoutes(members, writing));
  app.route("/api", structureRoutes(database, members, forumWriter));
  app.route("/api", grantRoutes(database, members, forumWriter));
  app.route("/api/backfill", backfillRoutes(database, members));
  // Counted apart from posting, with the same per-minute allowance.
  const reports = reporting(
    database,
    members?.forumDid ?? null,
    forumWriter,
    writeLimiter(members?.writesPerMinute ?? 0),
  );
  app.route("/api", reportRoutes(database, members, forumWriter, reports));
  app.route("/api", notificationRoutes(database, members, notifications));
  app.route("/", clientMetadataRoutes(members));

  // Every route is mounted: the document describes them all, and is made once.
  const openApi = openApiDocument(app);
  app.get("/api/openapi.json", (c) => c.json(openApi));
  const web = pages?.(writing, reports) ?? null;
  if (web) app.route("/", web.routes);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (web && !isApiPath(path)) return web.notFound(c);
    return errorBody(c, 404, "not_found", `No route for ${c.req.method} ${path}.`);
  });
  app.onError((error, c) => {
    if (web && !isApiPath(c.req.path)) return web.error(c, error);
    if (error instanceof ApiError) return errorBody(c, error.status, error.code, error.message);
    if (error instanceof Refusal) {
      if (error.retryAfter !== undefined) c.header("retry-after", String(error.retryAfter));
      return errorBody(c, error.status, error.code, error.message);
    }
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
      description:
        "The forum as JSON. Ids are strings; timestamps are ISO-8601 in UTC with milliseconds. Errors answer { error, message }.",
    },
  });
}
