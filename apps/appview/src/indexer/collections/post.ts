import { ids, recordUri } from "@atbb/lexicon";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { BAN, DELETE, LOCK, latestIs } from "../moderation.ts";
import { checkReference, idOf } from "../references.ts";

export const postIndexer: CollectionIndexer<typeof ids.post> = {
  collection: ids.post,
  check(record, { forumDid }) {
    if (record.reply) {
      return (
        checkReference(record.reply.root.uri, ids.post, null, "reply.root") ??
        checkReference(record.reply.parent.uri, ids.post, null, "reply.parent")
      );
    }
    if (!record.board) return "a topic (a post without reply) needs a board";
    return (
      checkReference(record.board.uri, ids.board, forumDid, "post.board") ??
      checkReference(record.forum?.uri, ids.forum, forumDid, "post.forum")
    );
  },

  async upsert(ctx, { did, rkey, cid, record, operation, timeUs }) {
    const { tx, schema, now, dirtyTopics } = ctx;
    const { posts, boards } = schema;
    const uri = recordUri(did, ids.post, rkey);
    const createdAt = new Date(record.createdAt);
    const values = {
      cid,
      title: record.reply ? null : (record.title ?? null),
      text: record.text,
      forumUri: record.forum?.uri ?? null,
      boardUri: record.board?.uri ?? null,
      boardId: idOf(boards, record.board?.uri),
      rootUri: record.reply?.root.uri ?? null,
      rootId: idOf(posts, record.reply?.root.uri),
      parentUri: record.reply?.parent.uri ?? null,
      parentId: idOf(posts, record.reply?.parent.uri),
      createdAt,
      indexedAt: now,
      deletedByUser: false,
      // A mod action may predate the post's arrival: derive the state now.
      bannedByMod: latestIs(ctx, BAN, { did }),
      deletedByMod: latestIs(ctx, DELETE, { postUri: uri }),
      locked: latestIs(ctx, LOCK, { postUri: uri }),
      lastActivityAt: record.reply ? null : createdAt,
    };
    const [post] = await tx
      .insert(posts)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({
        target: [posts.did, posts.rkey],
        set: {
          ...values,
          // A replayed create is not an edit.
          updatedAt: operation === "update" ? new Date(Math.floor(timeUs / 1000)) : sql`${posts.updatedAt}`,
          lastActivityAt: sql`excluded.last_activity_at`,
        },
      })
      .returning({ id: posts.id, rootId: posts.rootId });
    if (record.reply) {
      if (post!.rootId !== null) dirtyTopics.add(post!.rootId);
    } else {
      // Replies may have arrived before this topic or parent.
      await tx.update(posts).set({ rootId: post!.id }).where(and(eq(posts.rootUri, uri), isNull(posts.rootId)));
      dirtyTopics.add(post!.id);
    }
    await tx.update(posts).set({ parentId: post!.id }).where(and(eq(posts.parentUri, uri), isNull(posts.parentId)));
  },

  async remove({ tx, schema, dirtyTopics }, { did, rkey }) {
    const { posts } = schema;
    // A tombstone keeps the thread's shape; the words go, as their author asked.
    const [post] = await tx
      .update(posts)
      .set({ deletedByUser: true, text: "", title: null })
      .where(and(eq(posts.did, did), eq(posts.rkey, rkey)))
      .returning({ id: posts.id, rootId: posts.rootId });
    if (post) dirtyTopics.add(post.rootId ?? post.id);
  },
};
