// The naive baseline, as the seed plans wrote an indexer: every event its own
// transaction, every record one ORM upsert whose references are subqueries,
// then the post's links and its topic's counts, then the cursor. It shares the
// real indexer's validation, so the difference measured is the writing. Posts
// are nearly all of a forum's events; the rest (structure, memberships, mod
// actions, deletes) go through the real indexer one event at a time.
import { boardRefOf, forumRefOf, ids, recordUri } from "@atbb/lexicon";
import type { DatabaseHandle } from "@atbb/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { RecordOp } from "../src/events/index.ts";
import type { Indexer } from "../src/indexer/indexer.ts";
import { BAN, DELETE, LOCK, latestIs } from "../src/indexer/moderation.ts";
import { idOf } from "../src/indexer/references.ts";
import { jetstreamEvent } from "../src/source/jetstream.ts";

type PostOp = Extract<RecordOp, { collection: typeof ids.post }>;

export function naiveIndexer(database: DatabaseHandle, forumDid: string, indexer: Indexer) {
  const { db, schema } = database;
  const { posts, boards, users, firehoseCursor } = schema;

  async function upsertPost(op: PostOp): Promise<void> {
    const { did, rkey, cid, record, operation, timeUs } = op;
    const uri = recordUri(did, ids.post, rkey);
    const now = new Date();
    const createdAt = new Date(record.createdAt);
    const ctx = { schema };
    const board = boardRefOf(record);
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ did, firstSeenAt: now, updatedAt: now }).onConflictDoNothing();
      const values = {
        cid,
        title: record.reply ? null : (record.title ?? null),
        text: record.text,
        forumUri: forumRefOf(record)?.uri ?? null,
        boardUri: board?.uri ?? null,
        boardId: idOf(boards, board?.uri),
        rootUri: record.reply?.root.uri ?? null,
        rootId: idOf(posts, record.reply?.root.uri),
        parentUri: record.reply?.parent.uri ?? null,
        parentId: idOf(posts, record.reply?.parent.uri),
        createdAt,
        indexedAt: now,
        deletedByUser: false,
        bannedByMod: latestIs(ctx, BAN, { did }),
        deletedByMod: latestIs(ctx, DELETE, { postUri: uri }),
        locked: latestIs(ctx, LOCK, { postUri: uri }),
        lastActivityAt: record.reply ? null : createdAt,
      };
      const editedAt = operation === "update" ? new Date(Math.floor(timeUs / 1000)) : null;
      const [post] = await tx
        .insert(posts)
        .values({ did, rkey, ...values, updatedAt: editedAt })
        .onConflictDoUpdate({
          target: [posts.did, posts.rkey],
          set: { ...values, ...(editedAt ? { updatedAt: editedAt } : {}) },
        })
        .returning({ id: posts.id, rootId: posts.rootId, boardId: posts.boardId });
      await tx
        .insert(firehoseCursor)
        .values({ service: "jetstream", cursor: timeUs, updatedAt: now })
        .onConflictDoUpdate({ target: firehoseCursor.service, set: { cursor: timeUs, updatedAt: now } });
      // Replies that arrived before this post.
      await tx
        .update(posts)
        .set({ rootId: post!.id })
        .where(and(eq(posts.rootUri, uri), isNull(posts.rootId)));
      await tx
        .update(posts)
        .set({ parentId: post!.id })
        .where(and(eq(posts.parentUri, uri), isNull(posts.parentId)));
      const topicId = values.rootUri === null ? post!.id : post!.rootId;
      if (topicId === null) return; // its topic has not arrived: counted when it does
      const visible = sql`from ${posts} as r where r.root_id = ${topicId} and r.deleted_by_user = false and r.deleted_by_mod = false`;
      const lastReplyAt = sql`(select max(r.created_at) ${visible})`;
      await tx
        .update(posts)
        .set({
          replyCount: sql`(select count(*) ${visible})`,
          replyTotal: sql`(select count(*) from ${posts} as r where r.root_id = ${topicId})`,
          lastReplyAt,
          lastActivityAt: sql`coalesce(case when ${lastReplyAt} > ${posts.createdAt} then ${lastReplyAt} end, ${posts.createdAt})`,
        })
        .where(eq(posts.id, topicId));
      if (post!.rootId === null && post!.boardId !== null) {
        await tx
          .update(boards)
          .set({
            topicCount: sql`(select count(*) from ${posts} where ${posts.boardId} = ${boards.id} and ${posts.rootUri} is null)`,
          })
          .where(eq(boards.id, post!.boardId));
      }
    });
  }

  return {
    async apply(message: string): Promise<void> {
      const { verdict } = jetstreamEvent(message, forumDid);
      if (!verdict.ok) return;
      const { op } = verdict;
      if (op.kind === "record" && op.collection === ids.post) await upsertPost(op as PostOp);
      else await indexer.applyOps([op], op.timeUs);
    },
  };
}
