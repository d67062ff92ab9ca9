import { forumRefOf, ids, roleRefOf } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { idOf } from "../references.ts";

export const membershipIndexer: CollectionIndexer<typeof ids.membership> = {
  collection: ids.membership,
  async upsert({ tx, schema, now }, { did, rkey, cid, rev, record }) {
    const { memberships, forums, roles } = schema;
    const [forum, role] = [forumRefOf(record), roleRefOf(record)];
    const values = {
      cid,
      rev,
      forumUri: forum.uri,
      forumId: idOf(forums, forum.uri),
      roleUri: role?.uri ?? null,
      roleId: idOf(roles, role?.uri),
      joinedAt: record.joinedAt ? new Date(record.joinedAt) : null,
      createdAt: new Date(record.createdAt),
      indexedAt: now,
    };
    await tx
      .insert(memberships)
      .values({ did, rkey, ...values })
      .onConflictDoUpdate({ target: [memberships.did, memberships.rkey], set: values });
  },
  async remove({ tx, schema }, { did, rkey }) {
    const { memberships } = schema;
    await tx.delete(memberships).where(and(eq(memberships.did, did), eq(memberships.rkey, rkey)));
  },
};
