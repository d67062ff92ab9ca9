// A backfill that cannot read the forum must not pass for done: it stays
// pending, makes `atbb backfill` exit 1 naming what could not be reached, is
// shown by `atbb status`, `atbb backfill --errors` and /api/health, and is
// retried by `atbb serve`. The unreachable services are real closed ports.
import { createDb } from "@atbb/db";
import { dialect } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { freePort, migratedDatabases, runCli, startServe } from "../support/cli.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";

const FORUM_DID = "did:plc:forumforumforumforumaaaa";

const migratedUrl = migratedDatabases();

describe(`a backfill that cannot reach the forum's PDS (${dialect})`, () => {
  it("exits 1 naming the URL and the DID, stays pending, and is listed by status and --errors", async () => {
    const url = await migratedUrl();
    const pds = `http://127.0.0.1:${await freePort()}`;
    const env = { DATABASE_URL: url, FORUM_DID, PDS_URL: pds, LOG_LEVEL: "silent" };

    const first = await runCli(["backfill"], env);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(
      `${FORUM_DID} space.atbb.forum.forum: cannot reach ${pds}/xrpc/com.atproto.repo.listRecords`,
    );
    expect(first.stderr).toMatch(/ECONNREFUSED/);
    expect(first.stderr).toContain("they stay pending");

    // Not "Nothing to backfill": the failed collections are still to do.
    const again = await runCli(["backfill"], env);
    expect(again.stdout).not.toContain("Nothing to backfill");
    expect(again.code).toBe(1);
    const forced = await runCli(["backfill", "--force"], env);
    expect(forced.code).toBe(1);

    const status = await runCli(["status"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Backfill: +FAILED for \d+ collection\(s\).*`atbb backfill --errors` lists them/);

    const errors = await runCli(["backfill", "--errors"], env);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toContain(`${FORUM_DID} space.atbb.forum.forum`);
    expect(errors.stdout).toContain(`cannot reach ${pds}/xrpc/com.atproto.repo.listRecords`);
  });

  it("whose DID document cannot be read names the DID and the directory asked", async () => {
    const url = await migratedUrl();
    const plc = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(["backfill"], {
      DATABASE_URL: url,
      FORUM_DID,
      PLC_URL: plc,
      ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "silent",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${FORUM_DID}: cannot find the PDS: cannot read the DID document of ${FORUM_DID} from ${plc}`,
    );
    expect(
      (await runCli(["backfill"], { DATABASE_URL: url, FORUM_DID, PLC_URL: plc, ALLOW_LOOPBACK: "true" })).stdout,
    ).not.toContain("Nothing to backfill");
  });

  it("says there are no errors when none were recorded", async () => {
    const url = await migratedUrl();
    expect(await runCli(["backfill", "--errors"], { DATABASE_URL: url })).toMatchObject({
      code: 0,
      stdout: "No backfill errors recorded.\n",
    });
  });

  it("is retried by serve, which shows it in /api/health", async () => {
    const url = await migratedUrl();
    const jetstream = await FakeJetstream.start([]);
    const served = await startServe({
      DATABASE_URL: url,
      FORUM_DID,
      PDS_URL: `http://127.0.0.1:${await freePort()}`,
      JETSTREAM_URL: jetstream.url,
      BACKFILL_RETRY_SECONDS: "1",
    });
    const database = await createDb(url, { create: false });
    try {
      const attempts = async () =>
        Number(
          (
            await database.rows<{ n: unknown }>(
              sql`select count(distinct created_at) as n from backfill_errors where collection = 'space.atbb.forum.forum'`,
            )
          )[0]?.n ?? 0,
        );
      // The first attempt, then retries after 1 s and 2 s.
      for (let i = 0; i < 100 && (await attempts()) < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await attempts()).toBeGreaterThanOrEqual(3);
      expect(served.output()).toContain("backfill incomplete; retrying later");
      const health = (await (await fetch(`http://127.0.0.1:${served.port}/api/health`)).json()) as {
        status: string;
        backfill: { status: string };
        missing: string[];
      };
      expect(health).toMatchObject({ status: "degraded", backfill: { status: "failed" } });
      expect(health.missing).toContainEqual(expect.stringContaining("atbb backfill --errors"));
    } finally {
      await database.close();
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      await jetstream.stop();
    }
  });
});
