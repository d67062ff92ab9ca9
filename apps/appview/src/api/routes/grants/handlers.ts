import { countCell, jsonSql, type DatabaseHandle } from "@atbb/db";
import { ids, recordUri } from "@atbb/lexicon";
import { and, eq, inArray, sql } from "drizzle-orm";
import { forumGrants } from "../../../forum-structure/grants.ts";
import type { MemberAccess } from "../../../login/access.ts";
import { mayGrant, PERMISSION, refuseUnlessOutranks, roleName, standingOf } from "../../../permissions.ts";
import { asForum, forumActing, type ForumWriterSource } from "../../acting.ts";
import { RoleGrantRequest } from "../../bodies/administration.ts";
import { serializeRole } from "../../bodies/members.ts";
import { iso } from "../../bodies/time.ts";
import { ApiError, notFound } from "../../errors.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

export function grantRoutes(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  const { db, schema } = database;
  const { memberships, roleGrants, roles, users } = schema;
  const p = jsonSql[database.dialect].param;
  // Members: a membership of this forum, or a grant from it (an operator may grant before someone joins).
  const memberDids = sql`select ${memberships.did} as member from ${memberships} where ${memberships.forumUri} = ${p(1)}
    union select ${roleGrants.rkey} as member from ${roleGrants} where ${roleGrants.did} = ${p(2)}`;
  const pageText = database.sqlText(
    sql`select member from (${memberDids}) as members order by member limit ${p(3)} offset ${p(4)}`,
  );
  const countText = database.sqlText(sql`select count(*) from (${memberDids}) as members`);
  const app = resource();
  const acting = forumActing(database, access, forumWriter);

  const standing = (did: string) => standingOf({ ...database, forumDid: access!.forumDid }, did);
  const answer = async (did: string, changed: boolean, uri: string | null) => {
    const { role } = await standing(did);
    return { did, role: role ? serializeRole(role) : null, changed, uri };
  };

  mount(app, routes.members, async (c, { query: { offset, limit } }) => {
    await acting.actor(c, PERMISSION.manageMembers, "see the member list");
    const forumDid = access!.forumDid;
    const params = [recordUri(forumDid, ids.forum, "self"), forumDid];
    const [rows, [total]] = await Promise.all([
      database.values(pageText, [...params, limit, offset]),
      database.values(countText, params),
    ]);
    const dids = rows.map((r) => String(r[0]));
    const [known, joined, granted] = await Promise.all([
      dids.length === 0
        ? []
        : db
            .select({ did: users.did, handle: users.handle, status: users.accountStatus })
            .from(users)
            .where(inArray(users.did, dids)),
      dids.length === 0
        ? []
        : db
            .select({ did: memberships.did, joinedAt: memberships.joinedAt, createdAt: memberships.createdAt })
            .from(memberships)
            .where(and(inArray(memberships.did, dids), eq(memberships.forumUri, params[0]!))),
      dids.length === 0
        ? []
        : db
            .select({ did: roleGrants.rkey })
            .from(roleGrants)
            .where(and(eq(roleGrants.did, forumDid), inArray(roleGrants.rkey, dids))),
    ]);
    const members = await Promise.all(
      dids.map(async (did) => {
        const user = known.find((u) => u.did === did);
        const membership = joined.find((m) => m.did === did);
        const { role } = await standing(did);
        return {
          did,
          handle: user?.status === "active" ? user.handle : null,
          joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
          role: role ? serializeRole(role) : null,
          granted: granted.some((g) => g.did === did),
        };
      }),
    );
    return c.json({ members, total: countCell(total![0]), offset, limit }, 200);
  });

  mount(app, routes.grant, async (c, { params: { did } }) => {
    const actor = await acting.actor(c, PERMISSION.manageRoles, "grant roles");
    const { roleId } = parse(RoleGrantRequest, await jsonBody(c));
    const [role] = await db
      .select({
        id: roles.id,
        rkey: roles.rkey,
        name: roles.name,
        description: roles.description,
        priority: roles.priority,
      })
      .from(roles)
      .where(and(eq(roles.id, roleId), eq(roles.did, access!.forumDid)));
    if (!role) throw notFound(`Role ${roleId}`);
    refuseUnlessOutranks(actor, await standing(did), "change their role");
    if (!mayGrant(actor.role, role))
      throw new ApiError(
        403,
        "outranked",
        `Only a role below your own can be granted: ${roleName(role)} is not below ${roleName(actor.role)}.`,
      );
    const writer = await acting.writer();
    const record = await asForum(() => writer.get(ids.role, role.rkey));
    if (!record)
      throw new ApiError(
        409,
        "conflict",
        `The role ${role.name} is no longer in the forum's repository; nothing was written. Let the AppView catch up and look again.`,
      );
    const { grant, changed } = await asForum(() => forumGrants(writer, database).grant(did, record));
    return c.json(await answer(did, changed, grant.uri), 200);
  });

  mount(app, routes.revoke, async (c, { params: { did } }) => {
    const actor = await acting.actor(c, PERMISSION.manageRoles, "revoke roles");
    refuseUnlessOutranks(actor, await standing(did), "change their role");
    const [indexed] = await db
      .select({ rkey: roleGrants.rkey })
      .from(roleGrants)
      .where(and(eq(roleGrants.did, access!.forumDid), eq(roleGrants.rkey, did)));
    if (!indexed) throw notFound(`A grant of a role to ${did}`);
    const writer = await acting.writer();
    await asForum(() => forumGrants(writer, database).revoke(did));
    return c.json(await answer(did, true, null), 200);
  });

  return app;
}
