// The forum's grants of roles to members (space.atbb.forum.roleAssignment at
// the member's DID), for the operator's `atbb role` and the administrators'
// routes alike. A grant replaces the member's earlier one; revoking deletes
// it, and the member falls back to the forum's default role at once. Edits
// and deletes swap against the grant this AppView indexed: one changed in the
// repository since is a conflict, never overwritten.
import type { DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { ForumWriter, StoredRecord } from "../forum-agent/writer.ts";
import { isoNow, refOf, StructureRefusal } from "./places.ts";

export type RoleRecord = StoredRecord<typeof ids.role>;
export type GrantRecord = StoredRecord<typeof ids.roleAssignment>;

export function forumGrants(writer: ForumWriter, database: DatabaseHandle) {
  /** What this AppView has indexed is what the caller saw: swap against it. */
  const swapOf = async (did: string, cid: string) => {
    const { roleGrants } = database.schema;
    const [row] = await database.db
      .select({ cid: roleGrants.cid })
      .from(roleGrants)
      .where(and(eq(roleGrants.did, writer.forumDid), eq(roleGrants.rkey, did)));
    return row?.cid ?? cid;
  };

  return {
    /** The member's grant as the forum's repository holds it, or null. */
    grantOf: (did: string): Promise<GrantRecord | null> => writer.get(ids.roleAssignment, did),

    /**
     * Gives `did` the role; `changed: false` (nothing written) when they hold it already. A member holds one
     * grant, so a new one takes the place of the old: `replaced` is the role URI it took away, if any.
     */
    async grant(
      did: string,
      role: RoleRecord,
    ): Promise<{ grant: GrantRecord; changed: boolean; replaced: string | null }> {
      const existing = await writer.get(ids.roleAssignment, did);
      if (existing?.value.role.role.uri === role.uri) return { grant: existing, changed: false, replaced: null };
      const record = {
        did,
        role: { $type: "space.atbb.forum.roleAssignment#roleRef" as const, role: refOf(role) },
        createdAt: isoNow(),
      };
      const grant = existing
        ? await writer.update(ids.roleAssignment, did, record, await swapOf(did, existing.cid))
        : await writer.create(ids.roleAssignment, record, did);
      return { grant, changed: true, replaced: existing?.value.role.role.uri ?? null };
    },

    /** Takes the member's grant away (only if it is `roleUri`, when given). */
    async revoke(did: string, roleUri?: string): Promise<GrantRecord> {
      const existing = await writer.get(ids.roleAssignment, did);
      if (!existing) throw new StructureRefusal("not_found", `${did} holds no role by grant; nothing to revoke`);
      if (roleUri !== undefined && existing.value.role.role.uri !== roleUri) {
        throw new StructureRefusal(
          "not_found",
          `${did} holds another role (${existing.value.role.role.uri}), not ${roleUri}; nothing revoked`,
        );
      }
      await writer.remove(ids.roleAssignment, did, await swapOf(did, existing.cid));
      return existing;
    },
  };
}
