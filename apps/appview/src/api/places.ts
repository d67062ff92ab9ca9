// The forum's record and its boards, as the API's forum and board routes and
// the pages read them.
import type { DatabaseHandle, Schema } from "@atbb/db";
import { and, asc, eq, isNotNull, isNull, max, sql, sum } from "drizzle-orm";

export type ForumRow = Schema["forums"]["$inferSelect"];
export type BoardRow = Schema["boards"]["$inferSelect"];

/** The forum record of `forumDid` (without one, the first indexed); null until one is indexed. */
export async function forumRecord({ db, schema }: DatabaseHandle, forumDid: string | null): Promise<ForumRow | null> {
  const { forums } = schema;
  const query = db.select().from(forums).orderBy(asc(forums.id)).limit(1);
  const [forum] = forumDid ? await query.where(eq(forums.did, forumDid)) : await query;
  return forum ?? null;
}

export async function boardRecord({ db, schema }: DatabaseHandle, id: number): Promise<BoardRow | null> {
  const { boards } = schema;
  const [board] = await db.select().from(boards).where(eq(boards.id, id));
  return board ?? null;
}

export interface BoardActivity {
  /** Every topic of the board, as boards.topic_count counts them. */
  topics: number;
  /** Topics and their visible replies (the topics' reply counts). */
  posts: number;
  lastActivityAt: Date | null;
}

/** Every board's post count and latest activity, from the topics' own aggregates (one grouped scan of the topics). */
export async function boardActivity({ db, schema }: DatabaseHandle): Promise<Map<number, BoardActivity>> {
  const { posts } = schema;
  const rows = await db
    .select({
      boardId: posts.boardId,
      topics: sql<number>`count(*)`,
      replies: sum(posts.replyCount),
      lastActivityAt: max(posts.lastActivityAt),
    })
    .from(posts)
    .where(and(isNull(posts.rootUri), isNotNull(posts.boardId)))
    .groupBy(posts.boardId);
  return new Map(
    rows.map((row) => [
      row.boardId!,
      {
        topics: Number(row.topics),
        posts: Number(row.topics) + Number(row.replies ?? 0),
        lastActivityAt: row.lastActivityAt,
      },
    ]),
  );
}
