import { categoryRefOf, ids, recordUri } from "@atbb/lexicon";
import { and, eq, isNull } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { idOf } from "../references.ts";

export const boardIndexer: CollectionIndexer<typeof ids.board> = {
  collection: ids.board,
  async upsert({ tx, schema, now, dirtyBoards }, { did, rkey, cid, rev, record }) {
    const { boards, categories, posts } = schema;
    const category = categoryRefOf(record);
    const values = {
      cid,
      rev,
      name: record.name,
      description: record.description ?? null,
      sortOrder: record.sortOrder ?? null,
      categoryUri: category.uri,
      categoryId: idOf(categories, category.uri),
      createdAt: new Date(record.createdAt),
      indexedAt: now,
    };
    const [board] = await tx
      .insert(boards)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [boards.did, boards.rkey], set: values })
      .returning({ id: boards.id });
    // Topics may have arrived before their board.
    await tx
      .update(posts)
      .set({ boardId: board!.id })
      .where(and(eq(posts.boardUri, recordUri(did, ids.board, rkey)), isNull(posts.boardId)));
    dirtyBoards.add(board!.id);
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { boards } = schema;
    await tx.delete(boards).where(and(eq(boards.did, did), eq(boards.rkey, rkey)));
  },
};
