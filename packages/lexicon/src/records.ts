// Record types, as the lexicon documents in ../lexicons define them.
import type { ModActionKind } from "./collections.ts";

export interface StrongRef {
  uri: string;
  cid: string;
}

export interface ForumRecord {
  name: string;
  description?: string;
  createdAt?: string;
}

export interface CategoryRecord {
  name: string;
  description?: string;
  sortOrder?: number;
  createdAt: string;
}

export interface BoardRecord {
  name: string;
  description?: string;
  category: StrongRef;
  sortOrder?: number;
  createdAt: string;
}

export interface RoleRecord {
  name: string;
  description?: string;
  permissions: string[];
  /** Lower is more powerful. */
  priority: number;
  createdAt: string;
}

export interface PostRecord {
  text: string;
  /** Topics only. */
  title?: string;
  forum?: StrongRef;
  board?: StrongRef;
  reply?: { root: StrongRef; parent: StrongRef };
  createdAt: string;
}

export interface MembershipRecord {
  forum: StrongRef;
  role?: StrongRef;
  joinedAt?: string;
  createdAt: string;
}

export interface ModActionRecord {
  /** One of MOD_ACTIONS; other values are valid lexicon but ignored by the indexer. */
  action: ModActionKind | (string & {});
  subject: { did?: string; post?: StrongRef };
  reason?: string;
  createdBy?: string;
  expiresAt?: string;
  createdAt: string;
}

export interface RecordTypes {
  "space.atbb.forum.forum": ForumRecord;
  "space.atbb.forum.category": CategoryRecord;
  "space.atbb.forum.board": BoardRecord;
  "space.atbb.forum.role": RoleRecord;
  "space.atbb.post": PostRecord;
  "space.atbb.membership": MembershipRecord;
  "space.atbb.modAction": ModActionRecord;
}
