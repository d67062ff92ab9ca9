// The one place collections are registered. Adding a collection is adding a
// module of the CollectionIndexer shape and a line here.
import { ids, type Collection } from "@atbb/lexicon";
import type { CollectionIndexer } from "../context.ts";
import { boardIndexer } from "./board.ts";
import { categoryIndexer } from "./category.ts";
import { forumIndexer } from "./forum.ts";
import { membershipIndexer } from "./membership.ts";
import { modActionIndexer } from "./mod-action.ts";
import { postIndexer } from "./post.ts";
import { roleAssignmentIndexer } from "./role-assignment.ts";
import { roleIndexer } from "./role.ts";

export const collectionIndexers: { [C in Collection]: CollectionIndexer<C> } = {
  [ids.forum]: forumIndexer,
  [ids.category]: categoryIndexer,
  [ids.board]: boardIndexer,
  [ids.role]: roleIndexer,
  [ids.roleAssignment]: roleAssignmentIndexer,
  [ids.post]: postIndexer,
  [ids.membership]: membershipIndexer,
  [ids.modAction]: modActionIndexer,
};
