// What the pages show of posts beyond the API's pages: who wrote each
// topic's latest reply, and a member's own post as they edit it.
import { aliasedTable, type DatabaseHandle } from "@atbb/db";
import { and, eq, inArray } from "drizzle-orm";

export interface Replier {
  did: string;
  /** null until verified, and while the account is not active. */
  handle: string | null;
}

/**
 * The author of each topic's latest visible reply: the reply written when
 * the topic's last_reply_at says (the indexer keeps it to the latest visible
 * reply's posted_at). Topics without replies are absent.
 */
export async function lastRepliers({ db, schema }: DatabaseHandle, topicIds: number[]): Promise<Map<number, Replier>> {
  if (topicIds.length === 0) return new Map();
  const { posts, users } = schema;
  const { table: topic } = aliasedTable(posts, "topic");
  const rows = await db
    .select({ topicId: topic.id, id: posts.id, did: posts.did, handle: users.handle, status: users.accountStatus })
    .from(topic)
    .innerJoin(posts, and(eq(posts.rootId, topic.id), eq(posts.postedAt, topic.lastReplyAt)))
    .leftJoin(users, eq(users.did, posts.did))
    // The topics by their ids, then each one's reply at (root_id, posted_at) in posts_root_posted_idx.
    // (Asked as posts.root_id in (…), PostgreSQL hashed every reply of the topics against a scan of all posts.)
    .where(inArray(topic.id, topicIds));
  const repliers = new Map<number, Replier & { id: number }>();
  for (const row of rows) {
    const known = repliers.get(row.topicId!);
    if (known && known.id > row.id) continue;
    repliers.set(row.topicId!, { id: row.id, did: row.did, handle: row.status === "active" ? row.handle : null });
  }
  return new Map([...repliers].map(([id, { did, handle }]) => [id, { did, handle }]));
}

export interface OwnPostRow {
  id: number;
  did: string;
  cid: string;
  title: string | null;
  text: string;
  topicId: number;
  isTopic: boolean;
}

/** A post as its author sees it to edit or delete it; null when there is none (or its author deleted it). */
export async function postForAuthor({ db, schema }: DatabaseHandle, id: number): Promise<OwnPostRow | null> {
  const { posts } = schema;
  const [post] = await db
    .select({
      id: posts.id,
      did: posts.did,
      cid: posts.cid,
      title: posts.title,
      text: posts.text,
      rootId: posts.rootId,
      rootUri: posts.rootUri,
      deletedByUser: posts.deletedByUser,
    })
    .from(posts)
    .where(eq(posts.id, id));
  if (!post || post.deletedByUser) return null;
  const isTopic = post.rootUri === null;
  if (!isTopic && post.rootId === null) return null;
  return {
    id: post.id,
    did: post.did,
    cid: post.cid,
    title: post.title,
    text: post.text,
    topicId: isTopic ? post.id : post.rootId!,
    isTopic,
  };
}
