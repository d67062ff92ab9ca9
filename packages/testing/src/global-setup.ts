// Vitest global setup: one PostgreSQL server for the whole run. Every test
// file then creates its own databases in it (see createTestDatabase).
import type { TestProject } from "vitest/node";
import { startPostgresCluster } from "./postgres-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    /** Set when the harness runs its own cluster (not with TEST_DATABASE_URL). */
    postgresSocketDir: string | null;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given && /^postgres(ql)?:\/\//.test(given)) {
    project.provide("postgresAdminUrl", given);
    project.provide("postgresSocketDir", null);
    return;
  }
  const cluster = await startPostgresCluster();
  project.provide("postgresAdminUrl", cluster.url);
  project.provide("postgresSocketDir", cluster.socketDir);
  return () => cluster.stop();
}
