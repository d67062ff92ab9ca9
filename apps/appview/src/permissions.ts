// Who may do what: a member's role (through their membership) and the role's
// permissions. Fail-closed: no membership, no role, or an unknown role means
// no permissions at all. "*" grants everything.
import type { Database, Schema } from "@atbb/db";
import { asc, desc, eq } from "drizzle-orm";

export const WILDCARD = "*";

export interface Role {
  id: number;
  name: string;
  description: string | null;
  /** Lower is more powerful; write paths compare priorities before acting. */
  priority: number;
}

interface Access {
  db: Database;
  schema: Schema;
}

export async function getUserRole({ db, schema }: Access, did: string): Promise<Role | null> {
  const { memberships, roles } = schema;
  const [row] = await db
    .select({ id: roles.id, name: roles.name, description: roles.description, priority: roles.priority })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.did, did))
    .orderBy(desc(memberships.createdAt), desc(memberships.id))
    .limit(1);
  return row ?? null;
}

export async function getRolePermissions({ db, schema }: Access, roleId: number): Promise<string[]> {
  const { rolePermissions } = schema;
  const rows = await db
    .select({ permission: rolePermissions.permission })
    .from(rolePermissions)
    .where(eq(rolePermissions.roleId, roleId))
    .orderBy(asc(rolePermissions.permission));
  return rows.map((r) => r.permission);
}

export async function checkPermission(access: Access, did: string, permission: string): Promise<boolean> {
  const role = await getUserRole(access, did);
  if (!role) return false;
  const granted = await getRolePermissions(access, role.id);
  return granted.includes(WILDCARD) || granted.includes(permission);
}
