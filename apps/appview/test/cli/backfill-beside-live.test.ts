// `atbb serve` reads the forum account's records first, then indexes live
// while the members' repositories are read: a member whose PDS answers an
// endless cursor, slowly, must not hold up the live stream, and a shutdown
// in the middle leaves that repository pending.
import { createDb } from "@atbb/db";
import { dialect } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migratedDatabases, startServe } from "../support/cli.ts";
import { ForumStream } from "../support/forum-events.ts";
import { plcDid, startHostilePds } from "../support/hostile-pds.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";

const FORUM_DID = plcDid("forum");
const MEMBER = plcDid("member");
const HOSTILE = plcDid("endless");

const migratedUrl = migratedDatabases();

describe(`a member's hostile PDS during serve's backfill (${dialect})`, () => {
  it("does not hold up live indexing, and stays pending across a shutdown", async () => {
    const url = await migratedUrl();
    const database = await createDb(url, { create: false });
    const now = new Date();
    await database.db.insert(database.schema.users).values({ did: HOSTILE, firstSeenAt: now, updatedAt: now });
    const pds = await startHostilePds({ [FORUM_DID]: { kind: "empty" }, [HOSTILE]: { kind: "endless", delayMs: 50 } });
    // Live events a minute ahead of the resume point serve takes when it starts (inside the future allowance).
    const stream = new ForumStream({ forumDid: FORUM_DID, startUs: (Date.now() + 60_000) * 1000 });
    const forum = stream.forum();
    const board = stream.board(stream.category("General"), "Lobby");
    stream.join(MEMBER, forum);
    stream.topic(MEMBER, board, "Live while the backfill runs");
    const jetstream = await FakeJetstream.start(stream.messages, { delayMs: 20 });
    const served = await startServe({
      DATABASE_URL: url,
      FORUM_DID,
      PDS_URL: pds.url,
      PLC_URL: pds.url,
      ALLOW_LOOPBACK: "true",
      JETSTREAM_URL: jetstream.url,
      BACKFILL_RATE: "1000",
      LOG_LEVEL: "warn",
    });
    const count = async (query: ReturnType<typeof sql>) =>
      Number((await database.rows<{ n: unknown }>(query))[0]?.n ?? 0);
    try {
      const deadline = Date.now() + 20_000;
      while ((await count(sql`select count(*) as n from posts`)) < 1) {
        if (Date.now() > deadline)
          throw new Error(`the live topic was not indexed while the backfill ran:\n${served.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Still reading the hostile repository, page by page.
      expect(pds.requests.get(HOSTILE) ?? 0).toBeGreaterThan(0);
      expect(
        await count(sql`select count(*) as n from backfill_progress where did = ${HOSTILE} and status = 'running'`),
      ).toBe(1);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      await jetstream.stop();
      await pds.stop();
    }
    // Stopped mid-repository: pending, so the next start resumes it.
    expect(
      await count(sql`select count(*) as n from backfill_progress where did = ${HOSTILE} and status <> 'done'`),
    ).toBeGreaterThan(0);
    await database.close();
  });
});
