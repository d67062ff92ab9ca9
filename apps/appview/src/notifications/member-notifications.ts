// A member's notifications, as the API and the pages read them. The indexer
// derives the rows (indexer/notifications.ts); here they are only read and
// marked read, which is the AppView's own state (never on a PDS). One whose
// causing post a reader cannot see — removed by a moderator, its author
// banned (until a ban's end), or a reply whose topic is not here — is not
// shown, nor counted;
// a moderator's action is always shown to the member it concerns.
import { aliasedTable, type DatabaseHandle } from "@atbb/db";
import { and, count, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import { authorNotBanned } from "../api/queries.ts";
import type { NotificationKind } from "../indexer/notices.ts";

export interface NotificationRow {
  id: number;
  kind: NotificationKind;
  action: string | null;
  causeUri: string;
  actor: { did: string; handle: string | null };
  /** The post to open: its topic and its number there (#1 the opening post); null for an account's moderation. */
  post: { id: number; topicId: number; topicTitle: string | null; number: number } | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationPage {
  rows: NotificationRow[];
  total: number;
  unread: number;
}

export function memberNotifications(database: DatabaseHandle) {
  const { db, schema } = database;
  const { notifications, posts, users } = schema;
  const topic = aliasedTable(posts, "topic").table;
  const { table: earlier, from: earlierFrom } = aliasedTable(posts, "earlier");

  const shown = (now: Date) =>
    or(
      eq(notifications.kind, "moderation"),
      and(
        eq(posts.deletedByUser, false),
        eq(posts.deletedByMod, false),
        authorNotBanned(database, posts, now),
        or(isNull(posts.rootUri), sql`${posts.rootId} is not null`),
      ),
    );
  const ofMember = (did: string) => and(eq(notifications.recipientDid, did), shown(new Date()));
  // Replies are numbered in the order a topic page shows them: posted_at, then id.
  const replyNumber = sql<number>`(select count(*) from ${earlierFrom} where ${earlier.rootId} = ${posts.rootId}
    and (${earlier.postedAt} < ${posts.postedAt} or (${earlier.postedAt} = ${posts.postedAt} and ${earlier.id} < ${posts.id})))`;

  /** How many the member has, and how many of them are unread. */
  async function counts(did: string): Promise<{ total: number; unread: number }> {
    const [row] = await db
      .select({
        total: count(),
        unread: sql<number>`coalesce(sum(case when ${notifications.readAt} is null then 1 else 0 end), 0)`,
      })
      .from(notifications)
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .where(ofMember(did));
    return { total: Number(row?.total ?? 0), unread: Number(row?.unread ?? 0) };
  }

  return {
    /** How many of the member's notifications are unread. */
    unread: async (did: string) => (await counts(did)).unread,

    /** The member's own, newest first (in the order the AppView learned of them), with the unread count. */
    async page(did: string, offset: number, limit: number): Promise<NotificationPage> {
      const [found, { total, unread }] = await Promise.all([
        db
          .select({
            id: notifications.id,
            kind: notifications.kind,
            action: notifications.action,
            causeUri: notifications.causeUri,
            actorDid: notifications.actorDid,
            actorHandle: sql<string | null>`(select ${users.handle} from ${users}
              where ${users.did} = ${notifications.actorDid} and ${users.accountStatus} = 'active')`,
            postId: posts.id,
            rootId: posts.rootId,
            topicTitle: topic.title,
            replyNumber,
            createdAt: notifications.createdAt,
            readAt: notifications.readAt,
          })
          .from(notifications)
          .leftJoin(posts, eq(posts.id, notifications.postId))
          .leftJoin(topic, eq(topic.id, sql`coalesce(${posts.rootId}, ${posts.id})`))
          .where(ofMember(did))
          .orderBy(desc(notifications.id))
          .limit(limit)
          .offset(offset),
        counts(did),
      ]);
      const rows = (found as unknown as RawRow[]).map(
        (row): NotificationRow => ({
          id: Number(row.id),
          kind: row.kind as NotificationKind,
          action: row.action,
          causeUri: row.causeUri,
          actor: { did: row.actorDid, handle: row.actorHandle },
          post:
            row.postId === null
              ? null
              : {
                  id: Number(row.postId),
                  topicId: Number(row.rootId ?? row.postId),
                  topicTitle: row.topicTitle,
                  number: row.rootId === null ? 1 : Number(row.replyNumber) + 2,
                },
          createdAt: row.createdAt,
          readAt: row.readAt,
        }),
      );
      return { rows, total, unread };
    },

    /** Marks the member's notifications read: all of them, or those up to `upTo` (an id); returns how many are left unread. */
    async markRead(did: string, upTo: number | null, now = new Date()): Promise<number> {
      await db
        .update(notifications)
        .set({ readAt: now })
        .where(
          and(
            eq(notifications.recipientDid, did),
            isNull(notifications.readAt),
            upTo === null ? undefined : lte(notifications.id, upTo),
          ),
        );
      return (await counts(did)).unread;
    },
  };
}

interface RawRow {
  id: number;
  kind: string;
  action: string | null;
  causeUri: string;
  actorDid: string;
  actorHandle: string | null;
  postId: number | null;
  rootId: number | null;
  topicTitle: string | null;
  replyNumber: number | string;
  createdAt: Date;
  readAt: Date | null;
}

export type MemberNotifications = ReturnType<typeof memberNotifications>;
