/** The space.atbb.* collections the AppView indexes. */
export const ids = {
  forum: "space.atbb.forum.forum",
  category: "space.atbb.forum.category",
  board: "space.atbb.forum.board",
  role: "space.atbb.forum.role",
  roleAssignment: "space.atbb.forum.roleAssignment",
  post: "space.atbb.post",
  membership: "space.atbb.membership",
  modAction: "space.atbb.modAction",
} as const;

export type Collection = (typeof ids)[keyof typeof ids];

export const collections: readonly Collection[] = Object.values(ids);

/**
 * Forum structure and moderation live in the forum account's repository and
 * count only from there; anyone else's copy is a spoof.
 */
export const forumOwnedCollections: ReadonlySet<Collection> = new Set([
  ids.forum,
  ids.category,
  ids.board,
  ids.role,
  ids.roleAssignment,
  ids.modAction,
]);

export function isCollection(value: string): value is Collection {
  return (collections as readonly string[]).includes(value);
}

/**
 * What a record key must be: the forum record is a singleton, a role grant
 * sits at the member's DID (its lexicon says `any` and documents the DID),
 * everything else is keyed by TID.
 */
export const recordKeyType: Record<Collection, "literal:self" | "did" | "tid"> = {
  [ids.forum]: "literal:self",
  [ids.category]: "tid",
  [ids.board]: "tid",
  [ids.role]: "tid",
  [ids.roleAssignment]: "did",
  [ids.post]: "tid",
  [ids.membership]: "tid",
  [ids.modAction]: "tid",
};

/** Moderation actions by their short name; a record names one by its token, modActionToken(kind). */
export const MOD_ACTIONS = ["ban", "unban", "lock", "unlock", "delete", "undelete", "pin", "unpin"] as const;
export type ModActionKind = (typeof MOD_ACTIONS)[number];
export type ModActionToken = `space.atbb.modAction.${ModActionKind}`;

export const modActionToken = (kind: ModActionKind): ModActionToken => `space.atbb.modAction.${kind}`;
