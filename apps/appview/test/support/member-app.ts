// The API and the pages over an indexed stream with members who can log in:
// a real MemberAccess (its OAuth client is a loopback one, never asked
// anything here), and sessions made as the OAuth callback makes them
// (member-session.ts). For pages that read for a member; posting needs the
// real PDS (test/web/journey.test.ts). Used outside tests too (bench/screenshots.ts).
import type { DatabaseHandle } from "@atbb/db";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/api/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { createMemberAccess } from "../../src/login/access.ts";
import { migrationsFolder } from "../../src/migrations.ts";
import { forumPages } from "../../src/pages.ts";
import { applyMessages } from "./apply-messages.ts";
import type { ForumStream } from "./forum-events.ts";

/** `env`: further settings, read as `atbb serve` reads them (NOTIFICATIONS=off, say). */
export async function memberApp(database: DatabaseHandle, stream: ForumStream, env: Record<string, string> = {}) {
  const config = loadConfig({
    DATABASE_URL: database.url,
    FORUM_DID: stream.forumDid,
    PORT: "3999",
    STATE_DIRECTORY: mkdtempSync(join(tmpdir(), "atbb-member-app-")),
    ...env,
  });
  const indexer = createIndexer({
    database,
    forumDid: stream.forumDid,
    logger: silentLogger,
    notifications: config.notifications,
  });
  let applied = 0;
  /** Indexes what the stream has gained since the last call. */
  const catchUp = async () => {
    const fresh = stream.messages.slice(applied);
    applied = stream.messages.length;
    await applyMessages(indexer, fresh);
  };
  await catchUp();
  const members = await createMemberAccess(config, stream.forumDid, database, indexer, silentLogger);
  const app = createApp({
    database,
    logger: silentLogger,
    migrationsFolder: migrationsFolder(database.dialect),
    forumDid: stream.forumDid,
    members,
    notifications: config.notifications,
    pages: forumPages({
      database,
      forumDid: stream.forumDid,
      members,
      forumWriter: null,
      logger: silentLogger,
      notifications: config.notifications,
    }),
  });
  return { app, origin: members.login.origin, catchUp, close: () => members.login.close() };
}
