// What the pages need from the AppView, said in the pages' own types. The
// AppView (apps/appview/src/pages.ts) builds these from the very functions its
// API handlers call and passes them in: this package imports nothing of the
// AppView, so the AppView can import it without a circle. Posts arrive as the
// API shows them (moderation applied, `hidden` saying why).
import type { Context } from "hono";
import type { ReportActions } from "./report-deps.ts";
import type { AdminActions } from "./admin-deps.ts";
import type { StaffActions } from "./staff-deps.ts";

export interface AuthorView {
  did: string;
  /** null until verified, and while the account is unavailable. */
  handle: string | null;
}

export interface PostView {
  id: string;
  uri: string;
  cid: string;
  author: AuthorView;
  title: string | null;
  text: string | null;
  /** Why title and text are not shown (the API's reason code), or null when they are. */
  hidden: string | null;
  createdAt: string;
  editedAt: string | null;
}

export interface TopicView extends PostView {
  boardId: string | null;
  locked: boolean;
  pinned: boolean;
  replyCount: number;
  lastReplyAt: string | null;
  lastActivityAt: string;
}

export interface ReplyView extends PostView {
  parentId: string | null;
  /** The AT-URI of the post it quotes (shown from TopicPage.quoted when that post is of this thread). */
  quote: string | null;
}

export interface BoardView {
  id: string;
  name: string;
  description: string | null;
}

export interface BoardSummary extends BoardView {
  topicCount: number;
  postCount: number;
  /** When the board's latest topic or reply was written; null for an empty board. */
  lastActivityAt: string | null;
}

export interface CategoryView {
  id: string;
  name: string;
  description: string | null;
  boards: BoardSummary[];
}

export interface BoardPage {
  board: BoardView;
  /** Every topic of the board. */
  total: number;
  topics: (TopicView & { lastReplyBy: AuthorView | null })[];
}

export interface TopicPage {
  topic: TopicView;
  board: BoardView | null;
  /** Every reply of the topic, hidden ones included. */
  total: number;
  replies: ReplyView[];
  /** The posts of this thread the page's replies quote, by AT-URI (moderation applied: a hidden one says why). */
  quoted: Record<string, PostView>;
}

export interface MemberView {
  did: string;
  handle: string | null;
  accountStatus: string;
  joinedAt: string | null;
  role: { name: string } | null;
  postCount: number;
  /** Their latest posts a reader can find, newest first. */
  recent: { id: string; topicId: string; title: string | null; text: string | null; createdAt: string }[];
}

/** A post as its author edits or deletes it: the version they saw, and where it belongs. */
export interface OwnPost {
  id: string;
  did: string;
  cid: string;
  title: string | null;
  text: string;
  /** The topic it is in (its own id for a topic). */
  topicId: string;
  isTopic: boolean;
}

export interface ForumReads {
  /** The forum record; null until it is indexed (the first-run page says what to do). */
  forum(): Promise<{ name: string; description: string | null } | null>;
  index(): Promise<CategoryView[]>;
  board(id: number, offset: number, limit: number): Promise<BoardPage | null>;
  topic(id: number, offset: number, limit: number): Promise<TopicPage | null>;
  member(did: string): Promise<MemberView | null>;
  ownPost(id: number): Promise<OwnPost | null>;
  /** A post of the topic (the topic itself or a reply) to quote, moderation applied; null when not of this thread. */
  threadPost(topicId: number, postId: number): Promise<PostView | null>;
  /** Posts found by a search as a person writes it; a query or a filter that cannot be read is a problem to show. */
  search(search: SearchInput, offset: number, limit: number): Promise<SearchPageView | { problem: string }>;
}

/**
 * A search as the search page's form sends it, unchecked (the AppView checks
 * it as GET /api/search does): an empty field is no filter. The author may be
 * a handle known here, or a DID.
 */
export interface SearchInput {
  q: string;
  board: string;
  author: string;
  /** "only": topics, not replies. */
  topics: string;
  /** Dates (2026-01-31) or times with their offset, posted at or after `since` and before `until`. */
  since: string;
  until: string;
  /** "relevance" (the default) or "newest". */
  order: string;
}

