import { aliasedTable, countCell, jsonSql, type DatabaseHandle } from "@atbb/db";
import { and, asc, desc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { getUserRole, standingOf } from "../../../permissions.ts";
import { serializeRole } from "../../bodies/members.ts";
import { iso } from "../../bodies/time.ts";
import { notFound } from "../../errors.ts";
import { mount, resource } from "../../resource.ts";
import * as routes from "./routes.ts";

export function userRoutes(database: DatabaseHandle, forumDid: string | null) {
  const { db, schema } = database;
  const { users, memberships, posts } = schema;
  const { table: root, from: rootFrom } = aliasedTable(posts, "root");
  // What a reader can find of the member: their topics on a board of the
  // forum and their replies in those topics' threads, except replies the
  // network saw after the topic was locked or deleted (the rules of
  // topicPage and of the reply counts, indexer/aggregates.ts).
  const shown = or(
    and(isNull(posts.rootUri), isNotNull(posts.boardId)),
    and(
      isNull(root.rootUri),
      isNotNull(root.boardId),
      or(isNull(root.lockedAt), lte(posts.seenAt, root.lockedAt)),
      or(isNull(root.deletedAt), lte(posts.seenAt, root.deletedAt)),
    ),
  );
  const postCountText =
    database.sqlText(sql`select count(*) from ${posts} left join ${rootFrom} on ${root.id} = ${posts.rootId}
    where ${posts.did} = ${jsonSql[database.dialect].param(1)} and ${posts.deletedByUser} = false and ${shown}`);
  const app = resource();
  mount(app, routes.user, async (c, { params: { did } }) => {
    const [user] = await db.select().from(users).where(eq(users.did, did));
    if (!user) throw notFound(`User ${did}`);
    const active = user.accountStatus === "active";
    const [[membership], role, [posted]] = await Promise.all([
      db
        .select()
        .from(memberships)
        .where(eq(memberships.did, did))
        .orderBy(desc(memberships.createdAt), desc(memberships.id))
        .limit(1),
      getUserRole({ ...database, forumDid }, did),
      database.values(postCountText, [did]),
    ]);
    return c.json(
      {
        did,
        handle: active ? user.handle : null,
        accountStatus: user.accountStatus,
        joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
        role: role ? serializeRole(role) : null,
        postCount: countCell(posted![0]),
      },
      200,
    );
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
