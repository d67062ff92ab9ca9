import type { DatabaseHandle } from "@atbb/db";
import { asc } from "drizzle-orm";
import { standingOf } from "../../../permissions.ts";
import { serializeRole } from "../../bodies/members.ts";
import { notFound } from "../../errors.ts";
import { memberProfiles } from "../../profiles.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function userRoutes(database: DatabaseHandle, forumDid: string | null) {
  const profiles = memberProfiles(database, forumDid);
  const app = resource();
  mount(app, routes.user, async (c, { params: { did } }) => {
    const profile = await profiles.profile(did);
    if (!profile) throw notFound(`User ${did}`);
    return c.json(profile, 200);
  });
  return app;
}

export function memberRoutes(database: DatabaseHandle, forumDid: string | null) {
  const app = resource();
  mount(app, routes.permissions, async (c, { params: { did } }) => {
    const { role, permissions } = await standingOf({ ...database, forumDid }, did);
    return c.json(
      {
        did,
        role: role ? serializeRole(role) : null,
        permissions,
      },
      200,
    );
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
