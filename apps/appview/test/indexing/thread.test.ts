// `atbb serve` indexes in a thread of its own: the indexing thread says which
// it is, the API's health relays its status, and a shutdown commits its cursor.
import { createDb } from "@atbb/db";
import { dialect } from "@atbb/testing";
import { describe, expect, it } from "vitest";
import { migratedDatabases, startServe } from "../support/cli.ts";
import { ForumStream } from "../support/forum-events.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";
import { finalCursor } from "../support/run-indexer.ts";
import { waitFor } from "../support/wait-for.ts";

const FORUM_DID = "did:plc:forumforumforumforumaaaa";
const MEMBER = "did:plc:membermembermembermember";
const migratedUrl = migratedDatabases();

/** The JSON log lines of a process. */
const logLines = (output: string): Record<string, unknown>[] =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe(`atbb serve's indexing thread (${dialect})`, () => {
  it("indexes off the API's thread, relays its status to health, and stops at its committed cursor", async () => {
    const url = await migratedUrl();
    // Live events a minute ahead of the resume point serve takes when it starts (inside the future allowance).
    const stream = new ForumStream({ forumDid: FORUM_DID, startUs: (Date.now() + 60_000) * 1000 });
    const forum = stream.forum();
    const board = stream.board(stream.category("General"), "Lobby");
    stream.join(MEMBER, forum);
    for (let i = 0; i < 20; i++) stream.topic(MEMBER, board, `Topic ${i}`);
    const target = finalCursor(stream.messages);
    const jetstream = await FakeJetstream.start(stream.messages);
    const served = await startServe({
      DATABASE_URL: url,
      FORUM_DID,
      JETSTREAM_URL: jetstream.url,
      BACKFILL: "off",
      LOG_LEVEL: "info",
    });
    const database = await createDb(url, { create: false });
    try {
      const indexer = await waitFor("health to report the whole stream indexed", async () => {
        const body = (await (await fetch(`http://127.0.0.1:${served.port}/api/health`)).json()) as {
          indexer: { connected?: boolean; cursor: number | null; applied: number };
        };
        return body.indexer.cursor === target && body.indexer;
      });
      expect(indexer.connected).toBe(true);
      expect(indexer.applied).toBe(stream.messages.length);
      const posts = await database.db.select().from(database.schema.posts);
      expect(posts).toHaveLength(20);

      // The indexer said so from its own thread (the main thread's id is 0).
      const started = logLines(served.output()).find((line) => line.msg === "indexing in a thread of its own");
      expect(started?.thread).toEqual(expect.any(Number));
      expect(started?.thread).not.toBe(0);
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      await jetstream.stop();
    }
    const [committed] = await database.db.select().from(database.schema.firehoseCursor);
    expect(committed?.cursor).toBe(target);
    const stopped = logLines(served.output()).find((line) => line.msg === "stopped cleanly");
    expect(stopped?.cursor).toBe(target);
    await database.close();
  });
});
