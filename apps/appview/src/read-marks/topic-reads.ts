// What each member has read of each topic, kept in the AppView's database
// only (read state is nobody's record). A mark is the moment (posted_at) of
// the latest post of the topic the member was shown: a topic whose
// last_activity_at is later has something new for them, and their first
// unread post is the first reply posted after it (replies are shown in
// posted_at order, so counting those before it gives its number).
import type { DatabaseHandle } from "@atbb/db";
import { and, count, eq, gt, inArray, isNotNull, isNull, lte, max, or, sql } from "drizzle-orm";

/** Rows per insert when a whole board is marked (three parameters each, well under SQLite's limit). */
const MARKS_PER_STATEMENT = 1000;

export function topicReadMarks(database: DatabaseHandle) {
  const { db, schema } = database;
  const { topicReads, posts } = schema;
  const incoming = sql`excluded.${sql.identifier(topicReads.readUntil.name)}`;
  // A mark only moves forward: reading an earlier page again un-reads nothing.
  const later = sql`case when ${incoming} > ${topicReads.readUntil} then ${incoming} else ${topicReads.readUntil} end`;

  async function mark(rows: { did: string; topicId: number; readUntil: Date }[]) {
    for (let i = 0; i < rows.length; i += MARKS_PER_STATEMENT)
      await db
        .insert(topicReads)
        .values(rows.slice(i, i + MARKS_PER_STATEMENT))
        .onConflictDoUpdate({ target: [topicReads.did, topicReads.topicId], set: { readUntil: later } });
  }

  return {
    /** Of these topics, the ones with a post `did` has not been shown (a topic never opened is unread). */
    async unread(did: string, topicIds: number[]): Promise<Set<number>> {
      if (topicIds.length === 0) return new Set();
      const found = await db
        .select({ id: posts.id })
        .from(posts)
        .leftJoin(topicReads, and(eq(topicReads.topicId, posts.id), eq(topicReads.did, did)))
        .where(
          and(
            inArray(posts.id, topicIds),
            or(isNull(topicReads.readUntil), gt(posts.lastActivityAt, topicReads.readUntil)),
          ),
        );
      return new Set(found.map((row) => row.id));
    },

    /** The number (#1 the opening post, #2 the first reply…) of the first post `did` has not been shown; null when none. */
    async firstUnread(did: string, topicId: number): Promise<number | null> {
      const [row] = await db
        .select({ lastActivityAt: posts.lastActivityAt, readUntil: topicReads.readUntil })
        .from(posts)
        .leftJoin(topicReads, and(eq(topicReads.topicId, posts.id), eq(topicReads.did, did)))
        .where(eq(posts.id, topicId));
      if (!row) return null;
      if (!row.readUntil) return 1;
      if (!row.lastActivityAt || row.lastActivityAt <= row.readUntil) return null;
      const [read] = await db
        .select({ n: count() })
        .from(posts)
        .where(and(eq(posts.rootId, topicId), lte(posts.postedAt, row.readUntil)));
      return Number(read?.n ?? 0) + 2;
    },

    /** `did` was shown these posts of the topic (ids of others are ignored). */
    async seen(did: string, topicId: number, postIds: number[]): Promise<void> {
      if (postIds.length === 0) return;
      const [latest] = await db
        .select({ at: max(posts.postedAt) })
        .from(posts)
        .where(and(inArray(posts.id, postIds), or(eq(posts.id, topicId), eq(posts.rootId, topicId))));
      if (latest?.at) await mark([{ did, topicId, readUntil: latest.at }]);
    },

    /** Every topic of the board, as it is now, read by `did`. */
    async boardRead(did: string, boardId: number): Promise<void> {
      const topics = await db
        .select({ id: posts.id, at: posts.lastActivityAt })
        .from(posts)
        .where(and(eq(posts.boardId, boardId), isNull(posts.rootUri), isNotNull(posts.lastActivityAt)));
      await mark(topics.map((topic) => ({ did, topicId: topic.id, readUntil: topic.at! })));
    },
  };
}

export type TopicReadMarks = ReturnType<typeof topicReadMarks>;
