import type { DatabaseHandle } from "@atbb/db";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import { iso } from "../serialize.ts";
import { documented } from "../validation.ts";

documented({ method: "get", path: "/api/forum", summary: "The forum: name and description" });

export function forumRoutes(database: DatabaseHandle, forumDid: string | null) {
  const { db, schema } = database;
  const { forums } = schema;
  return new Hono().get("/", async (c) => {
    const query = db.select().from(forums).orderBy(asc(forums.id)).limit(1);
    const [forum] = forumDid ? await query.where(eq(forums.did, forumDid)) : await query;
    if (!forum) throw notFound("The forum record");
    return c.json({
      id: String(forum.id),
      did: forum.did,
      uri: `at://${forum.did}/space.atbb.forum.forum/${forum.rkey}`,
      name: forum.name,
      description: forum.description,
      createdAt: iso(forum.createdAt),
    });
  });
}
