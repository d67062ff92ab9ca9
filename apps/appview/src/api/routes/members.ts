import type { DatabaseHandle } from "@atbb/db";
import { and, asc, count, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { getRolePermissions, getUserRole, type Role } from "../../permissions.ts";
import { notFound } from "../errors.ts";
import { iso } from "../serialize.ts";
import { didParam, documented, parse } from "../validation.ts";

const serializeRole = (role: Role) => ({ id: String(role.id), name: role.name, description: role.description, priority: role.priority });

documented({ method: "get", path: "/api/users/{did}", summary: "A member: handle, joined, role, post count", params: didParam });
documented({ method: "get", path: "/api/members/{did}/permissions", summary: "A member's role and permissions (empty when none)", params: didParam });
documented({ method: "get", path: "/api/roles", summary: "Roles by priority, each with its permissions" });

export function userRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { users, memberships, posts } = schema;
  return new Hono().get("/:did", async (c) => {
    const { did } = parse(didParam, c.req.param());
    const [user] = await db.select().from(users).where(eq(users.did, did));
    if (!user) throw notFound(`User ${did}`);
    const active = user.accountStatus === "active";
    const [[membership], role, [posted]] = await Promise.all([
      db.select().from(memberships).where(eq(memberships.did, did)).orderBy(desc(memberships.createdAt), desc(memberships.id)).limit(1),
      getUserRole(database, did),
      db.select({ n: count() }).from(posts).where(and(eq(posts.did, did), eq(posts.deletedByUser, false))),
    ]);
    return c.json({
      did,
      handle: active ? user.handle : null,
      accountStatus: user.accountStatus,
      joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
      role: role ? serializeRole(role) : null,
      postCount: posted!.n,
    });
  });
}

export function memberRoutes(database: DatabaseHandle) {
  return new Hono().get("/:did/permissions", async (c) => {
    const { did } = parse(didParam, c.req.param());
    const role = await getUserRole(database, did);
    return c.json({ did, role: role ? serializeRole(role) : null, permissions: role ? await getRolePermissions(database, role.id) : [] });
  });
}

export function roleRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { roles, rolePermissions } = schema;
  return new Hono().get("/", async (c) => {
    const [allRoles, grants] = await Promise.all([
      db.select().from(roles).orderBy(asc(roles.priority), asc(roles.id)),
      db.select().from(rolePermissions).orderBy(asc(rolePermissions.permission)),
    ]);
    return c.json({
      roles: allRoles.map((role) => ({
        ...serializeRole(role),
        permissions: grants.filter((g) => g.roleId === role.id).map((g) => g.permission),
      })),
    });
  });
}
