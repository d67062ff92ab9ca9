// What the administration pages need from the AppView, in the pages' own
// words: what a member may administer (to show only the sections that will
// work), the structure, members, roles, moderation log and backfill as the
// API reads them, and the administrators' actions. The actions check the
// permission, the hierarchy and the input again.

/** What the member logged in may administer, as GET /api/auth/session's capabilities say. */
export interface AdminCapabilities {
  canManageCategories: boolean;
  canManageMembers: boolean;
  canManageRoles: boolean;
}

/** A category or a board as an administrator edits it. */
export interface AdminPlace {
  id: string;
  name: string;
  description: string | null;
  /** Lower first; null sorts last, then by name. */
  sortOrder: number | null;
}

export interface AdminCategory extends AdminPlace {
  boards: (AdminPlace & { topicCount: number })[];
}

/** What a category or board form sends: the description empty or a sort order absent removes it. */
export interface PlaceInput {
  name: string;
  description: string;
  sortOrder: number | null;
}

export interface AdminRole {
  id: string;
  name: string;
  priority: number;
}

export interface AdminMember {
  did: string;
  handle: string | null;
  joinedAt: string | null;
  role: AdminRole | null;
  /** Whether the role is their own grant (else the forum's default). */
  granted: boolean;
}

export interface ModLogEntry {
  id: string;
  action: string;
  subject: { did: string } | { postUri: string | null };
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
}

export interface BackfillView {
  status: string;
  done: number;
  running: number;
  failed: number;
  unfinished: { did: string; collection: string; status: string; recordsIndexed: number; updatedAt: string | null }[];
  errors: {
    id: string;
    did: string;
    collection: string | null;
    uri: string | null;
    error: string;
    createdAt: string | null;
  }[];
  /** Errors in all. */
  total: number;
}

/** A refusal as an administrator reads it: the API's status and message, and the form's field it is about. */
export interface AdminRefusal {
  ok: false;
  status: number;
  message: string;
  field: keyof PlaceInput | null;
}

export type AdminOutcome<T = object> = ({ ok: true } & T) | AdminRefusal;

export interface AdminActions {
  capabilities(did: string): Promise<AdminCapabilities>;
  /** Every category with its boards, in the forum's order. */
  structure(): Promise<AdminCategory[]>;
  addCategory(did: string, place: PlaceInput): Promise<AdminOutcome>;
  editCategory(did: string, id: number, place: PlaceInput): Promise<AdminOutcome>;
  /** Refused while the category holds boards: the pages never cascade. */
  removeCategory(did: string, id: number): Promise<AdminOutcome>;
  addBoard(did: string, categoryId: number, place: PlaceInput): Promise<AdminOutcome>;
  editBoard(did: string, id: number, place: PlaceInput): Promise<AdminOutcome>;
  /** Refused while the board holds topics: the pages never cascade. */
  removeBoard(did: string, id: number): Promise<AdminOutcome>;
  members(did: string, offset: number, limit: number): Promise<AdminOutcome<{ members: AdminMember[]; total: number }>>;
  /** The forum's roles, most powerful first. */
  roles(): Promise<AdminRole[]>;
  grant(did: string, member: string, roleId: number): Promise<AdminOutcome>;
  revoke(did: string, member: string): Promise<AdminOutcome>;
  modLog(offset: number, limit: number): Promise<{ entries: ModLogEntry[]; total: number }>;
  backfill(did: string, offset: number, limit: number): Promise<AdminOutcome<BackfillView>>;
}
