import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import {
  checkPermission,
  getRolePermissions,
  getUserRole,
  mayGrant,
  outranks,
  permits,
  standingOf,
} from "../../src/permissions.ts";
import { ForumStream, type Written } from "../support/forum-events.ts";
import { applyMessages } from "../support/apply-messages.ts";

const owner = "did:plc:ownerownerownerowneraaaa";
const moderator = "did:plc:modmodmodmodmodmodmodaaa";
const member = "did:plc:membermembermemberaaaaaa";
const orphan = "did:plc:orphanorphanorphanaaaaaa";
const stranger = "did:plc:strangerstrangerstraaaaa";
const claimsOwner = "did:plc:claimsownerclaimsownaaaa";
const claimsModerator = "did:plc:claimsmodclaimsmodaaaaaa";

let database: MigratedTestDatabase;
const s = new ForumStream();
let forum: Written<typeof ids.forum>;
beforeAll(async () => {
  database = await createMigratedTestDatabase();
  forum = s.forum();
  const admin = s.role("Owner", ["*"], 0);
  const mod = s.role("Moderator", ["space.atbb.permission.moderatePosts", "space.atbb.permission.banUsers"], 10);
  const gone = s.role("Temporary", ["space.atbb.permission.createTopics"], 50);
  s.join(owner, forum);
  s.grant(owner, admin);
  s.join(moderator, forum);
  s.grant(moderator, mod);
  s.join(member, forum);
  s.join(orphan, forum);
  s.grant(orphan, gone);
  s.remove(gone);
  // Claims in members' own records, which the forum never granted.
  s.join(claimsOwner, forum, admin);
  s.join(claimsModerator, forum, mod);
  await applyMessages(indexer(), s.messages.splice(0));
});
const indexer = () => createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger });
const access = () => ({ ...database.handle, forumDid: s.forumDid });
afterAll(async () => database?.drop());

describe(`permissions (${dialect})`, () => {
  it("grants everything to a wildcard role", async () => {
    expect(await checkPermission(access(), owner, "space.atbb.permission.anything")).toBe(true);
    expect(await getUserRole(access(), owner)).toMatchObject({ name: "Owner", priority: 0 });
  });

  it("grants exactly a role's specific permissions", async () => {
    expect(await checkPermission(access(), moderator, "space.atbb.permission.banUsers")).toBe(true);
    expect(await checkPermission(access(), moderator, "space.atbb.permission.manageRoles")).toBe(false);
    const role = await getUserRole(access(), moderator);
    expect(await getRolePermissions(access(), role!.id)).toEqual([
      "space.atbb.permission.banUsers",
      "space.atbb.permission.moderatePosts",
    ]);
  });

  it("fails closed for a member without a role and for a stranger", async () => {
    expect(await getUserRole(access(), member)).toBeNull();
    expect(await checkPermission(access(), member, "space.atbb.permission.createTopics")).toBe(false);
    expect(await checkPermission(access(), stranger, "space.atbb.permission.createTopics")).toBe(false);
  });

  it("gives nothing to a member whose own membership claims Owner or Moderator", async () => {
    for (const did of [claimsOwner, claimsModerator]) {
      expect(await getUserRole(access(), did)).toBeNull();
      expect(await checkPermission(access(), did, "space.atbb.permission.anything")).toBe(false);
      expect(await checkPermission(access(), did, "space.atbb.permission.banUsers")).toBe(false);
    }
  });

  it("gives nobody a role without a forum account, whatever the grants", async () => {
    expect(await getUserRole({ ...database.handle, forumDid: null }, owner)).toBeNull();
    expect(
      await checkPermission(
        { ...database.handle, forumDid: "did:plc:otherforumotherforumaaaa" },
        owner,
        "space.atbb.permission.anything",
      ),
    ).toBe(false);
  });

  it("fails closed once a member's role is deleted, its permissions gone with it", async () => {
    expect(await getUserRole(access(), orphan)).toBeNull();
    expect(await checkPermission(access(), orphan, "space.atbb.permission.createTopics")).toBe(false);
    const { rolePermissions } = database.handle.schema;
    const grants = await database.handle.db.select().from(rolePermissions);
    expect(grants.map((g) => g.permission).sort()).toEqual([
      "*",
      "space.atbb.permission.banUsers",
      "space.atbb.permission.moderatePosts",
    ]);
  });

  it("lets a role act only on those below it: never on an equal, a higher role, or itself", async () => {
    const [ownerRole, moderatorRole] = await Promise.all([
      getUserRole(access(), owner),
      getUserRole(access(), moderator),
    ]);
    expect(outranks(ownerRole, moderatorRole)).toBe(true);
    expect(outranks(moderatorRole, ownerRole)).toBe(false);
    expect(outranks(moderatorRole, moderatorRole)).toBe(false);
    expect(outranks(ownerRole, ownerRole)).toBe(false);
    // A member without a role is below every role, and acts on nobody.
    expect(outranks(moderatorRole, null)).toBe(true);
    expect(outranks(null, null)).toBe(false);
    expect(outranks(null, moderatorRole)).toBe(false);
    expect(mayGrant(ownerRole, moderatorRole!)).toBe(true);
    expect(mayGrant(moderatorRole, moderatorRole!)).toBe(false);
    expect(mayGrant(moderatorRole, ownerRole!)).toBe(false);
    expect(mayGrant(null, moderatorRole!)).toBe(false);
  });

  it("gives a member's standing as role and permissions together, empty for a guest", async () => {
    expect(await standingOf(access(), moderator)).toMatchObject({
      did: moderator,
      role: { name: "Moderator", priority: 10 },
      permissions: ["space.atbb.permission.banUsers", "space.atbb.permission.moderatePosts"],
    });
    const guest = await standingOf(access(), stranger);
    expect(guest).toEqual({ did: stranger, role: null, permissions: [] });
    expect(permits(guest, "space.atbb.permission.createTopics")).toBe(false);
  });

  // Changes the forum: runs last.
  it("gives a member without a grant the forum's default role, a stranger nothing, and a revoked member the default at once", async () => {
    const memberRole = s.role("Member", ["space.atbb.permission.createTopics"], 100);
    s.update(forum, {
      name: "atBB Test Forum",
      defaultRole: { $type: "space.atbb.forum.forum#roleRef", role: memberRole.ref },
      createdAt: s.isoNow(),
    });
    await applyMessages(indexer(), s.messages.splice(0));
    expect(await getUserRole(access(), member)).toMatchObject({ name: "Member", priority: 100 });
    expect(await checkPermission(access(), member, "space.atbb.permission.createTopics")).toBe(true);
    expect(await checkPermission(access(), claimsOwner, "space.atbb.permission.banUsers")).toBe(false);
    expect(await getUserRole(access(), stranger)).toBeNull();

    s.remove({ did: s.forumDid, collection: ids.roleAssignment, rkey: moderator });
    await applyMessages(indexer(), s.messages.splice(0));
    expect(await getUserRole(access(), moderator)).toMatchObject({ name: "Member" });
    expect(await checkPermission(access(), moderator, "space.atbb.permission.banUsers")).toBe(false);
  });
});
