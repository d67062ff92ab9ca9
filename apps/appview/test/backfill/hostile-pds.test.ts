// A PDS address comes from a DID document its owner writes: a backfill must
// end in bounded time with bounded rows whatever a member's PDS answers. The
// PDS and its PLC directory are real HTTP servers on loopback, reached
// through the SSRF-guarded fetch with ALLOW_LOOPBACK's development exception.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memberCollections, runBackfill } from "../../src/backfill/backfill.ts";
import { createPdsLocator } from "../../src/backfill/pds.ts";
import { identityFor } from "../../src/identity.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { plcDid, startHostilePds, type HostileBehaviour, type HostilePds } from "../support/hostile-pds.ts";

const FORUM_DID = plcDid("forum");
const ENDLESS = plcDid("endless");
const REPEATING = plcDid("repeating");
const FLOOD = plcDid("flood");
const STALLING = plcDid("stalling");

describe(`backfill from hostile PDSes (${dialect})`, () => {
  let target: MigratedTestDatabase;
  let pds: HostilePds | null = null;
  beforeEach(async () => {
    target = await createMigratedTestDatabase();
  });
  afterEach(async () => {
    await pds?.stop();
    await target.drop();
  });

  async function backfillMembers(repos: Record<string, HostileBehaviour>, repoLimits = {}) {
    pds = await startHostilePds({ [FORUM_DID]: { kind: "empty" }, ...repos });
    const { db, schema } = target.handle;
    const now = new Date();
    await db.insert(schema.users).values(Object.keys(repos).map((did) => ({ did, firstSeenAt: now, updatedAt: now })));
    const identity = identityFor({ plcUrl: pds.url, allowLoopback: true });
    const started = performance.now();
    const report = await runBackfill({
      database: target.handle,
      indexer: createIndexer({ database: target.handle, forumDid: FORUM_DID, logger: silentLogger }),
      forumDid: FORUM_DID,
      logger: silentLogger,
      pds: createPdsLocator({ identity, plcUrl: pds.url }),
      requestsPerSecond: 1_000,
      repoLimits,
    });
    const errorRows = await target.handle.rows<{ did: string; n: unknown }>(
      sql`select did, count(*) as n from backfill_errors group by did`,
    );
    const errorsOf = (did: string) => Number(errorRows.find((row) => row.did === did)?.n ?? 0);
    return { report, seconds: (performance.now() - started) / 1000, errorsOf };
  }

  it("stops an endless cursor at the repository's page cap, with one error row per page", async () => {
    const { report, seconds, errorsOf } = await backfillMembers({ [ENDLESS]: { kind: "endless" } }, { maxPages: 40 });
    expect(pds!.requests.get(ENDLESS)).toBe(40);
    // Each page's junk record is one row; the cap is one more.
    expect(errorsOf(ENDLESS)).toBe(41);
    expect(report.failures).toContainEqual({
      did: ENDLESS,
      collection: null,
      error: expect.stringContaining("more than 40 pages"),
    });
    expect(seconds).toBeLessThan(20);
    // Pending, not done: a later run resumes after the last page applied.
    const pending = await target.handle.rows<{ status: string; cursor: string | null }>(
      sql`select status, cursor from backfill_progress where did = ${ENDLESS} order by collection`,
    );
    expect(pending.every((row) => row.status === "failed")).toBe(true);
    expect(pending.map((row) => row.cursor)).toContain("next-40");
  });

  it("ends a collection whose cursor comes back, and reads the repository's other collections", async () => {
    const { report, errorsOf } = await backfillMembers({ [REPEATING]: { kind: "repeating" } });
    // Two pages per collection: the second gives the first one's cursor again.
    expect(pds!.requests.get(REPEATING)).toBe(2 * memberCollections.length);
    expect(report.failures.filter((f) => f.did === REPEATING).map((f) => f.collection)).toEqual(memberCollections);
    expect(report.failures[0]!.error).toContain('gave the cursor "again" a second time');
    expect(errorsOf(REPEATING)).toBe(2 * memberCollections.length);
  });

  it("refuses a page of 200,000 junk records whole, in one row", async () => {
    const { report, seconds, errorsOf } = await backfillMembers({ [FLOOD]: { kind: "flood", records: 200_000 } });
    expect(pds!.requests.get(FLOOD)).toBe(memberCollections.length);
    expect(errorsOf(FLOOD)).toBe(memberCollections.length);
    expect(report.failures[0]!.error).toContain("returned 200000 records for a limit of 100");
    expect(report.records).toBe(0);
    expect(seconds).toBeLessThan(30);
  });

  it("gives up on a repository at its deadline, cutting its request short", async () => {
    const { report, seconds } = await backfillMembers(
      { [STALLING]: { kind: "stalling", delayMs: 20_000 } },
      { deadlineMs: 1_000 },
    );
    expect(seconds).toBeLessThan(5);
    expect(report.failures).toEqual([
      { did: STALLING, collection: null, error: expect.stringContaining("took longer than 1 s") },
    ]);
  });

  it("stops at the records cap without applying the page that passes it", async () => {
    const { report, errorsOf } = await backfillMembers({ [ENDLESS]: { kind: "endless" } }, { maxRecords: 5 });
    expect(pds!.requests.get(ENDLESS)).toBe(6);
    expect(errorsOf(ENDLESS)).toBe(6);
    expect(report.failures).toContainEqual({
      did: ENDLESS,
      collection: null,
      error: expect.stringContaining("more than 5 records"),
    });
  });
});
