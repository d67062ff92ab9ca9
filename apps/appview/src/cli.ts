#!/usr/bin/env node
// atbb: the one command an operator needs.
//
// A command loads what it uses when it runs, not up front: `atbb --help`
// answers without a database driver, `atbb migrate` without the HTTP server or
// the network clients. Nothing that loads drizzle-orm may be imported
// statically here: it must load after load-hooks.ts has registered its hook.
import "./load-hooks.ts";
import type { Dialect } from "@atbb/db";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import type { Config } from "./config.ts";

// package.json sits one level above both src/ and dist/.
const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };

const USAGE = `atbb ${packageJson.version} — the atBB forum AppView

Usage: atbb <command> [options]

Commands:
  serve                 Serve the JSON API and index the network (Jetstream or firehose)
  backfill              Fetch the forum's records from their repositories (PDSes)
  migrate               Apply pending database migrations (dialect from DATABASE_URL)
  db:migrate            Same, refusing anything but PostgreSQL
  db:migrate:sqlite     Same, refusing anything but SQLite
  migrate-permissions   Repair: copy a legacy roles.permissions column into role_permissions
  status                Database, migrations, and indexer cursor

Options:
  -h, --help            Help for atbb or for a command (atbb <command> --help)
  -v, --version         Print the version

Configuration comes from the environment: DATABASE_URL, HOST, PORT, FORUM_DID,
PDS_URL, SOURCE, JETSTREAM_URL, FIREHOSE_URL, PLC_URL, RELAY_URL, BACKFILL,
BACKFILL_MAX_AGE_HOURS, BACKFILL_CONCURRENCY, BACKFILL_RATE,
HANDLE_RECHECK_HOURS, HANDLE_RESOLVER_URL, LOG_LEVEL, CORS_ORIGINS (and *_FILE
variants). Each is described in .env.example and the README.`;

const COMMAND_HELP: Record<string, string> = {
  serve: `Usage: atbb serve [--no-indexer]

Serves the JSON API on HOST:PORT and follows the network (SOURCE=jetstream,
the default, or SOURCE=firehose with FIREHOSE_URL) into the database.
Backfills first when needed (BACKFILL=auto, the default): no cursor yet, a
cursor older than BACKFILL_MAX_AGE_HOURS (20), or an unfinished backfill.
Beside the indexer, verifies users' handles (DID document and back) when new,
after identity events, and every HANDLE_RECHECK_HOURS (24).
Refuses to start until \`atbb migrate\` has brought the database to head.
With PostgreSQL several processes may serve; one indexes at a time.

Options:
  --no-indexer   Serve only (a read replica)`,
  backfill: `Usage: atbb backfill [--force]

Reads the forum account's records (forum, categories, boards, roles, mod
actions), then every known member's space.atbb.* records, from their PDSes
(com.atproto.repo.listRecords), through the same validation and indexer as
live events. Members are those already indexed, plus those RELAY_URL's
com.atproto.sync.listReposByCollection names. The PDS comes from the DID
document (PLC_URL for did:plc; PDS_URL overrides it for the forum account).
Progress is saved page by page: run it again after an interruption and it
resumes. Live indexing (atbb serve) then replays from a cursor taken before
the backfill started, so nothing falls between.

Options:
  --force   Backfill even when the live cursor is recent`,
  migrate: `Usage: atbb migrate

Applies pending migrations to DATABASE_URL (PostgreSQL or SQLite), printing
each one and its time. Safe to run concurrently; a no-op when up to date.`,
  "db:migrate": "Usage: atbb db:migrate\n\nLike `atbb migrate`, but only for a PostgreSQL DATABASE_URL.",
  "db:migrate:sqlite": "Usage: atbb db:migrate:sqlite\n\nLike `atbb migrate`, but only for a SQLite DATABASE_URL.",
  "migrate-permissions": `Usage: atbb migrate-permissions

Copies every element of a legacy roles.permissions array column into
role_permissions (idempotent). Harmless on a current database: says so.`,
  status: `Usage: atbb status

Prints the database dialect and location (password hidden), applied and
pending migrations, and the indexer's cursor and lag.`,
};

class UsageError extends Error {}

async function runMigrate(config: Config, only?: Dialect): Promise<void> {
  const [{ migrate, redactUrl }, { migrationsFolder }] = await Promise.all([import("@atbb/db"), import("./migrations.ts")]);
  if (only && config.dialect !== only) {
    const other = config.dialect === "postgresql" ? "db:migrate" : "db:migrate:sqlite";
    throw new UsageError(
      `This command migrates ${only === "postgresql" ? "PostgreSQL" : "SQLite"}, but DATABASE_URL (${redactUrl(config.databaseUrl)}) is ${config.dialect}. ` +
        `Use \`atbb ${other}\` or \`atbb migrate\`.`,
    );
  }
  console.log(`Migrating ${config.dialect} database ${redactUrl(config.databaseUrl)}`);
  const report = await migrate(config.databaseUrl, {
    migrationsFolder: migrationsFolder(config.dialect),
    onApplied: ({ tag, ms }) => console.log(`  applied ${tag} (${ms.toFixed(1)} ms)`),
  });
  console.log(report.applied.length === 0 ? "Already up to date." : `Applied ${report.applied.length} migration(s) in ${report.totalMs.toFixed(0)} ms.`);
}

