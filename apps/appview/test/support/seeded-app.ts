import type { DatabaseHandle } from "@atbb/db";
import { migrationsFolders } from "@atbb/testing";
import { createApp } from "../../src/api/app.ts";
import type { AnswerStore } from "../../src/api/response-cache.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger, type Logger } from "../../src/logger.ts";
import { forumPages } from "../../src/pages.ts";
import type { ForumStream } from "./forum-events.ts";
import { applyMessages } from "./apply-messages.ts";

/**
 * Indexes a stream through the real indexer and returns the API over that
 * database; with `pages`, the forum's pages too (for readers: no member can
 * log in without an OAuth client).
 */
export async function seededApp(
  database: DatabaseHandle,
  stream: ForumStream,
  options: { pages?: boolean; logger?: Logger; answers?: AnswerStore } = {},
) {
  await applyMessages(createIndexer({ database, forumDid: stream.forumDid, logger: silentLogger }), stream.messages);
  const logger = options.logger ?? silentLogger;
  return createApp({
    database,
    logger,
    migrationsFolder: migrationsFolders[database.dialect],
    forumDid: stream.forumDid,
    answers: options.answers ?? null,
    pages: options.pages
      ? forumPages({ database, forumDid: stream.forumDid, members: null, forumWriter: null, logger })
      : undefined,
  });
}
