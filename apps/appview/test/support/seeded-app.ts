import type { DatabaseHandle } from "@atbb/db";
import { migrationsFolders } from "@atbb/testing";
import { createApp } from "../../src/api/app.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ForumStream } from "./forum-events.ts";
import { applyMessages } from "./apply-messages.ts";

/** Indexes a stream through the real indexer and returns the API over that database. */
export async function seededApp(database: DatabaseHandle, stream: ForumStream) {
  await applyMessages(createIndexer({ database, forumDid: stream.forumDid, logger: silentLogger }), stream.messages);
  return createApp({
    database,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[database.dialect],
    forumDid: stream.forumDid,
  });
}
