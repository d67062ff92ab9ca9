// The forum's pages (apps/web) over this AppView: what they read comes from
// the same query functions as the API's handlers, posts serialized by the
// API's own bodies (so a page shows exactly what the API says, hidden
// reasons included); what they write goes through the API's writer and
// login flow. No HTTP hop: all of it runs in this process.
import type { DatabaseHandle } from "@atbb/db";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { eq } from "drizzle-orm";
import { webRoutes, type MemberActions, type Outcome, type SearchInput, type WebPages } from "@atbb/web";
import { serializePost, serializeReply, serializeTopic } from "./api/bodies/posts.ts";
import { iso } from "./api/bodies/time.ts";
import { ApiError } from "./api/errors.ts";
import { currentMember } from "./api/member.ts";
import { boardActivity, boardRecord, forumRecord } from "./api/places.ts";
import { lastRepliers, postForAuthor } from "./api/post-reads.ts";
import { quotedPosts, threadPost } from "./api/quoted-posts.ts";
import { memberProfiles } from "./api/profiles.ts";
import { boardTopicsPage, forumIndex, forumTree, topicPage } from "./api/queries.ts";
import { endLogin, startLogin } from "./api/routes/auth/login-flow.ts";
import { searching } from "./api/routes/search/handlers.ts";
import { SearchQuery } from "./api/routes/search/routes.ts";
import { parse } from "./api/validation.ts";
import type { ForumWriter } from "./forum-agent/writer.ts";
import type { Logger } from "./logger.ts";
import type { MemberAccess } from "./login/access.ts";
import { pageNotifications } from "./notifications/page-notifications.ts";
import { pageReadMarks } from "./read-marks/page-marks.ts";
import { SESSION_COOKIE } from "./login/member-sessions.ts";
import { TEXT_MAX_GRAPHEMES, TITLE_MAX_GRAPHEMES } from "./writing/limits.ts";
import { Refusal, type PostWriting } from "./writing/posts.ts";
import { reportActions } from "./report-pages.ts";
import type { Reporting } from "./reports/reporting.ts";
import { staffActions } from "./staff-pages.ts";
import { adminActions } from "./admin-pages.ts";

const RECENT_POSTS = 10;

export interface PageOptions {
  database: DatabaseHandle;
  forumDid: string | null;
  members: MemberAccess | null;
  /** The forum account's writer, for moderators' actions; null without a forum account. */
  forumWriter: (() => Promise<ForumWriter>) | null;
  logger: Logger;
  /** The forum derives members' notifications (NOTIFICATIONS); false: no bell, and /notifications says they are off. Default true. */
  notifications?: boolean;
}

const place = (row: { id: number; name: string; description: string | null }) => ({
  id: String(row.id),
  name: row.name,
  description: row.description,
});

/** The pages, made with the API's writer and reports (createApp's `pages`). */
export function forumPages(options: PageOptions): (writing: PostWriting | null, reporting: Reporting) => WebPages {
  return (writing, reporting) =>
    webRoutes({
      reads: reads(options),
      members: options.members && writing ? memberActions(options, options.members, writing) : null,
      readMarks: options.members ? pageReadMarks(options.database) : null,
      notifications: options.members && (options.notifications ?? true) ? pageNotifications(options.database) : null,
      staff:
        options.members && options.forumDid !== null
          ? staffActions(options.database, options.forumDid, options.forumWriter)
          : null,
      reports: options.members && options.forumDid !== null ? reportActions(reporting) : null,
      admin:
        options.members && options.forumDid !== null
          ? adminActions(options.database, options.forumDid, options.forumWriter)
          : null,
      onError: (error, path) => options.logger.error({ err: error, path }, "page failed"),
    });
}

