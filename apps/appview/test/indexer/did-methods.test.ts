// Authors are atproto accounts: did:plc at its exact length and alphabet, or
// did:web of a host (a port %3A-encoded, as development networks use). Any
// other method or length is rejected and counted as unsupported_did, and
// changes nothing.
import { isAccountDid } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect } from "@atbb/testing";
import { describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { cidFor, tid } from "../support/forum-events.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { droppedAfterEach } from "../support/fresh-databases.ts";

const unsupported = [
  "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
  `did:plc:${"a".repeat(2000)}`,
  "did:plc:aaaaaaaaaaaaaaaaaaaaaaa",
  "did:plc:aaaaaaaaaaaaaaaaaaaaaaaaa",
  "did:plc:aaaaaaaaaaaaaaaaaaaaaaa1",
  "did:plc:AAAAAAAAAAAAAAAAAAAAAAAA",
  "did:web:example.com:users:alice",
  "did:web:example.com%3A",
  "did:web:-bad.example",
  "did:example:123456789abcdefghi",
];

const freshDatabase = droppedAfterEach(createMigratedTestDatabase);

describe("which DIDs are atproto accounts", () => {
  it("accepts did:plc of 24 base32 characters and did:web of a host, with or without a port", () => {
    for (const did of [
      "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
      "did:web:forum.example",
      "did:web:localhost%3A2583",
      "did:web:a.b-c.example",
    ])
      expect(isAccountDid(did), did).toBe(true);
  });
  it("refuses other methods, lengths and alphabets, and did:web with a path", () => {
    for (const did of unsupported) expect(isAccountDid(did), did).toBe(false);
  });
});

describe(`authors that are no atproto account (${dialect})`, () => {
  it("are rejected as unsupported_did, counted, and change nothing", async () => {
    const clean = sampleForum();
    const reference = await freshDatabase();
    await applyMessages(
      createIndexer({ database: reference.handle, forumDid: clean.forumDid, logger: silentLogger }),
      clean.messages,
    );

    const timeUs = Date.UTC(2026, 10, 2) * 1000;
    const record = { $type: "space.atbb.post", text: "who am I", createdAt: "2026-11-02T00:00:00.000Z" };
    const posts = unsupported.map((did, i) =>
      JSON.stringify({
        did,
        time_us: timeUs + i,
        kind: "commit",
        commit: {
          operation: "create",
          collection: "space.atbb.post",
          rkey: tid(timeUs + i),
          cid: cidFor(record),
          record,
        },
      }),
    );
    const identities = unsupported.map((did, i) =>
      JSON.stringify({
        did,
        time_us: timeUs + 100 + i,
        kind: "identity",
        identity: { did, handle: "someone.test", seq: i, time: "2026-11-02T00:00:00.000Z" },
      }),
    );
    const database = await freshDatabase();
    const indexer = createIndexer({ database: database.handle, forumDid: clean.forumDid, logger: silentLogger });
    await applyMessages(indexer, [...clean.messages, ...posts, ...identities]);

    expect(indexer.status().rejected).toEqual({ unsupported_did: 2 * unsupported.length });
    // The same rows; only the cursor moved on, past the rejected events.
    const { cursors: _cursors, ...rows } = await databaseSnapshot(database.handle);
    const { cursors: _referenceCursors, ...expected } = await databaseSnapshot(reference.handle);
    expect(rows).toEqual(expected);
  });
});
