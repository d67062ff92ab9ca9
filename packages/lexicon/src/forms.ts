// atBB publishes references wrapped (a post's forum is { forum: strongRef },
// the wrapper carrying its own $type) and moderation actions as tokens
// (space.atbb.modAction.ban). Older writers put bare strongRefs and short verbs
// (ban) in the same fields, and such records are on the network. The indexer
// reads both through the helpers here, counts which forms arrive
// (unpublishedFormsOf), and everything this AppView writes is the published
// form (toPublishedForm).
import { ids, MOD_ACTIONS, modActionToken, type Collection, type ModActionKind } from "./collections.ts";
import type {
  BoardCategoryRef,
  BoardRecord,
  CategoryRecord,
  ForumRecord,
  ForumRoleRef,
  MembershipForumRef,
  MembershipRecord,
  MembershipRoleRef,
  ModActionRecord,
  PostBoardRef,
  PostForumRef,
  PostRecord,
  PublishedRecordTypes,
  RoleAssignmentRecord,
  RoleAssignmentRoleRef,
  RoleRecord,
  StrongRef,
} from "./records.ts";

/** A reference as read: wrapped as atBB publishes it, or the bare strongRef of older writers. */
export type RefAsRead<Wrapped> = Wrapped | StrongRef;

export interface PostAsRead extends Omit<PostRecord, "forum" | "board"> {
  forum?: RefAsRead<PostForumRef>;
  board?: RefAsRead<PostBoardRef>;
}

export interface ForumAsRead extends Omit<ForumRecord, "defaultRole"> {
  defaultRole?: RefAsRead<ForumRoleRef>;
}

export interface BoardAsRead extends Omit<BoardRecord, "category"> {
  category: RefAsRead<BoardCategoryRef>;
}

export interface MembershipAsRead extends Omit<MembershipRecord, "forum" | "role"> {
  forum: RefAsRead<MembershipForumRef>;
  role?: RefAsRead<MembershipRoleRef>;
}

export interface RoleAssignmentAsRead extends Omit<RoleAssignmentRecord, "role"> {
  role: RefAsRead<RoleAssignmentRoleRef>;
}

/** Records as the indexer receives them from validateRecord: in the published form or an older one. */
export interface RecordTypes {
  "space.atbb.forum.forum": ForumAsRead;
  "space.atbb.forum.category": CategoryRecord;
  "space.atbb.forum.board": BoardAsRead;
  "space.atbb.forum.role": RoleRecord;
  "space.atbb.forum.roleAssignment": RoleAssignmentAsRead;
  "space.atbb.post": PostAsRead;
  "space.atbb.membership": MembershipAsRead;
  /** The action may be a token or a short verb: read it with modActionKindOf. */
  "space.atbb.modAction": ModActionRecord;
}

/** Forms atBB does not publish that the indexer still reads, as counted in health. */
export const UNPUBLISHED_FORMS = ["flat_reference", "untyped_reference", "short_action"] as const;
export type UnpublishedForm = (typeof UNPUBLISHED_FORMS)[number];

interface ReferenceField {
  field: string;
  /** The $type of the published wrapper. */
  type: string;
  /** The wrapper holds the strongRef under the field's own name; older writers put the strongRef itself. */
  wraps: boolean;
  /** The name the wrapper holds the strongRef under, when it is not the field's (forum.defaultRole wraps a `role`). */
  key?: string;
}

