import type { DatabaseHandle } from "@atbb/db";
import { and, asc, count, desc, eq } from "drizzle-orm";
import { getRolePermissions, getUserRole } from "../../../permissions.ts";
import { serializeRole } from "../../bodies/members.ts";
import { iso } from "../../bodies/time.ts";
import { notFound } from "../../errors.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function userRoutes(database: DatabaseHandle, forumDid: string | null) {
  const { db, schema } = database;
  const { users, memberships, posts } = schema;
  const app = resource();
  mount(app, routes.user, async (c, { params: { did } }) => {
    const [user] = await db.select().from(users).where(eq(users.did, did));
    if (!user) throw notFound(`User ${did}`);
    const active = user.accountStatus === "active";
    const [[membership], role, [posted]] = await Promise.all([
      db.select().from(memberships).where(eq(memberships.did, did)).orderBy(desc(memberships.createdAt), desc(memberships.id)).limit(1),
      getUserRole({ ...database, forumDid }, did),
      db.select({ n: count() }).from(posts).where(and(eq(posts.did, did), eq(posts.deletedByUser, false))),
    ]);
    return c.json(
      {
        did,
        handle: active ? user.handle : null,
        accountStatus: user.accountStatus,
        joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
        role: role ? serializeRole(role) : null,
        postCount: posted!.n,
      },
      200,
    );
  });
  return app;
}

export function memberRoutes(database: DatabaseHandle, forumDid: string | null) {
  const app = resource();
  mount(app, routes.permissions, async (c, { params: { did } }) => {
    const role = await getUserRole({ ...database, forumDid }, did);
    return c.json({ did, role: role ? serializeRole(role) : null, permissions: role ? await getRolePermissions(database, role.id) : [] }, 200);
  });
  return app;
}

export function roleRoutes(database: DatabaseHandle) {
  const { db, schema } = database;
  const { roles, rolePermissions } = schema;
  const app = resource();
  mount(app, routes.roles, async (c) => {
    const [allRoles, grants] = await Promise.all([
      db.select().from(roles).orderBy(asc(roles.priority), asc(roles.id)),
      db.select().from(rolePermissions).orderBy(asc(rolePermissions.permission)),
    ]);
    return c.json(
      {
        roles: allRoles.map((role) => ({
          ...serializeRole(role),
          permissions: grants.filter((g) => g.roleId === role.id).map((g) => g.permission),
        })),
      },
      200,
    );
  });
  return app;
}
