// `atbb migrate`, `atbb migrate-permissions` and `atbb status`: the commands
// that look after the database itself.
import { createDb, databaseLocation, isInMemory, migrate, migrationStatus, redactUrl, type Dialect } from "@atbb/db";
import { sql } from "drizzle-orm";
import { backfillState } from "../api/setup.ts";
import type { Config } from "../config.ts";
import { migrationsFolder } from "../migrations.ts";
import { UsageError } from "./usage-error.ts";

const IN_MEMORY =
  "DATABASE_URL is an in-memory database (file::memory:): it lives only in the process that opens it, so a separate " +
  "`atbb migrate` would migrate a database that vanishes when it exits. Use `atbb serve --migrate`, which migrates it and serves it in one process.";

export async function runMigrate(config: Config, only?: Dialect): Promise<void> {
  if (only && config.dialect !== only) {
    const other = config.dialect === "postgresql" ? "db:migrate" : "db:migrate:sqlite";
    throw new UsageError(
      `This command migrates ${only === "postgresql" ? "PostgreSQL" : "SQLite"}, but DATABASE_URL (${redactUrl(config.databaseUrl)}) is ${config.dialect}. ` +
        `Use \`atbb ${other}\` or \`atbb migrate\`.`,
    );
  }
  if (isInMemory(config.databaseUrl)) throw new UsageError(IN_MEMORY, "migrate");
  console.log(`Migrating ${config.dialect} database ${databaseLocation(config.databaseUrl)}`);
  const report = await migrate(config.databaseUrl, {
    migrationsFolder: migrationsFolder(config.dialect),
    onCreate: (path, directory) =>
      console.log(
        `  creating a new SQLite database at ${path} (there was none${directory ? `; created the directory ${directory} for it` : ""})`,
      ),
    onApplied: ({ tag, ms }) => console.log(`  applied ${tag} (${ms.toFixed(1)} ms)`),
  });
  console.log(
    report.applied.length === 0
      ? "Already up to date."
      : `Applied ${report.applied.length} migration(s) in ${report.totalMs.toFixed(0)} ms.`,
  );
}

export async function runMigratePermissions(config: Config): Promise<void> {
  const database = await createDb(config.databaseUrl, { create: false });
  try {
    const legacy =
      database.dialect === "postgresql"
        ? await database.rows(
            sql`select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'roles' and column_name = 'permissions'`,
          )
        : await database.rows(sql`select 1 from pragma_table_info('roles') where name = 'permissions'`);
    if (legacy.length === 0) {
      console.log("No legacy roles.permissions column: permissions already live in role_permissions. Nothing to do.");
      return;
    }
    if (database.dialect !== "postgresql")
      throw new Error("A roles.permissions column on SQLite is not a layout atbb ever wrote.");
    const inserted = await database.rows<{ role_id: number }>(sql`
      insert into role_permissions (role_id, permission)
      select roles.id, granted.permission from roles cross join lateral unnest(roles.permissions) as granted(permission)
      where granted.permission is not null
      on conflict do nothing returning role_id`);
    console.log(
      `Copied ${inserted.length} permission(s) from roles.permissions into role_permissions (existing ones kept).`,
    );
  } finally {
    await database.close();
  }
}

export async function runStatus(config: Config): Promise<void> {
  if (isInMemory(config.databaseUrl)) throw new UsageError(IN_MEMORY, "status");
  const status = await migrationStatus(config.databaseUrl, migrationsFolder(config.dialect));
  console.log(`Database:   ${config.dialect} at ${databaseLocation(config.databaseUrl)}`);
  console.log(
    `Migrations: ${status.applied.length} applied, ${status.pending.length} pending${status.pending.length ? ` (${status.pending.join(", ")}) — run \`atbb migrate\`` : ""}`,
  );
  if (status.applied.length === 0) return;
  const database = await createDb(config.databaseUrl, { create: false, maxConnections: 1 });
  try {
    const cursors = await database.db.select().from(database.schema.firehoseCursor);
    if (cursors.length === 0) console.log("Indexer:    no cursor yet (nothing indexed)");
    for (const { service, cursor, updatedAt } of cursors) {
      if (service !== "jetstream") {
        console.log(`Indexer:    ${service} cursor ${cursor}, committed ${updatedAt.toISOString()}`);
        continue;
      }
      const lagSeconds = Math.max(0, Math.round((Date.now() - cursor / 1000) / 1000));
      console.log(
        `Indexer:    ${service} cursor ${cursor} (${new Date(cursor / 1000).toISOString()}), lag ${lagSeconds} s, committed ${updatedAt.toISOString()}`,
      );
    }
    console.log(`Backfill:   ${describeBackfill(await backfillState(database))}`);
  } finally {
    await database.close();
  }
}

function describeBackfill(state: Awaited<ReturnType<typeof backfillState>>): string {
  const errors = state.errors > 0 ? `; ${state.errors} error(s) recorded — \`atbb backfill --errors\` lists them` : "";
  switch (state.status) {
    case "never":
      return `never run${errors}`;
    case "done":
      return `done (${state.done} collection(s))${errors}`;
    case "failed":
      return `FAILED for ${state.failed} collection(s)${state.running > 0 ? `, ${state.running} unfinished` : ""}: \`atbb serve\` retries it, \`atbb backfill\` runs it now${errors}`;
    case "running":
      return `unfinished: ${state.running} collection(s) to go (interrupted, or running now); \`atbb backfill\` resumes it${errors}`;
  }
}
