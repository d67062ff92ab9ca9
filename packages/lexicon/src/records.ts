// Record types as atBB publishes them: what the lexicon documents in
// ../lexicons define, and all this AppView writes. A test derives the same
// types from the JSON and fails when these differ (test/record-types.test.ts).
// Records as the indexer reads them, older forms included, are in forms.ts.
import type { ModActionToken } from "./collections.ts";

export interface StrongRef {
  $type?: "com.atproto.repo.strongRef";
  uri: string;
  cid: string;
}

export interface ForumRecord {
  $type?: "space.atbb.forum.forum";
  name: string;
  description?: string;
  createdAt?: string;
  /** The role of a member without a grant of their own (this AppView's field, not atBB's). */
  defaultRole?: ForumRoleRef;
}

export interface ForumRoleRef {
  $type?: "space.atbb.forum.forum#roleRef";
  role: StrongRef;
}

export interface CategoryRecord {
  $type?: "space.atbb.forum.category";
  name: string;
  description?: string;
  slug?: string;
  sortOrder?: number;
  createdAt: string;
}

export interface BoardRecord {
  $type?: "space.atbb.forum.board";
  name: string;
  description?: string;
  slug?: string;
  category: BoardCategoryRef;
  sortOrder?: number;
  createdAt: string;
}

export interface BoardCategoryRef {
  $type?: "space.atbb.forum.board#categoryRef";
  category: StrongRef;
}

export interface RoleRecord {
  $type?: "space.atbb.forum.role";
  name: string;
  description?: string;
  permissions: string[];
  /** Lower is more powerful. */
  priority: number;
  createdAt: string;
}

/** The forum's grant of a role to a member, at the record key of the member's DID. */
export interface RoleAssignmentRecord {
  $type?: "space.atbb.forum.roleAssignment";
  did: string;
  role: RoleAssignmentRoleRef;
  createdAt: string;
}

export interface RoleAssignmentRoleRef {
  $type?: "space.atbb.forum.roleAssignment#roleRef";
  role: StrongRef;
}

export interface PostRecord {
  $type?: "space.atbb.post";
  text: string;
  /** Topics only. */
  title?: string;
  forum?: PostForumRef;
  board?: PostBoardRef;
  reply?: PostReplyRef;
  /** Replies only: a post of the same thread, quoted. */
  quote?: PostQuoteRef;
  createdAt: string;
}

export interface PostForumRef {
  $type?: "space.atbb.post#forumRef";
  forum: StrongRef;
}

export interface PostBoardRef {
  $type?: "space.atbb.post#boardRef";
  board: StrongRef;
}

export interface PostReplyRef {
  $type?: "space.atbb.post#replyRef";
  root: StrongRef;
  parent: StrongRef;
}

export interface PostQuoteRef {
  $type?: "space.atbb.post#quoteRef";
  post: StrongRef;
}

export interface MembershipRecord {
  $type?: "space.atbb.membership";
  forum: MembershipForumRef;
  role?: MembershipRoleRef;
  joinedAt?: string;
  createdAt: string;
}

export interface MembershipForumRef {
  $type?: "space.atbb.membership#forumRef";
  forum: StrongRef;
}

export interface MembershipRoleRef {
  $type?: "space.atbb.membership#roleRef";
  role: StrongRef;
}

export interface ModActionRecord {
  $type?: "space.atbb.modAction";
  /** A token of MOD_ACTIONS; other values are valid lexicon but ignored by the indexer. */
  action: ModActionToken | (string & {});
  subject: ModActionSubject;
  reason?: string;
  createdBy?: string;
  expiresAt?: string;
  createdAt: string;
}

export interface ModActionSubject {
  $type?: "space.atbb.modAction#subject";
  did?: string;
  post?: StrongRef;
}

export interface PublishedRecordTypes {
  "space.atbb.forum.forum": ForumRecord;
  "space.atbb.forum.category": CategoryRecord;
  "space.atbb.forum.board": BoardRecord;
  "space.atbb.forum.role": RoleRecord;
  "space.atbb.forum.roleAssignment": RoleAssignmentRecord;
  "space.atbb.post": PostRecord;
  "space.atbb.membership": MembershipRecord;
  "space.atbb.modAction": ModActionRecord;
}