function reads({ database, forumDid }: PageOptions) {
  const everyCategoryAndBoard = forumIndex(database);
  const topicsOfBoard = boardTopicsPage(database);
  const topicWithReplies = topicPage(database);
  const profiles = memberProfiles(database, forumDid);
  const search = searching(database);
  /** The search form's author as a DID: a handle is looked up among the members known here. */
  const authorDidOf = async (author: string): Promise<string> => {
    if (author === "" || author.startsWith("did:")) return author;
    const { users } = database.schema;
    const [user] = await database.db
      .select({ did: users.did })
      .from(users)
      .where(eq(users.handle, author.replace(/^@/, "").toLowerCase()));
    if (!user)
      throw new ApiError(
        400,
        "invalid_request",
        `author ${author} is not a handle known here: give a member's handle or their DID`,
      );
    return user.did;
  };
  return {
    async forum() {
      const forum = await forumRecord(database, forumDid);
      return forum ? { name: forum.name, description: forum.description } : null;
    },
    async index() {
      const [{ categories, boards }, activity] = await Promise.all([everyCategoryAndBoard(), boardActivity(database)]);
      return forumTree(categories, boards, place, (board) => {
        const counts = activity.get(board.id);
        return {
          ...place(board),
          topicCount: counts?.topics ?? 0,
          postCount: counts?.posts ?? 0,
          lastActivityAt: iso(counts?.lastActivityAt ?? null),
        };
      });
    },
    async board(id: number, offset: number, limit: number) {
      const [board, page] = await Promise.all([boardRecord(database, id), topicsOfBoard(id, offset, limit)]);
      if (!board || !page) return null;
      const now = new Date();
      const repliers = await lastRepliers(
        database,
        page.topics.map((topic) => topic.id),
      );
      return {
        board: place(board),
        total: page.total,
        topics: page.topics.map((row) => ({ ...serializeTopic(row, now), lastReplyBy: repliers.get(row.id) ?? null })),
      };
    },
    async topic(id: number, offset: number, limit: number) {
      const page = await topicWithReplies(id, offset, limit);
      if (!page) return null;
      const board = page.topic.boardId === null ? null : await boardRecord(database, page.topic.boardId);
      const now = new Date();
      const replies = page.replies.map((reply) => serializeReply(reply, now, page.topic));
      const quotes = replies.flatMap((reply) => (reply.quote ? [reply.quote] : []));
      const quoted = await quotedPosts(database, id, quotes);
      return {
        topic: serializeTopic(page.topic, now),
        board: board ? place(board) : null,
        total: page.total,
        replies,
        quoted: Object.fromEntries(
          [...quoted].map(([uri, row]) => [uri, serializePost(row, now, row.id === id ? undefined : page.topic)]),
        ),
      };
    },
    async member(did: string) {
      const profile = await profiles.profile(did);
      if (!profile) return null;
      const recent = profile.accountStatus === "active" ? await profiles.recentPosts(did, RECENT_POSTS) : [];
      return {
        ...profile,
        recent: recent.map((post) => ({
          id: String(post.id),
          topicId: String(post.topicId),
          title: post.title,
          text: post.text,
          createdAt: iso(post.createdAt),
        })),
      };
    },
    async ownPost(id: number) {
      const post = await postForAuthor(database, id);
      return post ? { ...post, id: String(post.id), topicId: String(post.topicId) } : null;
    },
    async threadPost(topicId: number, postId: number) {
      const topic = postId === topicId ? null : await threadPost(database, topicId, topicId);
      const post = await threadPost(database, topicId, postId);
      return post ? serializePost(post, new Date(), topic ?? undefined) : null;
    },
    async search(input: SearchInput, offset: number, limit: number) {
      try {
        const author = await authorDidOf(input.author.trim());
        // Empty fields are filters not asked for; what is left is checked as GET /api/search checks it.
        const asked = Object.entries({ ...input, author }).filter(([, value]) => value !== "");
        return await search(parse(SearchQuery, Object.fromEntries(asked)), offset, limit);
      } catch (error) {
        if (error instanceof ApiError) return { problem: error.message };
        throw error;
      }
    },
  };
}

/** A refusal (or a bad-input error) as the pages show it; anything else is a failure and goes on up. */
async function outcome<T extends object>(write: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await write()) };
  } catch (error) {
    if (error instanceof Refusal || error instanceof ApiError)
      return { ok: false, status: error.status, code: error.code, message: error.message };
    throw error;
  }
}

function memberActions({ database, logger }: PageOptions, access: MemberAccess, writing: PostWriting): MemberActions {
  const { users } = database.schema;
  return {
    origin: access.login.origin,
    limits: { title: TITLE_MAX_GRAPHEMES, text: TEXT_MAX_GRAPHEMES },
    async viewer(c: Context) {
      const member = await currentMember(c, access);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!member || sessionId === undefined) return null;
      const [user] = await database.db
        .select({ handle: users.handle, status: users.accountStatus })
        .from(users)
        .where(eq(users.did, member.did));
      return { did: member.did, handle: user?.status === "active" ? user.handle : null, sessionId };
    },
    startLogin: (handle) => outcome(async () => ({ url: (await startLogin(access, handle)).href })),
    logout: (c) => endLogin(c, access, logger),
    createTopic: (did, input) => outcome(async () => ({ id: (await writing.createTopic(did, input)).id })),
    reply: (did, topicId, input) => outcome(async () => ({ id: (await writing.reply(did, topicId, input)).id })),
    edit: (did, id, input) => outcome(async () => ({ id: (await writing.edit(did, id, input)).id })),
    remove: (did, id, input) =>
      outcome(async () => {
        await writing.remove(did, id, input);
        return {};
      }),
  };
}
