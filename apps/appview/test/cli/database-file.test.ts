import { createTestDatabase, dialect } from "@atbb/testing";
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, startServe, type Served } from "../support/cli.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(dialect === "sqlite")("a SQLite file deleted under a running server", () => {
  it("makes health unhealthy and the server exit non-zero, saying which file is gone", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    expect((await runCli(["migrate"], { DATABASE_URL: database.url })).code).toBe(0);
    const served: Served = await startServe({ DATABASE_URL: database.url, LOG_LEVEL: "info" }, ["--no-indexer"]);
    cleanups.push(() => void served.child.kill("SIGKILL"));
    expect((await fetch(`http://127.0.0.1:${served.port}/api/health`)).status).toBe(200);

    const file = database.url.slice("file:".length);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });

    // Health says so at once; the watch stops the server within a few seconds.
    const health = await fetch(`http://127.0.0.1:${served.port}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: "unhealthy",
      database: { status: "down", problem: expect.stringContaining(file) },
    });
    expect(await served.exited).not.toBe(0);
    expect(served.output()).toContain("is gone");
  });
});
