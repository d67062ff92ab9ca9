// The hot reads (the forum index, a board's topics, a topic; as JSON and as
// pages) answered from memory for logged-out readers, and an ETag on every
// answer of theirs so that a revisit costs a 304.
//
// Exact, not "fresh enough": an answer is kept with the database's data
// version read *before* it was rendered (DatabaseHandle.dataVersion), and
// given again only while the version is still the same, read anew for every
// request. Whatever the answer shows was committed at or after that version,
// so while no commit has moved the version it is what a fresh render would
// give, byte for byte. No writer has to tell the cache anything, which is
// what makes the order of events safe:
// - The indexer's batches commit in their own thread (or another process);
//   the version moves at the commit, and the next request reads it.
// - A local write answers its HTTP request only once the indexing thread has
//   committed it (Indexing.applyLocal resolves on the thread's "applied"
//   message, sent after the commit), so any read that starts after the
//   writer's answer reads the moved version.
// - With several `atbb serve` processes on one PostgreSQL, or on one SQLite
//   file, the version is the database's, so another process's writes move
//   it too.
// - The clock changes one thing with no write: a ban with an end stops hiding
//   its member's posts when the end passes. The next such end is part of the
//   version (answerVersion), so an answer is never kept past it.
// Where the database has no cheap version (an in-memory or remote SQLite),
// nothing is kept; ETags still spare the body.
//
// Measured by `pnpm bench` (docs/performance.md, "Hot reads from memory"):
// with it, the hot routes ran at ~0.2–0.9 × a fixed-body Hono server's req/s
// at 50 connections, against ~0.01–0.17 × without. It can go once a render
// costs about what a kept answer's version check costs.
//
// Members' answers are never kept: they carry the member's unread marks and
// buttons. A request with any cookie or Authorization header is treated as a
// member's (a stale cookie too: its answer may clear the cookie).
import type { DatabaseHandle } from "@atbb/db";
import { gt, min } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createHash } from "node:crypto";

/** The reads worth keeping: asked for by every reader, and each one statement or a few. */
const HOT_READS = [
  /^\/api\/forum$/,
  /^\/api\/categories$/,
  /^\/api\/boards\/[^/]+\/topics$/,
  /^\/api\/topics\/[^/]+$/,
  /^\/$/,
  /^\/b\/[^/]+$/,
  /^\/t\/[^/]+$/,
];

export const isHotRead = (path: string): boolean => HOT_READS.some((pattern) => pattern.test(path));

/** What is kept of an answer: enough to give it again as it was. */
export interface KeptAnswer {
  body: Uint8Array;
  headers: [string, string][];
  etag: string;
}

/**
 * Answers by key, all of one data version, least recently used first out once
 * their bytes pass `maxBytes`. A new version empties it: every answer kept
 * before is stale at once, and keeping them would only hold memory.
 */
export class AnswerStore {
  #answers = new Map<string, KeptAnswer & { bytes: number }>();
  #version: string | null = null;
  #bytes = 0;

  readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#answers.size;
  }

  /** The answer kept for `key` at `version`, or undefined. */
  get(key: string, version: string): KeptAnswer | undefined {
    this.#moveTo(version);
    const answer = this.#answers.get(key);
    if (!answer) return undefined;
    this.#answers.delete(key);
    this.#answers.set(key, answer);
    return answer;
  }

  /**
   * Keeps `answer`, rendered after `version` was read, unless the version has
   * moved since: then it may show data older than what is current.
   */
  set(key: string, version: string, answer: KeptAnswer): void {
    if (version !== this.#version) return;
    // Keys and headers are counted as their characters; the body as its bytes.
    const bytes =
      key.length + answer.body.byteLength + answer.headers.reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    if (bytes > this.maxBytes) return;
    const before = this.#answers.get(key);
    if (before) {
      this.#answers.delete(key);
      this.#bytes -= before.bytes;
    }
    for (const [oldest, kept] of this.#answers) {
      if (this.#bytes + bytes <= this.maxBytes) break;
      this.#answers.delete(oldest);
      this.#bytes -= kept.bytes;
    }
    this.#answers.set(key, { ...answer, bytes });
    this.#bytes += bytes;
  }

  #moveTo(version: string): void {
    if (version === this.#version) return;
    this.#answers.clear();
    this.#bytes = 0;
    this.#version = version;
  }
}

/** A strong ETag over the body: equal bodies, equal tags, whatever the version. */
export const etagOf = (body: Uint8Array): string => `"${createHash("sha1").update(body).digest("base64url")}"`;

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for it). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}

