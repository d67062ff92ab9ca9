export {
  ACCEPTED_URL_FORMS,
  UnsupportedDatabaseUrlError,
  createDb,
  databaseLocation,
  dialectOf,
  postgresClient,
  redactUrl,
  type CreateDbOptions,
  type Database,
  type DatabaseHandle,
  type Dialect,
  type Schema,
  type StatementParam,
} from "./client.ts";
export { DatabaseOpenError, explainPostgresError, isInMemory } from "./open-errors.ts";
export {
  MIGRATION_LOCK_KEY,
  MigrationError,
  appliedMigrations,
  migrate,
  migrateDatabase,
  migrationStatus,
  statusOf,
  planMigrations,
  readMigrations,
  type MigrateOptions,
  type MigrateReport,
  type Migration,
  type MigrationStatus,
} from "./migrate.ts";
export * as schema from "./schema.ts";
export * from "./sql/index.ts";
