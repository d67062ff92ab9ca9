import type { DatabaseHandle } from "@atbb/db";
import { asc, desc, ne } from "drizzle-orm";
import type { MemberAccess } from "../../../login/access.ts";
import { PERMISSION } from "../../../permissions.ts";
import { forumActing } from "../../acting.ts";
import { iso } from "../../bodies/time.ts";
import { mount, resource } from "../../resource.ts";
import { backfillState } from "../../setup.ts";
import * as routes from "./routes.ts";

const UNFINISHED_SHOWN = 100;

/** The backfill's state, what is unfinished, and a page of its errors (the API's and the administration pages' one read). */
export async function backfillReport(database: DatabaseHandle, offset: number, limit: number) {
  const { db, schema } = database;
  const { backfillErrors, backfillProgress } = schema;
  const [state, unfinished, errors] = await Promise.all([
    backfillState(database),
    db
      .select()
      .from(backfillProgress)
      .where(ne(backfillProgress.status, "done"))
      // "failed" sorts before "pending" and "running": the ones to look at first.
      .orderBy(asc(backfillProgress.status), asc(backfillProgress.did), asc(backfillProgress.collection))
      .limit(UNFINISHED_SHOWN),
    db
      .select()
      .from(backfillErrors)
      .orderBy(desc(backfillErrors.createdAt), desc(backfillErrors.id))
      .limit(limit)
      .offset(offset),
  ]);
  return {
    status: state.status,
    done: state.done,
    running: state.running,
    failed: state.failed,
    unfinished: unfinished.map((u) => ({
      did: u.did,
      collection: u.collection,
      status: u.status,
      recordsIndexed: u.recordsIndexed,
      updatedAt: iso(u.updatedAt),
    })),
    errors: errors.map((e) => ({
      id: String(e.id),
      did: e.did,
      collection: e.collection,
      uri: e.uri,
      error: e.error,
      createdAt: iso(e.createdAt),
    })),
    total: state.errors,
  };
}

export function backfillRoutes(database: DatabaseHandle, access: MemberAccess | null) {
  const app = resource();
  // Reads only: it never asks for the forum's writer.
  const acting = forumActing(database, access, null);
  mount(app, routes.report, async (c, { query: { offset, limit } }) => {
    await acting.actor(c, PERMISSION.manageMembers, "see the backfill's errors");
    return c.json({ ...(await backfillReport(database, offset, limit)), offset, limit }, 200);
  });
  return app;
}