export interface SearchResultView extends PostView {
  topicId: string;
  /** HTML made by the AppView: the text escaped, the words looked for in <mark>. */
  snippet: string;
}

export interface SearchPageView {
  /** The posts found, counted up to a bound… */
  total: number;
  /** …and whether more than that were found. */
  moreThanTotal: boolean;
  results: SearchResultView[];
}

export interface Viewer {
  did: string;
  handle: string | null;
  /** The browser's session id: the CSRF token is derived from it. */
  sessionId: string;
}

/** A write's result: done (the post's id), or refused with the API's status, code and message. */
export type Outcome<T = { id: number }> =
  | ({ ok: true } & T)
  | { ok: false; status: number; code: string; message: string };

export interface MemberActions {
  /** Where the forum's pages are served: a state-changing request must come from there. */
  origin: string;
  /** The lexicon's limits, in graphemes, shown beside the fields. */
  limits: { title: number; text: number };
  viewer(c: Context): Promise<Viewer | null>;
  /** The member's authorization server's address, to send the browser to. */
  startLogin(handle: string): Promise<Outcome<{ url: string }>>;
  /** Ends the login (this browser's session and the OAuth session). */
  logout(c: Context): Promise<void>;
  createTopic(did: string, input: { boardId: number; title: string; text: string }): Promise<Outcome>;
  reply(did: string, topicId: number, input: { text: string; parentId?: number; quoteId?: number }): Promise<Outcome>;
  edit(did: string, id: number, input: { cid: string; text: string; title?: string }): Promise<Outcome>;
  remove(did: string, id: number, input: { cid: string }): Promise<Outcome<object>>;
}

/** What a member has read (AppView-local): ids are the pages' own (strings). */
export interface ReadMarks {
  /** Of these topics, the ones with a post the member has not been shown. */
  unread(did: string, topicIds: string[]): Promise<Set<string>>;
  /** The number (#N) of the member's first unread post in the topic; null when they have read it all. */
  firstUnread(did: string, topicId: string): Promise<number | null>;
  /** The member was shown these posts of the topic. */
  seen(did: string, topicId: string, postIds: string[]): Promise<void>;
  /** Every topic of the board, as it is now, read. */
  boardRead(did: string, boardId: string): Promise<void>;
}

/** A notification as the API's /api/notifications writes it. */
export interface NotificationView {
  id: string;
  kind: "post_reply" | "topic_reply" | "quote" | "mention" | "moderation";
  action: string | null;
  actor: { did: string; handle: string | null };
  post: { id: string; topicId: string; topicTitle: string | null; number: number } | null;
  createdAt: string;
  read: boolean;
}

/** A member's notifications (AppView-local): the bell's count, the list, marking them read. */
export interface MemberNotifications {
  unread(did: string): Promise<number>;
  page(did: string, offset: number, limit: number): Promise<{ total: number; notifications: NotificationView[] }>;
  /** Marks those up to this id read (the newest the member was shown). */
  markRead(did: string, upTo: string): Promise<void>;
}

export interface WebDeps {
  reads: ForumReads;
  /** null without a forum to join (no FORUM_DID): the pages only read. */
  members: MemberActions | null;
  /** Kept for members only: null when nobody can log in. */
  readMarks: ReadMarks | null;
  /**
   * Kept for members only: null when nobody can log in, or when the forum
   * keeps none (NOTIFICATIONS=off; members can log in, and /notifications
   * says they are off).
   */
  notifications: MemberNotifications | null;
  /** null when nobody can moderate here (no forum to join, or no forum account to write with). */
  staff: StaffActions | null;
  /** null when nobody can log in to report (no forum to join). */
  reports: ReportActions | null;
  /** null when nobody can administer here (no forum to join, or no forum account to write with). */
  admin: AdminActions | null;
  /** Logs a page that failed (the error page is shown). */
  onError(error: unknown, path: string): void;
}
