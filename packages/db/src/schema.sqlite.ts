// The logical schema, SQLite dialect: a mirror of schema.ts, table by table,
// column by column, index by index. Change both together; the parity test
// (test/schema-parity.test.ts) fails on any drift.
//
// Dialect traps handled here:
// - timestamps are integer milliseconds (`timestamp_ms`), not seconds, so Dates
//   round-trip with the same precision as PostgreSQL's timestamptz(3);
// - ids use AUTOINCREMENT so a deleted id is never handed out again, as with
//   PostgreSQL sequences;
// - booleans are integers in `boolean` mode.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";

const id = () => integer("id").primaryKey({ autoIncrement: true });
const ms = (name: string) => integer(name, { mode: "timestamp_ms" });
const idRef = (name: string) => integer(name);
const boolean = (name: string) => integer(name, { mode: "boolean" });

const recordColumns = () => ({
  did: text("did").notNull(),
  rkey: text("rkey").notNull(),
  cid: text("cid").notNull(),
  // The repository revision (a TID, ordered by time) of the commit that made
  // the version this row holds; null when the source could not say. A version
  // older than the one held never replaces it: a late echo of a record's
  // first version must not undo an edit already applied.
  rev: text("rev"),
  indexedAt: ms("indexed_at").notNull(),
});

