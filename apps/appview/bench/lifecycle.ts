// The operator's first minutes: `atbb migrate` on an empty database, then
// `atbb serve` until its first healthy answer. Cheap, so repeated: medians.
import type { Dialect } from "@atbb/db";
import { runMigrate, startServer, stopServer } from "./atbb-process.ts";
import { freshUrl } from "./databases.ts";

export interface LifecycleResult {
  /** `atbb migrate` on an empty database, spawn to exit. */
  freshMigrateMs: number;
  /** Of which applying the migrations, as the command reports it. */
  migrationsMs: number;
  /** `atbb serve` (API only) on the migrated database, spawn to first healthy answer. */
  serveReadyMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function lifecycle(dialect: Dialect, repeats = 3): Promise<LifecycleResult> {
  const runs: LifecycleResult[] = [];
  for (let i = 0; i < repeats; i++) {
    const url = await freshUrl(dialect);
    const { commandMs, migrationsMs } = await runMigrate(url);
    const server = await startServer(url);
    await stopServer(server.child);
    runs.push({ freshMigrateMs: commandMs, migrationsMs, serveReadyMs: server.readyMs });
  }
  const of = (key: keyof LifecycleResult) => Math.round(median(runs.map((run) => run[key])));
  return { freshMigrateMs: of("freshMigrateMs"), migrationsMs: of("migrationsMs"), serveReadyMs: of("serveReadyMs") };
}
