// The database's content as a reader sees it, with everything that depends on
// when or in which order rows were written (ids, indexed_at) replaced by the
// records' own keys — so two runs of the same stream can be compared exactly.
import type { DatabaseHandle } from "@atbb/db";
import { asc } from "drizzle-orm";

export async function databaseSnapshot({ db, schema }: DatabaseHandle) {
  const {
    forums,
    categories,
    boards,
    roles,
    roleGrants,
    rolePermissions,
    users,
    memberships,
    posts,
    modActions,
    firehoseCursor,
  } = schema;
  const keyOf = new Map<string, Map<number, string>>();
  const remember = (table: string, rows: { id: number; did: string; rkey: string }[]) =>
    keyOf.set(table, new Map(rows.map((r) => [r.id, `${r.did}/${r.rkey}`])));
  const key = (table: string, id: number | null) =>
    id === null ? null : (keyOf.get(table)?.get(id) ?? `missing:${id}`);
  const strip = <T extends { id: number; indexedAt: Date; updatedAt?: Date | null }>({
    id: _id,
    indexedAt: _i,
    updatedAt: _u,
    ...rest
  }: T) => rest;

  const roleRows = await db.select().from(roles).orderBy(asc(roles.did), asc(roles.rkey));
  remember("roles", roleRows);
  const forumRows = await db.select().from(forums).orderBy(asc(forums.did), asc(forums.rkey));
  remember("forums", forumRows);
  const categoryRows = await db.select().from(categories).orderBy(asc(categories.did), asc(categories.rkey));
  remember("categories", categoryRows);
  const boardRows = await db.select().from(boards).orderBy(asc(boards.did), asc(boards.rkey));
  remember("boards", boardRows);
  const postRows = await db.select().from(posts).orderBy(asc(posts.did), asc(posts.rkey));
  remember("posts", postRows);

  return {
    forums: forumRows.map((r) => ({ ...strip(r), defaultRoleId: key("roles", r.defaultRoleId) })),
    categories: categoryRows.map((r) => ({ ...strip(r), forumId: key("forums", r.forumId) })),
    boards: boardRows.map((r) => ({ ...strip(r), categoryId: key("categories", r.categoryId) })),
    roles: roleRows.map(strip),
    roleGrants: (await db.select().from(roleGrants).orderBy(asc(roleGrants.did), asc(roleGrants.rkey))).map((r) => ({
      ...strip(r),
      roleId: key("roles", r.roleId),
    })),
    rolePermissions: (await db.select().from(rolePermissions))
      .map((r) => ({ role: key("roles", r.roleId), permission: r.permission }))
      .sort((a, b) => `${a.role} ${a.permission}`.localeCompare(`${b.role} ${b.permission}`)),
    users: (await db.select().from(users).orderBy(asc(users.did))).map(
      ({ firstSeenAt: _f, updatedAt: _u, ...rest }) => rest,
    ),
    memberships: (await db.select().from(memberships).orderBy(asc(memberships.did), asc(memberships.rkey))).map(
      (r) => ({
        ...strip(r),
        forumId: key("forums", r.forumId),
        roleId: key("roles", r.roleId),
      }),
    ),
    posts: postRows.map((r) => ({
      ...strip(r),
      boardId: key("boards", r.boardId),
      rootId: key("posts", r.rootId),
      parentId: key("posts", r.parentId),
    })),
    modActions: (await db.select().from(modActions).orderBy(asc(modActions.did), asc(modActions.rkey))).map(strip),
    cursors: (await db.select().from(firehoseCursor)).map(({ service, cursor }) => ({ service, cursor })),
  };
}
