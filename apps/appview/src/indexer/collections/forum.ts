import { defaultRoleOf, ids, recordUri } from "@atbb/lexicon";
import { and, eq, isNull } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { idOf } from "../references.ts";

export const forumIndexer: CollectionIndexer<typeof ids.forum> = {
  collection: ids.forum,
  async upsert({ tx, schema, now }, { did, rkey, cid, rev, record }) {
    const { forums, categories, memberships, roles } = schema;
    const defaultRole = defaultRoleOf(record)?.uri ?? null;
    const values = {
      cid,
      rev,
      name: record.name,
      description: record.description ?? null,
      createdAt: record.createdAt ? new Date(record.createdAt) : now,
      indexedAt: now,
      defaultRoleUri: defaultRole,
      defaultRoleId: idOf(roles, defaultRole),
    };
    const [forum] = await tx
      .insert(forums)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [forums.did, forums.rkey], set: values })
      .returning({ id: forums.id });
    // Categories and memberships may have arrived before the forum record.
    await tx
      .update(categories)
      .set({ forumId: forum!.id })
      .where(and(eq(categories.did, did), isNull(categories.forumId)));
    await tx
      .update(memberships)
      .set({ forumId: forum!.id })
      .where(and(eq(memberships.forumUri, recordUri(did, ids.forum, rkey)), isNull(memberships.forumId)));
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { forums } = schema;
    await tx.delete(forums).where(and(eq(forums.did, did), eq(forums.rkey, rkey)));
  },
};
