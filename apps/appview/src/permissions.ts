// Who may do what, from the forum's own records only: a member's role is the
// one the forum's grant (space.atbb.forum.roleAssignment) gives them; without
// a grant, a member (someone with a membership) holds the forum's default
// role, if the forum names one; anyone else is a guest. A role a member names
// in their own membership record is a claim, and never counts. Fail-closed: a
// grant whose role is gone, or an unknown role, means no permissions at all.
// "*" grants everything.
import type { Database, Schema } from "@atbb/db";
import { ids, recordUri } from "@atbb/lexicon";
import { and, asc, eq } from "drizzle-orm";
import { Refusal } from "./writing/refusal.ts";

export const WILDCARD = "*";

/** atBB's permission names, as roles list them. */
export const PERMISSION = {
  createTopics: "space.atbb.permission.createTopics",
  createPosts: "space.atbb.permission.createPosts",
  moderatePosts: "space.atbb.permission.moderatePosts",
  banUsers: "space.atbb.permission.banUsers",
  pinTopics: "space.atbb.permission.pinTopics",
  lockTopics: "space.atbb.permission.lockTopics",
  manageCategories: "space.atbb.permission.manageCategories",
  manageRoles: "space.atbb.permission.manageRoles",
  manageMembers: "space.atbb.permission.manageMembers",
  manageForum: "space.atbb.permission.manageForum",
} as const;
export type Permission = (typeof PERMISSION)[keyof typeof PERMISSION];

export interface Role {
  id: number;
  name: string;
  description: string | null;
  /** Lower is more powerful; write paths compare priorities before acting. */
  priority: number;
}

export interface Access {
  db: Database;
  schema: Schema;
  /** The forum account: only its grants and its forum record count. Null: nobody holds a role. */
  forumDid: string | null;
}

export async function getUserRole({ db, schema, forumDid }: Access, did: string): Promise<Role | null> {
  if (forumDid === null) return null;
  const { roleGrants, roles, forums, memberships } = schema;
  const roleColumns = { id: roles.id, name: roles.name, description: roles.description, priority: roles.priority };
  const [grant] = await db
    .select({ role: roleColumns })
    .from(roleGrants)
    .leftJoin(roles, eq(roles.id, roleGrants.roleId))
    .where(and(eq(roleGrants.did, forumDid), eq(roleGrants.rkey, did)));
  if (grant) return grant.role;
  const [membership] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.did, did), eq(memberships.forumUri, recordUri(forumDid, ids.forum, "self"))))
    .limit(1);
  if (!membership) return null;
  const [forum] = await db
    .select(roleColumns)
    .from(forums)
    .innerJoin(roles, eq(roles.id, forums.defaultRoleId))
    .where(and(eq(forums.did, forumDid), eq(forums.rkey, "self")));
  return forum ?? null;
}

export async function getRolePermissions(
  { db, schema }: Pick<Access, "db" | "schema">,
  roleId: number,
): Promise<string[]> {
  const { rolePermissions } = schema;
  const rows = await db
    .select({ permission: rolePermissions.permission })
    .from(rolePermissions)
    .where(eq(rolePermissions.roleId, roleId))
    .orderBy(asc(rolePermissions.permission));
  return rows.map((r) => r.permission);
}

/** A member's place in the forum: their role (null: a guest) and what it permits. */
export interface Standing {
  did: string;
  role: Role | null;
  permissions: string[];
}

export async function standingOf(access: Access, did: string): Promise<Standing> {
  const role = await getUserRole(access, did);
  return { did, role, permissions: role ? await getRolePermissions(access, role.id) : [] };
}

export function permits(standing: Pick<Standing, "permissions">, permission: string): boolean {
  return standing.permissions.includes(WILDCARD) || standing.permissions.includes(permission);
}

export async function checkPermission(access: Access, did: string, permission: string): Promise<boolean> {
  return permits(await standingOf(access, did), permission);
}

/**
 * The hierarchy: a role acts only on those below it (a higher priority number,
 * or no role at all). Nobody acts on an equal or a higher role, themselves
 * included, and a guest acts on nobody.
 */
export function outranks(actor: Role | null, target: Role | null): boolean {
  if (actor === null) return false;
  return target === null || actor.priority < target.priority;
}

export const roleName = (role: Role | null) => (role ? `${role.name} (priority ${role.priority})` : "no role");

/**
 * The one check of an acting member's permission, for every route and
 * service that acts for the forum: a 403 refusal unless their role permits
 * one of `permission`. `what` says what they tried, in words.
 */
export function refuseUnlessPermitted(actor: Standing, permission: Permission | Permission[], what: string): void {
  const needed = Array.isArray(permission) ? permission : [permission];
  if (needed.some((p) => permits(actor, p))) return;
  const role = actor.role ? `your role (${actor.role.name})` : "you hold no role here, and";
  throw new Refusal(
    403,
    "no_permission",
    `You cannot ${what}: ${role} does not permit it (it needs ${needed.join(" or ")}).`,
  );
}

/** The hierarchy, as a 403 refusal unless the actor's role is above the target's (nobody acts on an equal or higher role). */
export function refuseUnlessOutranks(actor: Standing, target: Pick<Standing, "did" | "role">, what: string): void {
  if (outranks(actor.role, target.role)) return;
  throw new Refusal(
    403,
    "outranked",
    target.did === actor.did
      ? `You cannot ${what}: nobody acts on their own role or their own posts.`
      : `${target.did} holds ${roleName(target.role)}, equal to or above yours (${roleName(actor.role)}): you cannot ${what}.`,
  );
}

/** Whether `actor` may give (or take away) `role`: only a role strictly below their own. */
export function mayGrant(actor: Role | null, role: Pick<Role, "priority">): boolean {
  return actor !== null && actor.priority < role.priority;
}

/**
 * What a member may do, for a client to show only the buttons that will
 * work: each from `permits`, and writing also needs no ban in force.
 * The route itself still checks everything (the hierarchy too, per target).
 */
export function capabilitiesOf(standing: Pick<Standing, "permissions">, { banned }: { banned: boolean }) {
  const may = (permission: Permission) => permits(standing, permission);
  const moderation = {
    canHidePosts: may(PERMISSION.moderatePosts),
    canBan: may(PERMISSION.banUsers),
    canLock: may(PERMISSION.lockTopics),
    canPin: may(PERMISSION.pinTopics),
  };
  return {
    canCreateTopics: !banned && may(PERMISSION.createTopics),
    canReply: !banned && may(PERMISSION.createPosts),
    canModerate: Object.values(moderation).some(Boolean),
    ...moderation,
    canManageCategories: may(PERMISSION.manageCategories),
    canManageRoles: may(PERMISSION.manageRoles),
    canManageMembers: may(PERMISSION.manageMembers),
    canManageForum: may(PERMISSION.manageForum),
  };
}
export type Capabilities = ReturnType<typeof capabilitiesOf>;
