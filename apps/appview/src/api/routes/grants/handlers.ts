import type { DatabaseHandle } from "@atbb/db";
import type { MemberAccess } from "../../../login/access.ts";
import { PERMISSION } from "../../../permissions.ts";
import { forumActing, type ForumWriterSource } from "../../acting.ts";
import { administration, type Administration } from "../../administration.ts";
import { RoleGrantRequest } from "../../bodies/administration.ts";
import { mount, resource } from "../../resource.ts";
import { jsonBody, parse } from "../../validation.ts";
import * as routes from "./routes.ts";

export function grantRoutes(database: DatabaseHandle, access: MemberAccess | null, forumWriter: ForumWriterSource) {
  const app = resource();
  const acting = forumActing(database, access, forumWriter);
  // Bound at the first request: a route is only reached past acting.actor, so with members (and a forum DID).
  let bound: Administration | undefined;
  const admin = () => (bound ??= administration(database, access!.forumDid, forumWriter, "cascade=true"));

  mount(app, routes.members, async (c, { query: { offset, limit } }) => {
    const actor = await acting.actor(c, PERMISSION.manageMembers, "see the member list");
    return c.json({ ...(await admin().members(actor, offset, limit)), offset, limit }, 200);
  });

  mount(app, routes.grant, async (c, { params: { did } }) => {
    const actor = await acting.actor(c, PERMISSION.manageRoles, "grant roles");
    const { roleId } = parse(RoleGrantRequest, await jsonBody(c));
    return c.json(await admin().grant(actor, did, roleId), 200);
  });

  mount(app, routes.revoke, async (c, { params: { did } }) => {
    const actor = await acting.actor(c, PERMISSION.manageRoles, "revoke roles");
    return c.json(await admin().revoke(actor, did), 200);
  });

  return app;
}