const referenceFields: Partial<Record<Collection, readonly ReferenceField[]>> = {
  [ids.forum]: [{ field: "defaultRole", key: "role", type: "space.atbb.forum.forum#roleRef", wraps: true }],
  [ids.post]: [
    { field: "forum", type: "space.atbb.post#forumRef", wraps: true },
    { field: "board", type: "space.atbb.post#boardRef", wraps: true },
    { field: "reply", type: "space.atbb.post#replyRef", wraps: false },
  ],
  [ids.board]: [{ field: "category", type: "space.atbb.forum.board#categoryRef", wraps: true }],
  [ids.membership]: [
    { field: "forum", type: "space.atbb.membership#forumRef", wraps: true },
    { field: "role", type: "space.atbb.membership#roleRef", wraps: true },
  ],
  [ids.roleAssignment]: [{ field: "role", type: "space.atbb.forum.roleAssignment#roleRef", wraps: true }],
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const keyOf = ({ field, key }: ReferenceField) => key ?? field;
const isFlat = (value: Json, reference: ReferenceField) => reference.wraps && !(keyOf(reference) in value);
const TOKEN_PREFIX = "space.atbb.modAction.";
const isShortAction = (action: unknown): action is ModActionKind =>
  (MOD_ACTIONS as readonly unknown[]).includes(action);

/** The forms other than the published one that a record uses, each named once. */
export function unpublishedFormsOf(collection: Collection, record: unknown): UnpublishedForm[] {
  if (!isObject(record)) return [];
  const forms = new Set<UnpublishedForm>();
  for (const reference of referenceFields[collection] ?? []) {
    const value = record[reference.field];
    if (!isObject(value)) continue;
    if (isFlat(value, reference)) forms.add("flat_reference");
    else if (value.$type === undefined) forms.add("untyped_reference");
  }
  if (collection === ids.modAction && isShortAction(record.action)) forms.add("short_action");
  return UNPUBLISHED_FORMS.filter((form) => forms.has(form));
}

/** Why a wrapped reference's $type is not its wrapper's, or null. */
export function mistypedReference(collection: Collection, record: unknown): string | null {
  if (!isObject(record)) return null;
  for (const reference of referenceFields[collection] ?? []) {
    const value = record[reference.field];
    if (!isObject(value) || isFlat(value, reference) || value.$type === undefined) continue;
    if (value.$type !== reference.type) return `${reference.field}.$type must be ${reference.type}`;
  }
  return null;
}

/**
 * The record in atBB's published form: bare strongRefs wrapped, wrappers
 * given their $type, short action verbs made tokens. A record already in that
 * form comes back equal. Fields that are not objects are left for the
 * lexicon to reject.
 */
export function toPublishedForm<C extends Collection>(collection: C, record: RecordTypes[C]): PublishedRecordTypes[C] {
  const published: Json = { ...record };
  for (const reference of referenceFields[collection] ?? []) {
    const value = published[reference.field];
    if (!isObject(value)) continue;
    published[reference.field] = {
      $type: reference.type,
      ...(isFlat(value, reference) ? { [keyOf(reference)]: value } : value),
    };
  }
  if (collection === ids.modAction && isShortAction(published.action))
    published.action = modActionToken(published.action);
  return published as unknown as PublishedRecordTypes[C];
}

type Wrapper<K extends string> = { [P in K]: StrongRef };

function unwrap<K extends string>(value: RefAsRead<Wrapper<K>> | undefined, key: K): StrongRef | undefined {
  if (value === undefined) return undefined;
  return key in value ? (value as Wrapper<K>)[key] : (value as StrongRef);
}

/** The forum a post or a membership names, wrapped or flat. */
export function forumRefOf(record: { forum: RefAsRead<Wrapper<"forum">> }): StrongRef;
export function forumRefOf(record: { forum?: RefAsRead<Wrapper<"forum">> }): StrongRef | undefined;
export function forumRefOf(record: { forum?: RefAsRead<Wrapper<"forum">> }): StrongRef | undefined {
  return unwrap(record.forum, "forum");
}

/** A topic's board, wrapped or flat. */
export function boardRefOf(record: { board?: RefAsRead<Wrapper<"board">> }): StrongRef | undefined {
  return unwrap(record.board, "board");
}

/** A board's category, wrapped or flat. */
export function categoryRefOf(record: { category: RefAsRead<Wrapper<"category">> }): StrongRef {
  return unwrap(record.category, "category")!;
}

/** The role a membership claims or a grant gives, wrapped or flat. */
export function roleRefOf(record: { role: RefAsRead<Wrapper<"role">> }): StrongRef;
export function roleRefOf(record: { role?: RefAsRead<Wrapper<"role">> }): StrongRef | undefined;
export function roleRefOf(record: { role?: RefAsRead<Wrapper<"role">> }): StrongRef | undefined {
  return unwrap(record.role, "role");
}

/** The role a forum gives members without a grant of their own, if it names one. */
export function defaultRoleOf(record: { defaultRole?: RefAsRead<Wrapper<"role">> }): StrongRef | undefined {
  return unwrap(record.defaultRole, "role");
}

/** A mod action's kind, from its token or its short verb; null for an action this AppView does not know. */
export function modActionKindOf(record: { action: string }): ModActionKind | null {
  const name = record.action.startsWith(TOKEN_PREFIX) ? record.action.slice(TOKEN_PREFIX.length) : record.action;
  return isShortAction(name) ? name : null;
}
