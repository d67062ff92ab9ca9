// The forum's grants of roles to members. Validated and counted like every
// record, but not stored yet: a member's role still comes from their
// membership until grants are indexed (docs/indexer.md, "Known limits").
import { ids, roleRefOf } from "@atbb/lexicon";
import type { CollectionIndexer } from "../context.ts";
import { checkReference } from "../references.ts";

export const roleAssignmentIndexer: CollectionIndexer<typeof ids.roleAssignment> = {
  collection: ids.roleAssignment,
  check: (record, { forumDid }) => checkReference(roleRefOf(record).uri, ids.role, forumDid, "roleAssignment.role"),
  async upsert() {},
  async remove() {},
};
