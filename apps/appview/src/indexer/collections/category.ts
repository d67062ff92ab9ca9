import { ids, recordUri } from "@atbb/lexicon";
import { and, eq, sql } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";

export const categoryIndexer: CollectionIndexer<typeof ids.category> = {
  collection: ids.category,
  async upsert({ tx, schema, now }, { did, rkey, cid, rev, record }) {
    const { categories, forums, boards } = schema;
    const values = {
      cid,
      rev,
      name: record.name,
      description: record.description ?? null,
      sortOrder: record.sortOrder ?? null,
      createdAt: new Date(record.createdAt),
      indexedAt: now,
      forumId: sql`(select ${forums.id} from ${forums} where ${forums.did} = ${did} and ${forums.rkey} = 'self')`,
    };
    const [category] = await tx
      .insert(categories)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [categories.did, categories.rkey], set: values })
      .returning({ id: categories.id });
    // Boards may have arrived before their category.
    await tx
      .update(boards)
      .set({ categoryId: category!.id })
      .where(eq(boards.categoryUri, recordUri(did, ids.category, rkey)));
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { categories } = schema;
    await tx.delete(categories).where(and(eq(categories.did, did), eq(categories.rkey, rkey)));
  },
};
