import { ids, recordUri } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";

export const roleIndexer: CollectionIndexer<typeof ids.role> = {
  collection: ids.role,
  async upsert({ tx, schema, now }, { did, rkey, cid, rev, record }) {
    const { roles, rolePermissions, memberships, roleGrants, forums } = schema;
    const values = {
      cid,
      rev,
      name: record.name,
      description: record.description ?? null,
      priority: record.priority,
      createdAt: new Date(record.createdAt),
      indexedAt: now,
    };
    const [role] = await tx
      .insert(roles)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [roles.did, roles.rkey], set: values })
      .returning({ id: roles.id });
    // The record is the whole truth about the role's permissions: rewrite them.
    await tx.delete(rolePermissions).where(eq(rolePermissions.roleId, role!.id));
    const permissions = [...new Set(record.permissions)];
    if (permissions.length > 0) {
      await tx.insert(rolePermissions).values(permissions.map((permission) => ({ roleId: role!.id, permission })));
    }
    // Grants, the forum's default role and memberships' claims may have named the role before it arrived.
    const uri = recordUri(did, ids.role, rkey);
    await tx.update(roleGrants).set({ roleId: role!.id }).where(eq(roleGrants.roleUri, uri));
    await tx.update(forums).set({ defaultRoleId: role!.id }).where(eq(forums.defaultRoleUri, uri));
    await tx.update(memberships).set({ roleId: role!.id }).where(eq(memberships.roleUri, uri));
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { roles } = schema;
    // role_permissions rows go with it (ON DELETE CASCADE); grants, the forum and memberships keep the uri.
    await tx.delete(roles).where(and(eq(roles.did, did), eq(roles.rkey, rkey)));
  },
};
