// Members' reports of posts, kept in the AppView's database only (a report
// is between a member and the moderators; it is never written to a PDS).
// A member files one per post while it is open; moderators read the queue,
// open ones first, with the post and its author; a resolution is recorded
// once (a report already resolved is not resolved again).
import type { DatabaseHandle } from "@atbb/db";
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { postRows } from "../api/queries.ts";

export const REPORT_REASONS = ["spam", "harassment", "off_topic", "illegal", "other"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const RESOLUTIONS = ["dismissed", "hidden", "banned"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface ReportedPost {
  id: number;
  did: string;
  rkey: string;
  cid: string;
  title: string | null;
  text: string;
  handle: string | null;
  /** The topic it is in; null for a topic (and for a reply whose topic has not arrived). */
  rootId: number | null;
  deletedByUser: boolean;
  deletedByMod: boolean;
}

export function reportStore(database: DatabaseHandle) {
  const { db, schema } = database;
  const { reports, posts, users } = schema;

  const reportColumns = {
    id: reports.id,
    reporterDid: reports.reporterDid,
    postDid: reports.postDid,
    postRkey: reports.postRkey,
    postCid: reports.postCid,
    reason: reports.reason,
    text: reports.text,
    createdAt: reports.createdAt,
    resolution: reports.resolution,
    resolvedBy: reports.resolvedBy,
    resolvedAt: reports.resolvedAt,
    modActionUri: reports.modActionUri,
  };
  const postColumns = {
    id: posts.id,
    did: posts.did,
    rkey: posts.rkey,
    cid: posts.cid,
    title: posts.title,
    text: posts.text,
    handle: users.handle,
    rootId: posts.rootId,
    deletedByUser: posts.deletedByUser,
    deletedByMod: posts.deletedByMod,
  };
  /** Reports with their post (null once it is gone from the index) and its author's handle. */
  const withPosts = () =>
    db
      .select({ report: reportColumns, post: postColumns })
      .from(reports)
      .leftJoin(posts, and(eq(posts.did, reports.postDid), eq(posts.rkey, reports.postRkey)))
      .leftJoin(users, eq(users.did, reports.postDid));
  // Open first (no resolution yet: resolved_at null, which the dialects sort differently unless told), oldest first.
  const queueOrder = [sql`${reports.resolvedAt} is null desc`, asc(reports.createdAt), asc(reports.id)];

  return {
    async post(id: number): Promise<ReportedPost | null> {
      const [row] = await postRows(database, eq(posts.id, id));
      return row ?? null;
    },

    /** The member's open report of the post, if they filed one. */
    async openReportOf(reporterDid: string, post: ReportedPost): Promise<number | null> {
      const [row] = await db
        .select({ id: reports.id })
        .from(reports)
        .where(
          and(
            eq(reports.reporterDid, reporterDid),
            eq(reports.postDid, post.did),
            eq(reports.postRkey, post.rkey),
            isNull(reports.resolvedAt),
          ),
        );
      return row?.id ?? null;
    },

    async file(reporterDid: string, post: ReportedPost, reason: ReportReason, text: string) {
      const [row] = await db
        .insert(reports)
        .values({
          reporterDid,
          postDid: post.did,
          postRkey: post.rkey,
          postCid: post.cid,
          reason,
          text,
          createdAt: new Date(),
        })
        .returning({ id: reports.id });
      return row!.id;
    },

    async queue(offset: number, limit: number) {
      const [rows, [total]] = await Promise.all([
        withPosts()
          .orderBy(...queueOrder)
          .limit(limit)
          .offset(offset),
        db.select({ n: count() }).from(reports),
      ]);
      return { rows, total: Number(total?.n ?? 0) };
    },

    async byReporter(reporterDid: string, offset: number, limit: number) {
      const [rows, [total]] = await Promise.all([
        withPosts()
          .where(eq(reports.reporterDid, reporterDid))
          .orderBy(desc(reports.createdAt), desc(reports.id))
          .limit(limit)
          .offset(offset),
        db.select({ n: count() }).from(reports).where(eq(reports.reporterDid, reporterDid)),
      ]);
      return { rows, total: Number(total?.n ?? 0) };
    },

    async one(id: number) {
      const [row] = await withPosts().where(eq(reports.id, id));
      return row ?? null;
    },

    /** Records the resolution; false when someone resolved it first. */
    async resolve(id: number, resolution: Resolution, moderatorDid: string, modActionUri: string | null) {
      const resolved = await db
        .update(reports)
        .set({ resolution, resolvedBy: moderatorDid, resolvedAt: new Date(), modActionUri })
        .where(and(eq(reports.id, id), isNull(reports.resolvedAt)))
        .returning({ id: reports.id });
      return resolved.length === 1;
    },
  };
}

export type ReportStore = ReturnType<typeof reportStore>;
export type ReportRow = NonNullable<Awaited<ReturnType<ReportStore["one"]>>>;
