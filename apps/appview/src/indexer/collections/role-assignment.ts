// The forum's grants of roles to members (the rules in events/rules.ts keep
// them to the forum account's records, at the member's DID, for a role of
// this forum). Deleting a grant revokes the role at once.
import { ids, roleRefOf } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { idOf } from "../references.ts";

export const roleAssignmentIndexer: CollectionIndexer<typeof ids.roleAssignment> = {
  collection: ids.roleAssignment,
  async upsert({ tx, schema, now }, { did, rkey, cid, rev, record }) {
    const { roleGrants, roles } = schema;
    const role = roleRefOf(record);
    const values = {
      cid,
      rev,
      memberDid: record.did,
      roleUri: role.uri,
      // The role may arrive after its grant: the role's indexer links it then.
      roleId: idOf(roles, role.uri),
      createdAt: new Date(record.createdAt),
      indexedAt: now,
    };
    await tx
      .insert(roleGrants)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [roleGrants.did, roleGrants.rkey], set: values });
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { roleGrants } = schema;
    await tx.delete(roleGrants).where(and(eq(roleGrants.did, did), eq(roleGrants.rkey, rkey)));
  },
};
