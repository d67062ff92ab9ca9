// The forum's grants of roles to members. Validated and counted like every
// record, but not stored yet: a member's role still comes from their
// membership until grants are indexed (docs/indexer.md, "Known limits").
import { ids } from "@atbb/lexicon";
import type { CollectionIndexer } from "../context.ts";

export const roleAssignmentIndexer: CollectionIndexer<typeof ids.roleAssignment> = {
  collection: ids.roleAssignment,
  async upsert() {},
  async remove() {},
};
