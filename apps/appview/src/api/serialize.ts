// Database rows → API JSON: ids as strings, timestamps as ISO-8601 with
// milliseconds, and moderation applied to what a post shows.
import type { PostRow } from "./queries.ts";

const DAY_MS = 86_400_000;
const dayPrefixes = new Map<number, string>();
const twoDigits = (n: number) => (n < 10 ? "0" : "") + n;

/**
 * date.toISOString(), which costs about a microsecond a call, and a page
 * shows up to 250 dates: the day ("2026-11-22T", from toISOString, so
 * extended years stay right) is remembered, posts share days; the time of
 * day is arithmetic.
 */
export function iso(date: Date | null): string | null {
  if (date === null) return null;
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    prefix = date.toISOString().slice(0, -"00:00:00.000Z".length);
    dayPrefixes.set(day, prefix);
  }
  const msOfDay = ms - day * DAY_MS;
  const second = Math.floor(msOfDay / 1000);
  const milli = msOfDay % 1000;
  return `${prefix}${twoDigits(Math.floor(second / 3600))}:${twoDigits(Math.floor(second / 60) % 60)}:${twoDigits(second % 60)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}
export const idString = (id: number | null): string | null => (id === null ? null : String(id));

/** Why a post's content is not shown, or null when it is. */
export function hiddenReason(post: PostRow, now: Date): string | null {
  if (post.deletedByUser) return "deleted_by_author";
  if (post.deletedByMod) return "removed_by_moderator";
  if (post.bannedByMod && (post.banExpiresAt === null || post.banExpiresAt > now)) return "author_banned";
  if (post.accountStatus !== null && post.accountStatus !== "active") return "author_unavailable";
  return null;
}

export function serializePost(post: PostRow, now: Date) {
  const hidden = hiddenReason(post, now);
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

export function serializeTopic(post: PostRow, now: Date) {
  return {
    ...serializePost(post, now),
    boardId: idString(post.boardId),
    locked: post.locked,
    replyCount: post.replyCount,
    lastReplyAt: iso(post.lastReplyAt),
    lastActivityAt: iso(post.lastActivityAt ?? post.createdAt),
  };
}

export function serializeReply(post: PostRow, now: Date) {
  return { ...serializePost(post, now), parentId: idString(post.parentId) };
}
