#!/usr/bin/env node
// atbb: the one command an operator needs.
//
// A command loads what it uses when it runs, not up front: `atbb --help`
// answers without a database driver, `atbb migrate` without the HTTP server or
// the network clients. Nothing that loads drizzle-orm may be imported
// statically here: it must load after load-hooks.ts has registered its hook.
import "./load-hooks.ts";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { UsageError } from "./commands/usage-error.ts";
import { FILE_VARIABLES } from "./config-variables.ts";

// package.json sits one level above both src/ and dist/.
const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };

const USAGE = `atbb ${packageJson.version} — the atBB forum AppView

Usage: atbb <command> [options]

Commands:
  serve                 Serve the forum's pages and JSON API, and index the network
  backfill              Fetch the forum's records from their repositories (PDSes)
  migrate               Apply pending database migrations (dialect from DATABASE_URL)
  db:migrate            Same, refusing anything but PostgreSQL
  db:migrate:sqlite     Same, refusing anything but SQLite
  migrate-permissions   Repair: copy a legacy roles.permissions column into role_permissions
  status                Database, migrations, and indexer cursor
  init                  Set up the forum as the forum account: forum record, roles, owner
  category, board       Add, edit, remove or list the forum's categories and boards
  role                  List, grant or revoke members' roles
  mod                   Ban, unban, lock, unlock, hide, unhide, pin or unpin

Options:
  -h, --help            Help for atbb or for a command (atbb <command> --help)
  -v, --version         Print the version

Configuration comes from the environment: DATABASE_URL, HOST, PORT, FORUM_DID,
FORUM_HANDLE, FORUM_APP_PASSWORD, PDS_URL, SOURCE, JETSTREAM_URL, FIREHOSE_URL, PLC_URL, RELAY_URL, BACKFILL,
BACKFILL_MAX_AGE_HOURS, BACKFILL_CONCURRENCY, BACKFILL_RATE,
BACKFILL_RETRY_SECONDS, HANDLE_RECHECK_HOURS, HANDLE_RESOLVER_URL, ALLOW_LOOPBACK,
LOG_LEVEL, CORS_ORIGINS, PUBLIC_URL, OAUTH_KEY, SESSION_SECRET, SESSION_DAYS,
WRITES_PER_MINUTE, WEB, RESPONSE_CACHE, RESPONSE_CACHE_MB, NOTIFICATIONS. ${FILE_VARIABLES.join(", ")} may instead be read from
a file named by <NAME>_FILE. Each is described in .env.example and the README.`;

const COMMAND_HELP: Record<string, string> = {
  serve: `Usage: atbb serve [--migrate] [--no-indexer]

Serves the forum's pages at / (unless WEB=off) and the JSON API under /api
on HOST:PORT, and follows the network (SOURCE=jetstream,
the default, or SOURCE=firehose with FIREHOSE_URL) into the database.
Backfills when needed (BACKFILL=auto, the default): no cursor yet, a
cursor older than BACKFILL_MAX_AGE_HOURS (20), or an unfinished backfill;
the forum account's records first, the members' beside live indexing.
Beside the indexer, verifies users' handles (DID document and back) when new,
after identity events, and every HANDLE_RECHECK_HOURS (24).
Refuses to start until \`atbb migrate\` has brought the database to head
(or migrates it first, with --migrate). A backfill that cannot read
everything stays pending and is retried after BACKFILL_RETRY_SECONDS (60),
doubling up to an hour. With PostgreSQL several processes may serve; one
indexes at a time. SIGTERM or SIGINT stop it cleanly.

Options:
  --migrate      Apply pending migrations first, in this process (the one way
                 to serve an in-memory database, file::memory:)
  --no-indexer   Serve only (a read replica)`,
  backfill: `Usage: atbb backfill [--force | --errors]

Reads the forum account's records (forum, categories, boards, roles, mod
actions), then every known member's space.atbb.* records, from their PDSes
(com.atproto.repo.listRecords), through the same validation and indexer as
live events. Members are those already indexed, plus those RELAY_URL's
com.atproto.sync.listReposByCollection names. The PDS comes from the DID
document (PLC_URL for did:plc; PDS_URL overrides it for the forum account).
Progress is saved page by page: run it again after an interruption and it
resumes. Live indexing (atbb serve) then replays from a cursor taken before
the backfill started, so nothing falls between. Each repository is read on
a budget (pages, records, time); what is left waits for the next run. Then
verifies the handles of the users it created, for at most a minute. Exits
with 1, naming each repository or collection it could not read, when
anything stays pending.

Options:
  --force    Backfill even when the live cursor is recent
  --errors   List the errors earlier backfills recorded, most recent first`,
  migrate: `Usage: atbb migrate

Applies pending migrations to DATABASE_URL (PostgreSQL or SQLite), printing
each one and its time. Safe to run concurrently; a no-op when up to date.
Creates a SQLite file (and its directory) that does not exist yet, and says
so. An in-memory database (file::memory:) needs \`atbb serve --migrate\`.`,
  "db:migrate": "Usage: atbb db:migrate\n\nLike `atbb migrate`, but only for a PostgreSQL DATABASE_URL.",
  "db:migrate:sqlite": "Usage: atbb db:migrate:sqlite\n\nLike `atbb migrate`, but only for a SQLite DATABASE_URL.",
  "migrate-permissions": `Usage: atbb migrate-permissions

Copies every element of a legacy roles.permissions array column into
role_permissions (idempotent). Harmless on a current database: says so.`,
  status: `Usage: atbb status

Prints the database dialect and location (password hidden), applied and
pending migrations, the indexer's cursor and lag, and the backfill's state.
Changes nothing: a SQLite file that does not exist is an error, not created.`,
};

