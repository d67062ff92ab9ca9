// A member as readers see them: the API's /api/users/{did} and the member
// page both ask here.
import { aliasedTable, countCell, jsonSql, type DatabaseHandle } from "@atbb/db";
import { and, desc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { getUserRole } from "../permissions.ts";
import { serializeRole, type User } from "./bodies/members.ts";
import { iso } from "./bodies/time.ts";
import { authorNotBanned } from "./queries.ts";

export interface RecentPost {
  id: number;
  topicId: number;
  title: string | null;
  text: string;
  createdAt: Date;
}

export function memberProfiles(database: DatabaseHandle, forumDid: string | null) {
  const { db, schema } = database;
  const { users, memberships, posts } = schema;
  const { table: root, from: rootFrom } = aliasedTable(posts, "root");
  // What a reader can find of the member: their topics on a board of the
  // forum and their replies in those topics' threads, except replies the
  // network saw after the topic was locked or deleted (the rules of
  // topicPage and of the reply counts, indexer/aggregates.ts).
  const shown = or(
    and(isNull(posts.rootUri), isNotNull(posts.boardId)),
    and(
      isNull(root.rootUri),
      isNotNull(root.boardId),
      or(isNull(root.lockedAt), lte(posts.seenAt, root.lockedAt)),
      or(isNull(root.deletedAt), lte(posts.seenAt, root.deletedAt)),
    ),
  );
  const postCountText =
    database.sqlText(sql`select count(*) from ${posts} left join ${rootFrom} on ${root.id} = ${posts.rootId}
    where ${posts.did} = ${jsonSql[database.dialect].param(1)} and ${posts.deletedByUser} = false and ${shown}`);

  return {
    /** The member as /api/users/{did} answers; null when the forum has never seen them. */
    async profile(did: string): Promise<z.input<typeof User> | null> {
      const [user] = await db.select().from(users).where(eq(users.did, did));
      if (!user) return null;
      const active = user.accountStatus === "active";
      const [[membership], role, [posted]] = await Promise.all([
        db
          .select()
          .from(memberships)
          .where(eq(memberships.did, did))
          .orderBy(desc(memberships.createdAt), desc(memberships.id))
          .limit(1),
        getUserRole({ ...database, forumDid }, did),
        database.values(postCountText, [did]),
      ]);
      return {
        did,
        handle: active ? user.handle : null,
        accountStatus: user.accountStatus,
        joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
        role: role ? serializeRole(role) : null,
        postCount: countCell(posted![0]),
      };
    },

    /** The member's latest posts a reader can find with their content shown (not removed, nor the author banned), newest first. */
    async recentPosts(did: string, limit: number): Promise<RecentPost[]> {
      // drizzle types a left join of a table to its own alias as `never` (both are "posts"): the row is as selected.
      const rows = (await db
        .select({
          id: posts.id,
          rootId: posts.rootId,
          title: posts.title,
          text: posts.text,
          createdAt: posts.createdAt,
        })
        .from(posts)
        .leftJoin(root, eq(root.id, posts.rootId))
        .where(
          and(
            eq(posts.did, did),
            eq(posts.deletedByUser, false),
            eq(posts.deletedByMod, false),
            authorNotBanned(database, posts, new Date()),
            shown,
          ),
        )
        .orderBy(desc(posts.postedAt), desc(posts.id))
        .limit(limit)) as unknown as (Omit<RecentPost, "topicId"> & { rootId: number | null })[];
      return rows.map((row) => ({ ...row, topicId: row.rootId ?? row.id }));
    },
  };
}
