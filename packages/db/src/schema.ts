// The logical schema, PostgreSQL dialect: the source of truth.
// schema.sqlite.ts mirrors it table by table, column by column, index by index;
// test/schema-parity.test.ts proves the two migrated databases match.
//
// Types are chosen so both dialects hand back the same JS values:
// ids are numbers (bigserial mode "number" ↔ SQLite integer), timestamps are
// millisecond Dates (timestamptz(3) ↔ integer timestamp_ms), flags are booleans.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ms = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: "date" });
const idRef = (name: string) => bigint(name, { mode: "number" });
/** PostgreSQL's parsed document for full-text search; drizzle has no built-in type for it. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Every record row carries where it came from: repo, record key, content hash. */
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

export const forums = pgTable(
  "forums",
  {
    id: id(),
    ...recordColumns(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: ms("created_at").notNull(),
    // The role of members without a grant; the URI is kept so a role that arrives later is linked then.
    defaultRoleUri: text("default_role_uri"),
    defaultRoleId: idRef("default_role_id").references((): AnyPgColumn => roles.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("forums_did_rkey_idx").on(t.did, t.rkey)],
);

export const categories = pgTable(
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

export const boards = pgTable(
  "boards",
  {
    id: id(),
    ...recordColumns(),
    // The URI is kept so a board that arrives before its category is linked later.
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

export const users = pgTable(
  "users",
  {
    did: text("did").primaryKey(),
    handle: text("handle"),
    /** Jetstream `account` status: active, deactivated, takendown, deleted, suspended… */
    accountStatus: text("account_status").notNull().default("active"),
    /** When the author's current ban ends (NULL: permanent or not banned); reads compare it to now. */
    banExpiresAt: ms("ban_expires_at"),
    /**
     * When the handle is next verified against the DID document and back (NULL:
     * as soon as possible — a new user, or an identity event said it changed).
     */
    handleRecheckAt: ms("handle_recheck_at"),
    firstSeenAt: ms("first_seen_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("users_handle_idx").on(t.handle), index("users_handle_recheck_at_idx").on(t.handleRecheckAt)],
);

export const roles = pgTable(
  "roles",
  {
    id: id(),
    ...recordColumns(),
    name: text("name").notNull(),
    description: text("description"),
    /** Lower is more powerful; write paths compare priorities before acting. */
    priority: integer("priority").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("roles_did_rkey_idx").on(t.did, t.rkey)],
);

export const rolePermissions = pgTable(
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
export const roleGrants = pgTable(
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

export const memberships = pgTable(
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

/** One model for topics and replies: root_uri NULL means a topic. */
export const posts = pgTable(
  "posts",
  {
    id: id(),
    ...recordColumns(),
    title: text("title"),
    text: text("text").notNull(),
    forumUri: text("forum_uri"),
    boardUri: text("board_uri"),
    boardId: idRef("board_id").references(() => boards.id, { onDelete: "set null" }),
    // URIs are what the record says; ids are filled in once the target is indexed
    // (a reply may arrive before its parent).
    rootUri: text("root_uri"),
    rootId: idRef("root_id").references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    parentUri: text("parent_uri"),
    parentId: idRef("parent_id").references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    // Replies: the post quoted, as the record names it (readers show it only when it is of the same thread).
    quoteUri: text("quote_uri"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at"),
    // When the network saw the version of the post this row holds: its
    // event's time (a replay or re-listing of the same version keeps the
    // earliest), for a record found by backfill the earlier of its claimed
    // date and the backfill's time. created_at is the author's claim: shown,
    // never trusted alone to order anything.
    seenAt: ms("seen_at"),
    /** When the post counts as written, for every order: the earlier of created_at and seen_at. */
    postedAt: ms("posted_at"),
    deletedByUser: boolean("deleted_by_user").notNull().default(false),
    bannedByMod: boolean("banned_by_mod").notNull().default(false),
    deletedByMod: boolean("deleted_by_mod").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    // Topics: a moderator's pin (space.atbb.modAction.pin) holds it above the board's other topics.
    pinned: boolean("pinned").notNull().default(false),
    // Topics: when the network saw the lock in effect (null when not locked)
    // and the author's delete; replies seen after either are hidden.
    lockedAt: ms("locked_at"),
    deletedAt: ms("deleted_at"),
    // Topic-only aggregates, kept exact by the indexer in the reply's transaction.
    replyCount: integer("reply_count").notNull().default(0),
    // Every reply, hidden ones included: a topic page's total (reply_count counts only visible ones).
    replyTotal: integer("reply_total").notNull().default(0),
    lastReplyAt: ms("last_reply_at"),
    /** max(created_at, last_reply_at) for topics: the board listing's sort key. */
    lastActivityAt: ms("last_activity_at"),
    // The words of title and text for search (api/search/), stored so the
    // match's recheck and ts_rank read them instead of parsing the text again
    // for every post found. PostgreSQL only: SQLite's FTS5 table holds its own.
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(title, '') || ' ' || text)`,
    ),
  },
  (t) => [
    uniqueIndex("posts_did_rkey_idx").on(t.did, t.rkey),
    // "Topics of a board, pinned first, by last activity" is a backward scan of this partial
    // index (ascending so both dialects declare it the same way).
    index("posts_board_topics_idx").on(t.boardId, t.pinned, t.lastActivityAt, t.id).where(sql`root_uri is null`),
    // A topic page is a range of this index.
    index("posts_root_posted_idx").on(t.rootId, t.postedAt, t.id),
    // Replies still waiting for their root or parent to arrive, by the uri
    // they wait for: nearly empty, so cheap to keep up on every insert and to
    // probe for each run of posts (indexer/collections/post.ts). Topics' NULL
    // uris stay out: with them in, SQLite's ANALYZE statistics made "root_uri
    // is null" look selective and sent the board listing through here.
    index("posts_waiting_root_idx").on(t.rootUri).where(sql`root_id is null and root_uri is not null`),
    index("posts_waiting_parent_idx").on(t.parentUri).where(sql`parent_id is null and parent_uri is not null`),
    index("posts_did_created_idx").on(t.did, t.createdAt),
    // Full-text search (api/search/): each engine's own. Here a GIN index over
    // the stored words of title and text; an edit or delete changes it in the
    // row's own transaction. The 'simple' configuration (lower-cased words, no
    // stemming, no stop words) matches SQLite's FTS5 unicode61 tokenizer, so both
    // dialects find the same posts (docs/search.md). SQLite keeps its FTS5
    // table in step with triggers (migration drizzle-sqlite/*_posts_search.sql).
    index("posts_search_idx").using("gin", t.searchVector),
  ],
);

export const modActions = pgTable(
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
    /** When the network saw the action (as posts.seen_at): a lock closes a topic from then. */
    seenAt: ms("seen_at"),
  },
  (t) => [
    uniqueIndex("mod_actions_did_rkey_idx").on(t.did, t.rkey),
    index("mod_actions_subject_did_idx").on(t.subjectDid),
    index("mod_actions_subject_post_uri_idx").on(t.subjectPostUri),
    index("mod_actions_created_idx").on(t.createdAt, t.id),
  ],
);

/** Where each event source resumes: Jetstream time_us, firehose seq. */
export const firehoseCursor = pgTable("firehose_cursor", {
  service: text("service").primaryKey(),
  cursor: bigint("cursor", { mode: "number" }).notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const backfillProgress = pgTable(
  "backfill_progress",
  {
    did: text("did").notNull(),
    collection: text("collection").notNull(),
    /** listRecords cursor of the last page applied; NULL before the first page. */
    cursor: text("cursor"),
    status: text("status").notNull().default("pending"),
    recordsIndexed: integer("records_indexed").notNull().default(0),
    startedAt: ms("started_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    completedAt: ms("completed_at"),
  },
  (t) => [primaryKey({ columns: [t.did, t.collection] })],
);

export const backfillErrors = pgTable(
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

/**
 * Members' logins, AppView-local (never on a PDS). The OAuth client's pending
 * authorizations and its sessions (tokens and DPoP keys) are kept here so that
 * a restart keeps members logged in and several `atbb serve` processes on one
 * PostgreSQL share them; `value` is sealed (encrypted and authenticated) with
 * the session secret, since it holds refresh tokens and private keys.
 */
export const oauthStates = pgTable(
  "oauth_states",
  {
    key: text("key").primaryKey(),
    value: text("value").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("oauth_states_created_idx").on(t.createdAt)],
);

export const oauthSessions = pgTable("oauth_sessions", {
  did: text("did").primaryKey(),
  value: text("value").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

/**
 * A browser's login: the cookie holds a random id, this table only its
 * SHA-256, so a copy of the database cannot be replayed as cookies.
 */
export const memberSessions = pgTable(
  "member_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    did: text("did").notNull(),
    /** The scope the member's authorization server granted. */
    scope: text("scope").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("member_sessions_did_idx").on(t.did), index("member_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Members' reports of posts to the moderators, AppView-local (never on a
 * PDS). A report names the post by its repository and record key, and the
 * version the member saw; a moderator resolves it (dismissed, or the post
 * hidden, or its author banned), and the moderation record written for it
 * is kept beside the resolution.
 */
export const reports = pgTable(
  "reports",
  {
    id: id(),
    reporterDid: text("reporter_did").notNull(),
    postDid: text("post_did").notNull(),
    postRkey: text("post_rkey").notNull(),
    postCid: text("post_cid").notNull(),
    /** One of a short list (api/bodies/reports.ts). */
    reason: text("reason").notNull(),
    text: text("text").notNull(),
    createdAt: ms("created_at").notNull(),
    /** null while open; then dismissed, hidden or banned. */
    resolution: text("resolution"),
    resolvedBy: text("resolved_by"),
    resolvedAt: ms("resolved_at"),
    /** The space.atbb.modAction the resolution wrote (none for a dismissal). */
    modActionUri: text("mod_action_uri"),
  },
  (t) => [
    // The queue: open ones first (resolved_at null), oldest first.
    index("reports_queue_idx").on(t.resolvedAt, t.createdAt, t.id),
    index("reports_reporter_idx").on(t.reporterDid, t.createdAt),
    index("reports_post_idx").on(t.postDid, t.postRkey),
  ],
);

/**
 * What each member has read of each topic, AppView-local (never on a PDS):
 * the moment (posts.posted_at) of the latest post of the topic they were
 * shown. A topic whose last_activity_at is later has something new for them.
 */
export const topicReads = pgTable(
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

/**
 * What a member is told (AppView-local, never on a PDS): a reply to their
 * topic or post, a quote of them, a mention, a moderator's action on their
 * post or account. Derived by the indexer in the transaction of the record
 * that causes it (indexer/notifications.ts), and gone with that record.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    recipientDid: text("recipient_did").notNull(),
    /** topic_reply, post_reply, quote, mention or moderation (indexer/notifications.ts). */
    kind: text("kind").notNull(),
    /** The record that causes it: the post, or the forum's space.atbb.modAction. */
    causeUri: text("cause_uri").notNull(),
    /** The post to show: the causing post, or the one a moderator acted on (null for an account). */
    postId: idRef("post_id").references(() => posts.id, { onDelete: "cascade" }),
    /** Moderation only: the action's short verb (ban, lock, delete…). */
    action: text("action"),
    actorDid: text("actor_did").notNull(),
    createdAt: ms("created_at").notNull(),
    /** null while unread. */
    readAt: ms("read_at"),
  },
  (t) => [
    // A replayed or echoed record finds its notification there already; the
    // indexer finds a record's notifications by its prefix.
    uniqueIndex("notifications_cause_recipient_kind_idx").on(t.causeUri, t.recipientDid, t.kind),
    // A member's list, newest first, is a backward scan of this.
    index("notifications_recipient_id_idx").on(t.recipientDid, t.id),
  ],
);
