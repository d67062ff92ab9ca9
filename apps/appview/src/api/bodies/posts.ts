// Topics and replies as the API shows them, moderation applied: a post whose
// content is not shown keeps its place (the thread keeps its shape) with
// title and text null and the reason in `hidden`.
import { z } from "@hono/zod-openapi";
import type { PostRow } from "../queries.ts";
import { AtUri, Id, iso, idString, Timestamp } from "./time.ts";

export const HIDDEN_REASONS = [
  "deleted_by_author",
  "removed_by_moderator",
  "after_lock",
  "after_topic_deleted",
  "author_banned",
  "author_unavailable",
] as const;
export type HiddenReason = (typeof HIDDEN_REASONS)[number];

export const Post = z.strictObject({
  id: Id,
  uri: AtUri,
  cid: z.string(),
  author: z.strictObject({
    did: z.string(),
    handle: z.string().nullable().describe("null until verified, and while the account is unavailable"),
  }),
  title: z.string().nullable(),
  text: z.string().nullable(),
  hidden: z.enum(HIDDEN_REASONS).nullable().describe("Why title and text are not shown, or null when they are"),
  createdAt: Timestamp,
  editedAt: Timestamp.nullable(),
});

export const Topic = Post.extend({
  boardId: Id.nullable(),
  locked: z.boolean(),
  pinned: z
    .boolean()
    .describe("Held above the board's other topics by a moderator; the board lists pinned topics first"),
  replyCount: z.number().int().describe("Visible replies"),
  lastReplyAt: Timestamp.nullable().describe(
    "When the latest visible reply was written: the earlier of its createdAt and when the network saw it",
  ),
  lastActivityAt: Timestamp.describe(
    "The later of lastReplyAt and when the topic was written (the earlier of its createdAt and when the network saw it): the board's sort key. createdAt is the author's claim, shown as given",
  ),
}).openapi("Topic");

export const Reply = Post.extend({
  parentId: Id.nullable().describe(
    "The post replied to: the topic or one of its replies; null when the parent is not (yet) a post of this thread",
  ),
  quote: AtUri.nullable().describe(
    "The post this reply quotes, as its record names it; a reader shows it only when it is a post of this thread (the topic or one of its replies) and not hidden. null when there is none, or while the reply is hidden",
  ),
}).openapi("Reply");

/**
 * Whether a post is hidden for its author's ban now: its banned_by_mod stands
 * while the ban does, and a ban with an end stops hiding once the end passes,
 * with no write (`banExpiresAt`: the author's ban end, null for none or no
 * author row). The same rule in SQL: `authorNotBanned`.
 */
export const bannedNow = (post: { bannedByMod: boolean; banExpiresAt: Date | null }, now: Date) =>
  post.bannedByMod && (post.banExpiresAt === null || post.banExpiresAt > now);

/**
 * Why a post's content is not shown, or null when it is. A reply the network
 * saw after its topic was locked, or deleted by its author, is not part of
 * the thread (`topic`: the reply's topic).
 */
export function hiddenReason(post: PostRow, now: Date, topic?: PostRow): HiddenReason | null {
  if (post.deletedByUser) return "deleted_by_author";
  if (post.deletedByMod) return "removed_by_moderator";
  if (topic && after(post, topic.lockedAt)) return "after_lock";
  if (topic && after(post, topic.deletedAt)) return "after_topic_deleted";
  if (bannedNow(post, now)) return "author_banned";
  if (post.accountStatus !== null && post.accountStatus !== "active") return "author_unavailable";
  return null;
}

/** Whether the network saw the post after `moment` (the same comparison as the reply counts in indexer/aggregates.ts). */
const after = (post: PostRow, moment: Date | null) =>
  moment !== null && !(post.seenAt !== null && post.seenAt <= moment);

export function serializePost(post: PostRow, now: Date, topic?: PostRow): z.input<typeof Post> {
  const hidden = hiddenReason(post, now, topic);
  return {
    id: String(post.id),
    uri: `at://${post.did}/space.atbb.post/${post.rkey}`,
    cid: post.cid,
    author: { did: post.did, handle: hidden === "author_unavailable" ? null : post.handle },
    title: hidden ? null : post.title,
    text: hidden ? null : post.text,
    hidden,
    createdAt: iso(post.createdAt),
    editedAt: iso(post.updatedAt),
  };
}

export function serializeTopic(post: PostRow, now: Date): z.input<typeof Topic> {
  return {
    ...serializePost(post, now),
    boardId: idString(post.boardId),
    locked: post.locked,
    pinned: post.pinned,
    replyCount: post.replyCount,
    lastReplyAt: iso(post.lastReplyAt),
    lastActivityAt: iso(post.lastActivityAt ?? post.createdAt),
  };
}

export function serializeReply(post: PostRow, now: Date, topic: PostRow): z.input<typeof Reply> {
  const body = serializePost(post, now, topic);
  return { ...body, parentId: idString(post.parentId), quote: body.hidden ? null : post.quoteUri };
}
