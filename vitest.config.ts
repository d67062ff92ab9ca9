import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// The whole suite runs once per database dialect: one project each, told
// apart by ATBB_TEST_DIALECT. Tests that compare dialects (parity) open both.
const dialects = ["postgresql", "sqlite"] as const;

function testWorkers(given: string | undefined): number {
  if (given === undefined || given === "") return Math.max(2, availableParallelism());
  if (!/^[1-9]\d{0,2}$/.test(given))
    throw new Error(`ATBB_TEST_WORKERS must be a whole number from 1, not "${given}".`);
  return Number(given);
}

export default defineConfig({
  resolve: {
    // Workspace packages export their TypeScript sources under "development".
    conditions: ["development"],
  },
  ssr: {
    resolve: { conditions: ["development"], externalConditions: ["development"] },
  },
  test: {
    globalSetup: ["./packages/testing/src/global-setup.ts"],
    reporters: ["default", "./packages/testing/src/summary-reporter.ts"],
    // Test files run side by side, as many as the machine has cores (at least
    // two). Vitest's default of one fewer than the cores runs a 2-core
    // machine's files one after another, while most of a file's time is spent
    // waiting on child processes (dev-env's PDS, `atbb serve`, the browser):
    // the web and administration files took 482 s one at a time, 189 s two at
    // a time. ATBB_TEST_WORKERS sets it.
    maxWorkers: testWorkers(process.env.ATBB_TEST_WORKERS),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // In CI a failed test runs once more: under a full suite on two cores, a few tests
    // against the dev-env PDS lose timing races (a late firehose echo of a post's first
    // version can land after a local edit; see the open work on write ordering).
    retry: process.env.CI ? 1 : 0,
    projects: dialects.map((dialect) => ({
      extends: true,
      test: {
        name: dialect,
        include: ["{apps,packages}/*/src/**/*.test.ts", "{apps,packages}/*/test/**/*.test.ts"],
        env: { ATBB_TEST_DIALECT: dialect },
      },
    })),
  },
});
