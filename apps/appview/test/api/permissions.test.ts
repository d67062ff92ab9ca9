import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { checkPermission, getRolePermissions, getUserRole } from "../../src/permissions.ts";
import { ForumStream } from "../support/forum-events.ts";
import { applyMessages } from "../support/apply-messages.ts";

const owner = "did:plc:ownerownerownerowneraaaa";
const moderator = "did:plc:modmodmodmodmodmodmodaaa";
const member = "did:plc:membermembermemberaaaaaa";
const orphan = "did:plc:orphanorphanorphanaaaaaa";
const stranger = "did:plc:strangerstrangerstraaaaa";

let database: MigratedTestDatabase;
const s = new ForumStream();
beforeAll(async () => {
  database = await createMigratedTestDatabase();
  const forum = s.forum();
  const admin = s.role("Owner", ["*"], 0);
  const mod = s.role("Moderator", ["space.atbb.permission.moderatePosts", "space.atbb.permission.banUsers"], 10);
  const gone = s.role("Temporary", ["space.atbb.permission.createTopics"], 50);
  s.join(owner, forum, admin);
  s.join(moderator, forum, mod);
  s.join(member, forum);
  s.join(orphan, forum, gone);
  s.remove(gone);
  await applyMessages(createIndexer({ database: database.handle, forumDid: s.forumDid, logger: silentLogger }), s.messages);
});
afterAll(async () => database?.drop());

describe(`permissions (${dialect})`, () => {
  it("grants everything to a wildcard role", async () => {
    expect(await checkPermission(database.handle, owner, "space.atbb.permission.anything")).toBe(true);
    expect(await getUserRole(database.handle, owner)).toMatchObject({ name: "Owner", priority: 0 });
  });

  it("grants exactly a role's specific permissions", async () => {
    expect(await checkPermission(database.handle, moderator, "space.atbb.permission.banUsers")).toBe(true);
    expect(await checkPermission(database.handle, moderator, "space.atbb.permission.manageRoles")).toBe(false);
    const role = await getUserRole(database.handle, moderator);
    expect(await getRolePermissions(database.handle, role!.id)).toEqual(["space.atbb.permission.banUsers", "space.atbb.permission.moderatePosts"]);
  });

  it("fails closed for a member without a role and for a stranger", async () => {
    expect(await getUserRole(database.handle, member)).toBeNull();
    expect(await checkPermission(database.handle, member, "space.atbb.permission.createTopics")).toBe(false);
    expect(await checkPermission(database.handle, stranger, "space.atbb.permission.createTopics")).toBe(false);
  });

  it("fails closed once a member's role is deleted, its permissions gone with it", async () => {
    expect(await getUserRole(database.handle, orphan)).toBeNull();
    expect(await checkPermission(database.handle, orphan, "space.atbb.permission.createTopics")).toBe(false);
    const { rolePermissions } = database.handle.schema;
    const grants = await database.handle.db.select().from(rolePermissions);
    expect(grants.map((g) => g.permission).sort()).toEqual(["*", "space.atbb.permission.banUsers", "space.atbb.permission.moderatePosts"]);
  });
});
