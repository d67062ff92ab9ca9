// space.atbb.forum.roleAssignment: the forum's grants of roles. Accepted and
// counted now, stored once grants are indexed (docs/indexer.md).
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { ForumStream } from "../support/forum-events.ts";

const alice = "did:plc:alicealicealicealiceaaaa";
const mallory = "did:plc:mallorymallorymalloryaaa";

let database: MigratedTestDatabase;
beforeEach(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => database.drop());

describe(`role grants (${dialect})`, () => {
  it("are accepted from the forum at the member's DID, change nothing stored yet, and are rejected otherwise", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const admin = s.role("Admin", ["*"], 0);
    s.join(alice, forum);
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.splice(0));
    const before = await databaseSnapshot(database.handle);

    const grant = s.grant(alice, admin);
    const role = { $type: "space.atbb.forum.roleAssignment#roleRef" as const, role: admin.ref };
    s.commit(mallory, ids.roleAssignment, { did: alice, role, createdAt: s.isoNow() }, { rkey: alice });
    s.commit(s.forumDid, ids.roleAssignment, { did: alice, role, createdAt: s.isoNow() }, { rkey: "3kabc2345abcd" });
    s.commit(s.forumDid, ids.roleAssignment, { did: alice, role: { role: forum.ref }, createdAt: s.isoNow() }, { rkey: alice });
    s.remove(grant);
    await applyMessages(indexer, s.messages);

    expect(indexer.status()).toMatchObject({ applied: 5, rejected: { not_forum_owner: 1, invalid_rkey: 1, bad_reference: 1 } });
    expect({ ...(await databaseSnapshot(database.handle)), cursors: [] }).toEqual({ ...before, cursors: [] });
  });
});