/** Says whether a logged-out reader's answer came from memory ("hit") or was rendered ("miss"). */
export const CACHE_HEADER = "x-atbb-cache";

const notModified = (etag: string) => new Response(null, { status: 304, headers: { etag } });

/**
 * The middleware for the hot reads: a kept answer when there is one (or a
 * 304), else the route's answer with its ETag, kept for the next reader.
 * `store` null: nothing is kept (RESPONSE_CACHE=off), ETags still answer.
 */
export function hotReads(database: DatabaseHandle, store: AnswerStore | null): MiddlewareHandler {
  const version = answerVersion(database);
  return async (c, next) => {
    if (c.req.method !== "GET" || !isHotRead(c.req.path)) return next();
    const anonymous = c.req.header("cookie") === undefined && c.req.header("authorization") === undefined;
    // HTMX asks a board page for its rows alone: another answer for the same
    // address. The pages are compressed for a reader who accepts it (their
    // compress middleware runs inside this one): a gzip body is no answer for
    // a reader who did not ask for it.
    const key = `${c.req.url} ${c.req.header("hx-request") ?? ""} ${c.req.header("accept-encoding") ?? ""}`;
    const at = anonymous && store ? await version() : null;
    if (at !== null) {
      const kept = store!.get(key, at);
      if (kept) {
        if (matches(c.req.header("if-none-match"), kept.etag)) return notModified(kept.etag);
        const headers = new Headers(kept.headers);
        headers.set(CACHE_HEADER, "hit");
        return new Response(kept.body, { status: 200, headers });
      }
    }
    await next();
    if (c.res.status !== 200 || c.res.headers.has("set-cookie")) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const etag = etagOf(body);
    const headers = new Headers(c.res.headers);
    headers.set("etag", etag);
    if (at !== null) store!.set(key, at, { body, headers: [...headers], etag });
    if (at !== null) headers.set(CACHE_HEADER, "miss");
    const fresh = new Response(body, { status: 200, headers });
    // Hono copies the earlier answer's headers into the one set here; a 304 must not claim the body's type.
    c.res = undefined;
    c.res = matches(c.req.header("if-none-match"), etag) ? notModified(etag) : fresh;
  };
}

/**
 * The version an answer is kept at: the database's data version, and the
 * moment the clock alone next changes what the reads show. A ban with an end
 * stops hiding its member's posts when the end passes, with no write to move
 * the data version (bodies/posts.ts hiddenReason reads the clock), so until
 * that moment is part of the version: once it passes, every answer kept
 * before it is stale. The moment is read again only when the data version
 * moves or the moment passes. Null: nothing can be kept.
 */
export function answerVersion(database: DatabaseHandle): () => Promise<string | null> {
  const { users } = database.schema;
  let known: { data: string; until: number } | null = null;
  return async () => {
    const data = await database.dataVersion();
    if (data === null) return null;
    const now = Date.now();
    if (known === null || known.data !== data || now >= known.until) {
      const [row] = await database.db
        .select({ at: min(users.banExpiresAt) })
        .from(users)
        .where(gt(users.banExpiresAt, new Date(now)));
      known = { data, until: row?.at ? new Date(row.at).getTime() : Number.POSITIVE_INFINITY };
    }
    return `${data} ${known.until}`;
  };
}