async function runMigratePermissions(config: Config): Promise<void> {
  const [{ createDb }, { sql }] = await Promise.all([import("@atbb/db"), import("drizzle-orm")]);
  const database = await createDb(config.databaseUrl);
  try {
    const legacy =
      database.dialect === "postgresql"
        ? await database.rows(sql`select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'roles' and column_name = 'permissions'`)
        : await database.rows(sql`select 1 from pragma_table_info('roles') where name = 'permissions'`);
    if (legacy.length === 0) {
      console.log("No legacy roles.permissions column: permissions already live in role_permissions. Nothing to do.");
      return;
    }
    if (database.dialect !== "postgresql") throw new Error("A roles.permissions column on SQLite is not a layout atbb ever wrote.");
    const inserted = await database.rows<{ role_id: number }>(sql`
      insert into role_permissions (role_id, permission)
      select roles.id, granted.permission from roles cross join lateral unnest(roles.permissions) as granted(permission)
      where granted.permission is not null
      on conflict do nothing returning role_id`);
    console.log(`Copied ${inserted.length} permission(s) from roles.permissions into role_permissions (existing ones kept).`);
  } finally {
    await database.close();
  }
}

async function runBackfillCommand(config: Config, force: boolean): Promise<void> {
  if (!config.forumDid) throw new UsageError("FORUM_DID must be set: it names the forum whose records to fetch.");
  const [{ createDb }, { createLogger }, { refuseUnmigrated }, { createSource }, { createIndexer }, { backfillIfNeeded }] = await Promise.all([
    import("@atbb/db"),
    import("./logger.ts"),
    import("./serve.ts"),
    import("./source/index.ts"),
    import("./indexer/indexer.ts"),
    import("./backfill/index.ts"),
  ]);
  await refuseUnmigrated(config);
  const logger = createLogger(config.logLevel);
  const database = await createDb(config.databaseUrl);
  const source = await createSource(config, logger);
  try {
    const indexer = createIndexer({ database, forumDid: config.forumDid, service: source.name, logger: logger.child({ part: "indexer" }) });
    const report = await backfillIfNeeded({ config, database, indexer, source, logger, force, terminal: process.stderr.isTTY ? process.stderr : null });
    if (report === null) console.log(`Nothing to backfill: the ${source.name} cursor is recent and no backfill is unfinished (--force to run anyway).`);
    else console.log(`Backfilled ${report.records} record(s) from ${report.repos} repositor${report.repos === 1 ? "y" : "ies"} in ${(report.ms / 1000).toFixed(1)} s; ${report.errors} error(s) (see backfill_errors).`);
  } finally {
    await database.close();
  }
}

async function runStatus(config: Config): Promise<void> {
  const [{ createDb, migrationStatus, redactUrl }, { migrationsFolder }] = await Promise.all([import("@atbb/db"), import("./migrations.ts")]);
  const status = await migrationStatus(config.databaseUrl, migrationsFolder(config.dialect));
  console.log(`Database:   ${config.dialect} at ${redactUrl(config.databaseUrl)}`);
  console.log(`Migrations: ${status.applied.length} applied, ${status.pending.length} pending${status.pending.length ? ` (${status.pending.join(", ")}) — run \`atbb migrate\`` : ""}`);
  if (status.applied.length === 0) return;
  const database = await createDb(config.databaseUrl);
  try {
    const cursors = await database.db.select().from(database.schema.firehoseCursor);
    if (cursors.length === 0) console.log("Indexer:    no cursor yet (nothing indexed)");
    for (const { service, cursor, updatedAt } of cursors) {
      if (service !== "jetstream") {
        console.log(`Indexer:    ${service} cursor ${cursor}, committed ${updatedAt.toISOString()}`);
        continue;
      }
      const lagSeconds = Math.max(0, Math.round((Date.now() - cursor / 1000) / 1000));
      console.log(`Indexer:    ${service} cursor ${cursor} (${new Date(cursor / 1000).toISOString()}), lag ${lagSeconds} s, committed ${updatedAt.toISOString()}`);
    }
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      "no-indexer": { type: "boolean" },
      force: { type: "boolean" },
    },
  });
  const [command, ...extra] = positionals;
  if (values.version) {
    console.log(packageJson.version);
    return 0;
  }
  if (!command || command === "help") {
    console.log(command === "help" && extra[0] ? (COMMAND_HELP[extra[0]] ?? USAGE) : USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!(command in COMMAND_HELP)) throw new UsageError(`Unknown command "${command}".`);
  if (values.help) {
    console.log(COMMAND_HELP[command]);
    return 0;
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}" for ${command}.`);
  if (values["no-indexer"] && command !== "serve") throw new UsageError("--no-indexer is an option of `atbb serve`.");
  if (values.force && command !== "backfill") throw new UsageError("--force is an option of `atbb backfill`.");

  const config = (await import("./config.ts")).loadConfig();
  switch (command) {
    case "serve": {
      const [{ serve }, { createLogger }] = await Promise.all([import("./serve.ts"), import("./logger.ts")]);
      return serve(config, createLogger(config.logLevel), { indexer: !values["no-indexer"] });
    }
    case "migrate":
      await runMigrate(config);
      return 0;
    case "db:migrate":
      await runMigrate(config, "postgresql");
      return 0;
    case "db:migrate:sqlite":
      await runMigrate(config, "sqlite");
      return 0;
    case "migrate-permissions":
      await runMigratePermissions(config);
      return 0;
    case "status":
      await runStatus(config);
      return 0;
    case "backfill":
      await runBackfillCommand(config, values.force ?? false);
      return 0;
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`atbb: ${(error as Error).message}\nRun \`atbb --help\` for usage.`);
      process.exit(2);
    }
    console.error(`atbb: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