export const forums = sqliteTable(
  "forums",
  {
    id: id(),
    ...recordColumns(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: ms("created_at").notNull(),
    // The role of members without a grant; the URI is kept so a role that arrives later is linked then.
    defaultRoleUri: text("default_role_uri"),
    defaultRoleId: idRef("default_role_id").references((): AnySQLiteColumn => roles.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("forums_did_rkey_idx").on(t.did, t.rkey)],
);

export const categories = sqliteTable(
  "categories",
  {
    id: id(),
    ...recordColumns(),
    forumId: idRef("forum_id").references(() => forums.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    sortOrder: integer("sort_order"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("categories_did_rkey_idx").on(t.did, t.rkey),
    index("categories_sort_idx").on(t.sortOrder, t.name),
  ],
);

export const boards = sqliteTable(
  "boards",
  {
    id: id(),
    ...recordColumns(),
    categoryUri: text("category_uri").notNull(),
    categoryId: idRef("category_id").references(() => categories.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    sortOrder: integer("sort_order"),
    createdAt: ms("created_at").notNull(),
    // Kept by the indexer (indexer/aggregates.ts): a board page's total without counting.
    topicCount: integer("topic_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("boards_did_rkey_idx").on(t.did, t.rkey),
    index("boards_category_idx").on(t.categoryId),
    index("boards_category_uri_idx").on(t.categoryUri),
  ],
);

export const users = sqliteTable(
  "users",
  {
    did: text("did").primaryKey(),
    handle: text("handle"),
    accountStatus: text("account_status").notNull().default("active"),
    banExpiresAt: ms("ban_expires_at"),
    handleRecheckAt: ms("handle_recheck_at"),
    firstSeenAt: ms("first_seen_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("users_handle_idx").on(t.handle), index("users_handle_recheck_at_idx").on(t.handleRecheckAt)],
);

export const roles = sqliteTable(
  "roles",
  {
    id: id(),
    ...recordColumns(),
    name: text("name").notNull(),
    description: text("description"),
    priority: integer("priority").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("roles_did_rkey_idx").on(t.did, t.rkey)],
);

export const rolePermissions = sqliteTable(
  "role_permissions",
  {
    roleId: idRef("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    permission: text("permission").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.permission] })],
);

/**
 * The forum's grants of roles (space.atbb.forum.roleAssignment): did is the
 * forum account, rkey the member's DID. A member's role is their grant's,
 * never the one their own membership record names.
 */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: id(),
    ...recordColumns(),
    memberDid: text("member_did").notNull(),
    roleUri: text("role_uri").notNull(),
    roleId: idRef("role_id").references(() => roles.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("role_grants_did_rkey_idx").on(t.did, t.rkey), index("role_grants_role_uri_idx").on(t.roleUri)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    id: id(),
    ...recordColumns(),
    forumUri: text("forum_uri").notNull(),
    forumId: idRef("forum_id").references(() => forums.id, { onDelete: "set null" }),
    roleUri: text("role_uri"),
    roleId: idRef("role_id").references(() => roles.id, { onDelete: "set null" }),
    joinedAt: ms("joined_at"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("memberships_did_rkey_idx").on(t.did, t.rkey),
    index("memberships_did_idx").on(t.did),
    index("memberships_role_uri_idx").on(t.roleUri),
    index("memberships_forum_uri_idx").on(t.forumUri),
  ],
);

export const posts = sqliteTable(
  "posts",
  {
    id: id(),
    ...recordColumns(),
    title: text("title"),
    text: text("text").notNull(),
    forumUri: text("forum_uri"),
    boardUri: text("board_uri"),
    boardId: idRef("board_id").references(() => boards.id, { onDelete: "set null" }),
    rootUri: text("root_uri"),
    rootId: idRef("root_id").references((): AnySQLiteColumn => posts.id, { onDelete: "set null" }),
    parentUri: text("parent_uri"),
    parentId: idRef("parent_id").references((): AnySQLiteColumn => posts.id, {
      onDelete: "set null",
    }),
    // Replies: the post quoted, as the record names it (readers show it only when it is of the same thread).
    quoteUri: text("quote_uri"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at"),
    seenAt: ms("seen_at"),
    postedAt: ms("posted_at"),
    deletedByUser: boolean("deleted_by_user").notNull().default(false),
    bannedByMod: boolean("banned_by_mod").notNull().default(false),
    deletedByMod: boolean("deleted_by_mod").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    // Topics: a moderator's pin (space.atbb.modAction.pin) holds it above the board's other topics.
    pinned: boolean("pinned").notNull().default(false),
    lockedAt: ms("locked_at"),
    deletedAt: ms("deleted_at"),
    replyCount: integer("reply_count").notNull().default(0),
    replyTotal: integer("reply_total").notNull().default(0),
    lastReplyAt: ms("last_reply_at"),
    lastActivityAt: ms("last_activity_at"),
  },
  (t) => [
    uniqueIndex("posts_did_rkey_idx").on(t.did, t.rkey),
    index("posts_board_topics_idx").on(t.boardId, t.pinned, t.lastActivityAt, t.id).where(sql`root_uri is null`),
    index("posts_root_posted_idx").on(t.rootId, t.postedAt, t.id),
    // Replies still waiting for their root or parent to arrive, by the uri
    // they wait for: nearly empty, so cheap to keep up on every insert and to
    // probe for each run of posts (indexer/collections/post.ts). Topics' NULL
    // uris stay out: with them in, SQLite's ANALYZE statistics made "root_uri
    // is null" look selective and sent the board listing through here.
    index("posts_waiting_root_idx").on(t.rootUri).where(sql`root_id is null and root_uri is not null`),
    index("posts_waiting_parent_idx").on(t.parentUri).where(sql`parent_id is null and parent_uri is not null`),
    index("posts_did_created_idx").on(t.did, t.createdAt),
  ],
);

export const modActions = sqliteTable(
  "mod_actions",
  {
    id: id(),
    ...recordColumns(),
    action: text("action").notNull(),
    subjectDid: text("subject_did"),
    subjectPostUri: text("subject_post_uri"),
    reason: text("reason"),
    createdBy: text("created_by"),
    expiresAt: ms("expires_at"),
    createdAt: ms("created_at").notNull(),
    seenAt: ms("seen_at"),
  },
  (t) => [
    uniqueIndex("mod_actions_did_rkey_idx").on(t.did, t.rkey),
    index("mod_actions_subject_did_idx").on(t.subjectDid),
    index("mod_actions_subject_post_uri_idx").on(t.subjectPostUri),
    index("mod_actions_created_idx").on(t.createdAt, t.id),
  ],
);

export const firehoseCursor = sqliteTable("firehose_cursor", {
  service: text("service").primaryKey(),
  cursor: integer("cursor").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const backfillProgress = sqliteTable(
  "backfill_progress",
  {
    did: text("did").notNull(),
    collection: text("collection").notNull(),
    cursor: text("cursor"),
    status: text("status").notNull().default("pending"),
    recordsIndexed: integer("records_indexed").notNull().default(0),
    startedAt: ms("started_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    completedAt: ms("completed_at"),
  },
  (t) => [primaryKey({ columns: [t.did, t.collection] })],
);

export const backfillErrors = sqliteTable(
  "backfill_errors",
  {
    id: id(),
    did: text("did").notNull(),
    collection: text("collection"),
    uri: text("uri"),
    error: text("error").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("backfill_errors_did_idx").on(t.did)],
);

export const oauthStates = sqliteTable(
  "oauth_states",
  {
    key: text("key").primaryKey(),
    value: text("value").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("oauth_states_created_idx").on(t.createdAt)],
);

export const oauthSessions = sqliteTable("oauth_sessions", {
  did: text("did").primaryKey(),
  value: text("value").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const memberSessions = sqliteTable(
  "member_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    did: text("did").notNull(),
    scope: text("scope").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("member_sessions_did_idx").on(t.did), index("member_sessions_expires_idx").on(t.expiresAt)],
);

export const reports = sqliteTable(
  "reports",
  {
    id: id(),
    reporterDid: text("reporter_did").notNull(),
    postDid: text("post_did").notNull(),
    postRkey: text("post_rkey").notNull(),
    postCid: text("post_cid").notNull(),
    reason: text("reason").notNull(),
    text: text("text").notNull(),
    createdAt: ms("created_at").notNull(),
    resolution: text("resolution"),
    resolvedBy: text("resolved_by"),
    resolvedAt: ms("resolved_at"),
    modActionUri: text("mod_action_uri"),
  },
  (t) => [
    index("reports_queue_idx").on(t.resolvedAt, t.createdAt, t.id),
    index("reports_reporter_idx").on(t.reporterDid, t.createdAt),
    index("reports_post_idx").on(t.postDid, t.postRkey),
  ],
);

export const topicReads = sqliteTable(
  "topic_reads",
  {
    did: text("did").notNull(),
    topicId: idRef("topic_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    readUntil: ms("read_until").notNull(),
  },
  (t) => [primaryKey({ columns: [t.did, t.topicId] })],
);
