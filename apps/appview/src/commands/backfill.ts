// `atbb backfill`: run a backfill now, or list what earlier ones could not read.
import { createDb, type DatabaseHandle } from "@atbb/db";
import { desc } from "drizzle-orm";
import { backfillIfNeeded } from "../backfill/index.ts";
import type { Config } from "../config.ts";
import { createHandleKeeper } from "../handles.ts";
import { identityFor } from "../identity.ts";
import { createIndexer } from "../indexer/indexer.ts";
import { createLogger } from "../logger.ts";
import { migrationsFolder } from "../migrations.ts";
import { refuseUnmigrated } from "../serve.ts";
import { createSource } from "../source/index.ts";
import { UsageError } from "./usage-error.ts";

/**
 * How long `atbb backfill` spends verifying the handles of the users it
 * created before it exits; those left are verified by whichever process
 * indexes next.
 */
const HANDLES_WITHIN_MS = 60_000;

/** Exit code 1 when anything could not be read: it stays pending, and a script or timer must see that. */
export async function runBackfillCommand(config: Config, force: boolean): Promise<number> {
  if (!config.forumDid)
    throw new UsageError("FORUM_DID must be set: it names the forum whose records to fetch.", "backfill");
  const database = await openMigrated(config);
  try {
    const logger = createLogger(config.logLevel);
    const source = await createSource(config, logger);
    const indexer = createIndexer({
      database,
      forumDid: config.forumDid,
      service: source.name,
      logger: logger.child({ part: "indexer" }),
      notifications: config.notifications,
    });
    const report = await backfillIfNeeded({
      config,
      database,
      indexer,
      source,
      logger,
      force,
      terminal: process.stderr.isTTY ? process.stderr : null,
    });
    if (report === null) {
      console.log(
        `Nothing to backfill: the ${source.name} cursor is recent and no backfill is unfinished (--force to run anyway).`,
      );
      return 0;
    }
    console.log(
      `Backfilled ${report.records} record(s) from ${report.repos} repositor${report.repos === 1 ? "y" : "ies"} in ${(report.ms / 1000).toFixed(1)} s; ${report.errors} error(s).`,
    );
    // Users it created show by handle at once, also to a read replica (serve --no-indexer) on this database.
    const handles = createHandleKeeper({
      database,
      identity: identityFor(config, logger),
      logger: logger.child({ part: "handles" }),
      recheckMs: config.handles.recheckHours * 3_600_000,
    });
    const checked = await handles.verifyDue(HANDLES_WITHIN_MS);
    if (checked > 0) console.log(`Checked the handles of ${checked} user(s).`);
    if (report.failures.length === 0) return 0;
    console.error(
      `atbb: the backfill could not read ${report.failures.length} repository or collection(s); they stay pending (\`atbb serve\` retries them, or run \`atbb backfill\` again):`,
    );
    for (const { did, collection, error } of report.failures)
      console.error(`  - ${did}${collection ? ` ${collection}` : ""}: ${error}`);
    console.error(
      "Check that the PDS (or PDS_URL, PLC_URL, RELAY_URL) named above is reachable; `atbb backfill --errors` lists every recorded error.",
    );
    return 1;
  } finally {
    await database.close();
  }
}

/** How many of the most recent errors `atbb backfill --errors` prints. */
const ERRORS_SHOWN = 100;

export async function runBackfillErrors(config: Config): Promise<number> {
  const database = await openMigrated(config);
  try {
    const { backfillErrors } = database.schema;
    const rows = await database.db
      .select()
      .from(backfillErrors)
      .orderBy(desc(backfillErrors.createdAt), desc(backfillErrors.id))
      .limit(ERRORS_SHOWN + 1);
    if (rows.length === 0) {
      console.log("No backfill errors recorded.");
      return 0;
    }
    console.log(
      `Backfill errors, most recent first${rows.length > ERRORS_SHOWN ? ` (the latest ${ERRORS_SHOWN})` : ""}:`,
    );
    for (const row of rows.slice(0, ERRORS_SHOWN)) {
      const what = [row.did, row.collection, row.uri].filter((part) => part !== null).join(" ");
      console.log(`${row.createdAt.toISOString()}  ${what}\n    ${row.error}`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function openMigrated(config: Config): Promise<DatabaseHandle> {
  const database = await createDb(config.databaseUrl, { create: false });
  try {
    await refuseUnmigrated(database, migrationsFolder(config.dialect));
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
