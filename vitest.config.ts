import { defineConfig } from "vitest/config";

// The whole suite runs once per database dialect: one project each, told
// apart by ATBB_TEST_DIALECT. Tests that compare dialects (parity) open both.
const dialects = ["postgresql", "sqlite"] as const;

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
