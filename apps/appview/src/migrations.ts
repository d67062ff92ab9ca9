import type { Dialect } from "@atbb/db";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where this build's migrations are: $ATBB_MIGRATIONS_DIR (set by the bundle's
 * bin/atbb to share/atbb), else beside the app (apps/appview/drizzle*).
 */
export function migrationsFolder(dialect: Dialect, env: NodeJS.ProcessEnv = process.env): string {
  const name = dialect === "postgresql" ? "drizzle" : "drizzle-sqlite";
  const base = env.ATBB_MIGRATIONS_DIR ?? fileURLToPath(new URL("..", import.meta.url));
  const folder = join(base, name);
  if (!existsSync(join(folder, "meta", "_journal.json"))) {
    throw new Error(
      `No ${dialect} migrations found at ${folder} (set ATBB_MIGRATIONS_DIR to the folder holding ${name}/).`,
    );
  }
  return folder;
}
