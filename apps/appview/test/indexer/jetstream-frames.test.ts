import { createMigratedTestDatabase, dialect } from "@atbb/testing";
import { describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { JetstreamSource } from "../../src/source/jetstream.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { timeOf } from "../support/forum-events.ts";
import { FakeJetstream, type FakeFrame } from "../support/jetstream-server.ts";
import { indexThroughJetstream } from "../support/run-indexer.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const freshDatabase = droppedAfterEach(createMigratedTestDatabase);

/** A commit frame whose envelope is readable and whose body is `body` bytes as they are. */
const frame = (timeUs: number, body: Buffer) =>
  Buffer.concat([
    Buffer.from(`{"did":"did:plc:hostilehostilehostileaaa","time_us":${timeUs},"kind":"commit","commit":{"text":"`),
    body,
    Buffer.from(`"}}`),
  ]);

describe(`Jetstream frames that cannot be read (${dialect})`, () => {
  it("steps past a frame that is not UTF-8 and one of 5 MB, counting each, on one connection", async () => {
    const clean = sampleForum();
    const reference = await freshDatabase();
    await applyMessages(
      createIndexer({ database: reference.handle, forumDid: clean.forumDid, logger: silentLogger }),
      clean.messages,
    );

    const stream: FakeFrame[] = [...clean.messages];
    const between = (i: number) => timeOf(clean.messages[i]!) + 1;
    stream.splice(11, 0, frame(between(10), Buffer.from([0x68, 0xc3, 0x28, 0xff, 0xfe])));
    stream.splice(21, 0, frame(between(19), Buffer.alloc(5 * 1024 * 1024, "a")));

    const database = await freshDatabase();
    const { indexer, server } = await indexThroughJetstream(database.handle, clean.forumDid, stream, {
      deadlineMs: 20_000,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.maxMessageSizes).toEqual(["1000000"]);
    expect(indexer.status().rejected).toEqual({ invalid_json: 2 });
    expect(await databaseSnapshot(database.handle)).toEqual(await databaseSnapshot(reference.handle));
  });

  it("backs off more and more from a server that drops every connection before any event", async () => {
    const server = await FakeJetstream.start(sampleForum().messages, { dropEvery: 0 });
    const source = new JetstreamSource({
      url: server.url,
      logger: silentLogger,
      backoffBaseMs: 50,
      backoffMaxMs: 1_000,
    });
    const reading = (async () => {
      for await (const _ of source.events(() => null, "did:plc:forumforumforumforumfoaa"))
        throw new Error("no event was sent");
    })();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await source.stop();
    await reading;
    await server.stop();
    // Doubling from 50 ms reaches the 1 s cap within six attempts: about eight connections in two seconds,
    // where a backoff reset on every open would reconnect every 25–50 ms (forty or more).
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    expect(server.requests.length).toBeLessThan(15);
  });
});