/** The options each command takes (besides --help). */
const COMMAND_OPTIONS: Record<string, string[]> = { serve: ["migrate", "no-indexer"], backfill: ["force", "errors"] };

/** The command named in argv, even when parsing fails: the first word that is not an option. */
function commandIn(argv: string[]): string | null {
  return argv.find((arg) => !arg.startsWith("-") && arg in COMMAND_HELP) ?? null;
}

/** parseArgs's own advice ("place it at the end of the command after '--'…") does not fit atbb. */
function usageErrorOf(error: { code: string; message: string }, argv: string[]): UsageError {
  const command = commandIn(argv);
  const option = /'(-[^']*)'/.exec(error.message)?.[1] ?? null;
  const scope = command ? `\`atbb ${command}\`` : "atbb";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option)
    return new UsageError(`Unknown option ${option} for ${scope}.`, command);
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option)
    return new UsageError(`Option ${option.split("=")[0]} of ${scope} takes no value.`, command);
  return new UsageError(error.message.replace(/'/g, ""), command);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        migrate: { type: "boolean" },
        "no-indexer": { type: "boolean" },
        force: { type: "boolean" },
        errors: { type: "boolean" },
      },
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))
      throw usageErrorOf({ code, message: (error as Error).message }, argv);
    throw error;
  }
}

/** The operator's commands (commands/forum/) parse their own arguments. */
const FORUM_COMMANDS = ["init", "category", "board", "role", "mod"];

export async function main(argv: string[]): Promise<number> {
  if (FORUM_COMMANDS.includes(argv[0] ?? "")) {
    const [{ FORUM_COMMANDS: run }, { loadConfig }] = await Promise.all([
      import("./commands/forum/index.ts"),
      import("./config.ts"),
    ]);
    // The configuration is read only once a command needs it: --help answers without one.
    return run[argv[0]!]!(argv.slice(1), () => loadConfig());
  }
  const { values, positionals } = parse(argv);
  const [command, ...extra] = positionals;
  if (values.version) {
    console.log(packageJson.version);
    return 0;
  }
  if (command === "help" && extra[0] !== undefined) {
    // `atbb help <command>` is `atbb <command> --help`, for every command.
    if (FORUM_COMMANDS.includes(extra[0])) return main([extra[0], "--help"]);
    if (!(extra[0] in COMMAND_HELP)) throw new UsageError(`Unknown command "${extra[0]}".`);
    console.log(COMMAND_HELP[extra[0]]);
    return 0;
  }
  if (!command || command === "help") {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!(command in COMMAND_HELP)) throw new UsageError(`Unknown command "${command}".`);
  if (values.help) {
    console.log(COMMAND_HELP[command]);
    return 0;
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}" for \`atbb ${command}\`.`, command);
  for (const [option, given] of Object.entries(values)) {
    if (!given || option === "help" || option === "version" || COMMAND_OPTIONS[command]?.includes(option)) continue;
    const owner = Object.entries(COMMAND_OPTIONS).find(([, options]) => options.includes(option))?.[0];
    throw new UsageError(`--${option} is an option of \`atbb ${owner}\`, not of \`atbb ${command}\`.`, command);
  }
  if (values.force && values.errors)
    throw new UsageError("--force runs a backfill and --errors lists old errors: give one of them.", command);

  const config = (await import("./config.ts")).loadConfig();
  switch (command) {
    case "serve": {
      const [{ serve }, { createLogger }] = await Promise.all([import("./serve.ts"), import("./logger.ts")]);
      return serve(config, createLogger(config.logLevel), {
        indexer: !values["no-indexer"],
        migrate: values.migrate ?? false,
      });
    }
    case "migrate":
    case "db:migrate":
    case "db:migrate:sqlite": {
      const { runMigrate } = await import("./commands/database.ts");
      await runMigrate(config, command === "migrate" ? undefined : command === "db:migrate" ? "postgresql" : "sqlite");
      return 0;
    }
    case "migrate-permissions":
      await (await import("./commands/database.ts")).runMigratePermissions(config);
      return 0;
    case "status":
      await (await import("./commands/database.ts")).runStatus(config);
      return 0;
    case "backfill": {
      const { runBackfillCommand, runBackfillErrors } = await import("./commands/backfill.ts");
      return values.errors ? runBackfillErrors(config) : runBackfillCommand(config, values.force ?? false);
    }
  }
  return 2;
}

/** The message to print for a failure: drizzle's "Failed query: …" hides the driver's reason in its cause. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : null;
  return error.message.startsWith("Failed query") && cause
    ? `${cause} (in ${error.message.split("\n")[0]!.slice(0, 200)})`
    : error.message;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(
        `atbb: ${error.message}\nRun \`atbb ${error.command ? `${error.command} ` : ""}--help\` for usage.`,
      );
      process.exit(2);
    }
    console.error(`atbb: ${messageOf(error)}`);
    process.exit(1);
  },
);
