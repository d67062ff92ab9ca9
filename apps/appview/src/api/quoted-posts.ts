// The posts that a page of replies quotes. A quote names a post by its
// AT-URI; a reader shows it only when it is a post of the same thread (the
// topic itself or one of its replies), so the lookup is bounded to the thread
// and a quote of anything else finds nothing.
import type { DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { postRows, type PostRow } from "./queries.ts";

const POST_URI = /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]+)\/([^/]+)\/([^/]+)$/;

/** Each quoted URI that is a post of the topic, with its row (moderation is applied by the caller's serializer). */
export async function quotedPosts(
  database: DatabaseHandle,
  topicId: number,
  uris: string[],
): Promise<Map<string, PostRow>> {
  const wanted = new Map<string, { did: string; rkey: string }>();
  for (const uri of uris) {
    const [, did, collection, rkey] = POST_URI.exec(uri) ?? [];
    if (did && rkey && collection === ids.post) wanted.set(`${did} ${rkey}`, { did, rkey });
  }
  if (wanted.size === 0) return new Map();
  const rkeys = [...new Set([...wanted.values()].map((ref) => ref.rkey))];
  const rows = await threadPostRows(database, topicId, inArray(database.schema.posts.rkey, rkeys));
  const found = new Map<string, PostRow>();
  for (const row of rows)
    if (wanted.has(`${row.did} ${row.rkey}`)) found.set(`at://${row.did}/${ids.post}/${row.rkey}`, row);
  return found;
}

/** A post of the topic (the topic itself or one of its replies) by id; null when it is not of this thread. */
export async function threadPost(database: DatabaseHandle, topicId: number, postId: number): Promise<PostRow | null> {
  const [row] = await threadPostRows(database, topicId, eq(database.schema.posts.id, postId));
  return row ?? null;
}

function threadPostRows(database: DatabaseHandle, topicId: number, which: SQL | undefined): Promise<PostRow[]> {
  const { posts } = database.schema;
  return postRows(database, and(which, or(eq(posts.id, topicId), eq(posts.rootId, topicId))));
}
