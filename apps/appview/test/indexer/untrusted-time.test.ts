import { createMigratedTestDatabase, dialect } from "@atbb/testing";
import { describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { cidFor, tid, timeOf } from "../support/forum-events.ts";
import { finalCursor } from "../support/run-indexer.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const freshDatabase = droppedAfterEach(createMigratedTestDatabase);

describe(`times the network claims (${dialect})`, () => {
  it("rejects an event whose time_us is in the future, and the cursor stays where the stream is", async () => {
    const clean = sampleForum();
    const reference = await freshDatabase();
    await applyMessages(
      createIndexer({ database: reference.handle, forumDid: clean.forumDid, logger: silentLogger }),
      clean.messages,
    );

    const year2255 = Date.UTC(2255, 0, 1) * 1000;
    const record = { $type: "space.atbb.post", text: "from the future", createdAt: "2026-11-01T00:00:00.000Z" };
    const future = JSON.stringify({
      did: "did:plc:trollaaaaaaaaaaaaaaaaaaa",
      time_us: year2255,
      kind: "commit",
      commit: { operation: "create", collection: "space.atbb.post", rkey: tid(year2255), cid: cidFor(record), record },
    });
    const stream = [...clean.messages];
    stream.splice(10, 0, future);
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: clean.forumDid, logger: silentLogger });
    await applyMessages(indexer, stream);

    expect(indexer.status().rejected).toEqual({ invalid_envelope: 1 });
    expect(indexer.status().cursor).toBe(finalCursor(clean.messages));
    expect(timeOf(clean.messages.at(-1)!)).toBe(finalCursor(clean.messages));
    expect(await databaseSnapshot(database.handle)).toEqual(await databaseSnapshot(reference.handle));
  });
});
