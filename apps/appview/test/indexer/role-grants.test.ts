// space.atbb.forum.roleAssignment: the forum's grants of roles, stored from
// the forum account only, at the member's DID, for a role of this forum.
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsFolders } from "@atbb/testing";
import { createApp } from "../../src/api/app.ts";
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
  it("are stored from the forum at the member's DID, removed by a delete, and rejected otherwise", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const admin = s.role("Admin", ["*"], 0);
    s.join(alice, forum);
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.splice(0));
    const before = await databaseSnapshot(database.handle);

    const grant = s.grant(alice, admin);
    await applyMessages(indexer, s.messages.splice(0));
    const { roleGrants } = database.handle.schema;
    expect(
      await database.handle.db
        .select({
          did: roleGrants.did,
          rkey: roleGrants.rkey,
          memberDid: roleGrants.memberDid,
          roleUri: roleGrants.roleUri,
        })
        .from(roleGrants),
    ).toEqual([{ did: s.forumDid, rkey: alice, memberDid: alice, roleUri: admin.uri }]);
    const role = { $type: "space.atbb.forum.roleAssignment#roleRef" as const, role: admin.ref };
    s.commit(mallory, ids.roleAssignment, { did: alice, role, createdAt: s.isoNow() }, { rkey: alice });
    s.commit(s.forumDid, ids.roleAssignment, { did: alice, role, createdAt: s.isoNow() }, { rkey: "3kabc2345abcd" });
    s.commit(
      s.forumDid,
      ids.roleAssignment,
      { did: alice, role: { role: forum.ref }, createdAt: s.isoNow() },
      { rkey: alice },
    );
    s.remove(grant);
    await applyMessages(indexer, s.messages);

    expect(indexer.status()).toMatchObject({
      applied: 5,
      rejected: { not_forum_owner: 1, invalid_rkey: 1, bad_reference: 1 },
    });
    expect({ ...(await databaseSnapshot(database.handle)), cursors: [] }).toEqual({ ...before, cursors: [] });
  });

  it("decide a member's role in the API; a claim in the member's own membership is ignored and counted", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    const owner = s.role("Owner", ["*"], 0);
    const admin = s.role("Admin", ["space.atbb.permission.manageRoles"], 10);
    s.join(alice, forum);
    s.join(mallory, forum, owner);
    s.join(mallory, forum, admin);
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages.splice(0));
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[database.handle.dialect],
      forumDid: s.forumDid,
      indexer,
    });
    const get = async (path: string) => (await app.request(path)).json() as Promise<Record<string, unknown>>;

    expect(await get(`/api/users/${mallory}`)).toMatchObject({ role: null });
    expect(await get(`/api/members/${mallory}/permissions`)).toEqual({ did: mallory, role: null, permissions: [] });
    expect(await get("/api/health")).toMatchObject({ indexer: { ignoredRoleClaims: 2 } });

    s.grant(alice, admin);
    await applyMessages(indexer, s.messages.splice(0));
    expect(await get(`/api/users/${alice}`)).toMatchObject({ role: { name: "Admin", priority: 10 } });
    expect(await get(`/api/members/${alice}/permissions`)).toMatchObject({
      permissions: ["space.atbb.permission.manageRoles"],
    });

    s.remove({ did: s.forumDid, collection: ids.roleAssignment, rkey: alice });
    await applyMessages(indexer, s.messages.splice(0));
    expect(await get(`/api/members/${alice}/permissions`)).toEqual({ did: alice, role: null, permissions: [] });
  });

  it("link a grant and a default role to a role that arrives after them; a default role of another account is rejected", async () => {
    const s = new ForumStream();
    const forum = s.forum();
    s.join(alice, forum);
    const memberRole = {
      uri: `at://${s.forumDid}/${ids.role}/3kaaaaaaaaaa2`,
      cid: "bafyreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
    s.update(forum, {
      name: "atBB",
      defaultRole: { $type: "space.atbb.forum.forum#roleRef", role: memberRole },
      createdAt: s.isoNow(),
    });
    s.commit(
      s.forumDid,
      ids.roleAssignment,
      {
        did: mallory,
        role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: memberRole },
        createdAt: s.isoNow(),
      },
      { rkey: mallory },
    );
    s.commit(
      s.forumDid,
      ids.role,
      { name: "Member", permissions: ["space.atbb.permission.createTopics"], priority: 100, createdAt: s.isoNow() },
      { rkey: "3kaaaaaaaaaa2" },
    );
    const foreign = { uri: `at://${mallory}/${ids.role}/3kaaaaaaaaaa2`, cid: memberRole.cid };
    s.update(forum, {
      name: "atBB",
      defaultRole: { $type: "space.atbb.forum.forum#roleRef", role: foreign },
      createdAt: s.isoNow(),
    });
    const indexer = createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
    await applyMessages(indexer, s.messages);
    expect(indexer.status().rejected).toEqual({ bad_reference: 1 });
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[database.handle.dialect],
      forumDid: s.forumDid,
    });
    for (const did of [alice, mallory]) {
      expect(await (await app.request(`/api/members/${did}/permissions`)).json()).toMatchObject({
        role: { name: "Member" },
        permissions: ["space.atbb.permission.createTopics"],
      });
    }
  });
});
