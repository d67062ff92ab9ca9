import type { DatabaseHandle } from "@atbb/db";
import { count, desc } from "drizzle-orm";
import { Hono } from "hono";
import { iso } from "../serialize.ts";
import { documented, pagination, parse } from "../validation.ts";

const page = pagination(50, 100);

documented({ method: "get", path: "/api/mod-actions", summary: "The public moderation log, newest first", query: page });

export function modActionRoutes({ db, schema }: DatabaseHandle) {
  const { modActions } = schema;
  return new Hono().get("/", async (c) => {
    const { offset, limit } = parse(page, c.req.query());
    const [rows, [total]] = await Promise.all([
      db.select().from(modActions).orderBy(desc(modActions.createdAt), desc(modActions.id)).limit(limit).offset(offset),
      db.select({ n: count() }).from(modActions),
    ]);
    const now = new Date();
    return c.json({
      modActions: rows.map((a) => ({
        id: String(a.id),
        uri: `at://${a.did}/space.atbb.modAction/${a.rkey}`,
        action: a.action,
        subject: a.subjectDid ? { did: a.subjectDid } : { postUri: a.subjectPostUri },
        reason: a.reason,
        createdBy: a.createdBy,
        createdAt: iso(a.createdAt),
        expiresAt: iso(a.expiresAt),
        expired: a.expiresAt !== null && a.expiresAt <= now,
      })),
      total: total!.n,
      offset,
      limit,
    });
  });
}
