import { forumRefOf, ids, recordUri, roleRefOf } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { CollectionIndexer } from "../context.ts";
import { checkReference, idOf } from "../references.ts";

export const membershipIndexer: CollectionIndexer<typeof ids.membership> = {
  collection: ids.membership,
  check: (record, { forumDid }) =>
    forumRefOf(record).uri !== recordUri(forumDid, ids.forum, "self")
      ? "membership.forum must point at this forum's space.atbb.forum.forum/self"
      : checkReference(roleRefOf(record)?.uri, ids.role, forumDid, "membership.role"),
  async upsert({ tx, schema, now }, { did, rkey, cid, record }) {
    const { memberships, forums, roles } = schema;
    const [forum, role] = [forumRefOf(record), roleRefOf(record)];
    const values = {
      cid,
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
