// Members' posts, written to their own repository first and then applied
// locally at once through the indexer's local-apply entry, so the author's
// next read shows them and the firehose echo changes nothing. Every check
// runs before the first write: a refused request writes nothing anywhere.
import type { DatabaseHandle } from "@atbb/db";
import { ids, validatePublishedRecord } from "@atbb/lexicon";
import { recordUri } from "@atbb/lexicon/syntax";
import { isExpectedSessionError, type OAuthSession } from "@atproto/oauth-client-node";
import { and, eq } from "drizzle-orm";
import type { Candidate } from "../events/index.ts";
import type { MemberAccess } from "../login/access.ts";
import { banInForce } from "../moderation/state.ts";
import {
  memberRepository,
  PdsRefusedError,
  PdsUnavailableError,
  RecordConflictError,
  type MemberRepository,
  type WrittenRecord,
} from "../login/repository.ts";
import { checkPermission, PERMISSION } from "../permissions.ts";
import { Refusal } from "./refusal.ts";

export { Refusal };
import { TEXT_MAX_GRAPHEMES, TITLE_MAX_GRAPHEMES, tooLong, type WriteLimiter } from "./limits.ts";

export interface Written {
  id: number;
  uri: string;
  cid: string;
}

const strongRef = (did: string, collection: string, row: { rkey: string; cid: string }) => ({
  uri: recordUri(did, collection, row.rkey),
  cid: row.cid,
});

export function postWriting(database: DatabaseHandle, access: MemberAccess, limiter: WriteLimiter) {
  const { db, schema } = database;
  const { boards, forums, posts } = schema;

  const checkLength = (what: string, value: string, max: number) => {
    const problem = tooLong(what, value, max);
    if (problem) throw new Refusal(400, "invalid_request", problem);
  };

  async function refuseBanned(did: string): Promise<void> {
    const ban = await banInForce(database, access.forumDid, did);
    if (ban === null) return;
    const until = ban.expiresAt ? ` until ${ban.expiresAt.toISOString()}` : "";
    throw new Refusal(403, "banned", `You are banned from this forum${until}: you cannot post.`);
  }

  async function refuseWithout(did: string, permission: string, what: string): Promise<void> {
    if (!(await checkPermission({ ...database, forumDid: access.forumDid }, did, permission)))
      throw new Refusal(403, "no_permission", `Your role in this forum does not let you ${what}.`);
  }

  function refuseRateLimited(did: string): void {
    const wait = limiter.wait(did);
    if (wait > 0)
      throw new Refusal(429, "rate_limited", `You are writing too fast: wait ${wait} s and try again.`, wait);
  }

  async function forumRef() {
    const [forum] = await db
      .select({ rkey: forums.rkey, cid: forums.cid })
      .from(forums)
      .where(eq(forums.did, access.forumDid))
      .limit(1);
    if (!forum)
      throw new Refusal(503, "forum_not_indexed", "The forum's own record is not indexed yet; try again shortly.");
    return { $type: `${ids.post}#forumRef`, forum: strongRef(access.forumDid, ids.forum, forum) };
  }

  /** The member's OAuth session, refreshed if need be; a session the server ended is a 401. */
  async function repositoryOf(did: string): Promise<MemberRepository> {
    let session: OAuthSession;
    try {
      session = await access.login.client.restore(did);
    } catch (error) {
      if (isExpectedSessionError(error)) {
        await access.sessions.endAll(did);
        throw new Refusal(401, "unauthenticated", "Your login has ended at your PDS: log in again.");
      }
      throw new Refusal(
        503,
        "pds_unreachable",
        `Your PDS could not be reached to renew your login (${(error as Error).message}); nothing was written.`,
      );
    }
    return memberRepository(session);
  }

  /** Writes a record the AppView built, then applies it locally; returns its row id. */
  async function publish(
    repository: MemberRepository,
    record: Record<string, unknown>,
    write: () => Promise<WrittenRecord>,
    operation: "create" | "update",
  ): Promise<Written> {
    const valid = validatePublishedRecord(ids.post, record);
    // The AppView built this record: one its own lexicon refuses is a bug here, not the member's input.
    if (!valid.ok) throw new Error(`a post built for writing does not validate: ${valid.reason}`);
    const written = await translate(write);
    limiter.count(repository.did);
    const rkey = written.uri.split("/").pop()!;
    await applyLocally({
      kind: "commit",
      timeUs: Date.now() * 1000,
      did: repository.did,
      collection: ids.post,
      rkey,
      operation,
      cid: written.cid,
      rev: written.rev,
      record,
    });
    const [row] = await db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.did, repository.did), eq(posts.rkey, rkey)));
    return { id: row!.id, uri: written.uri, cid: written.cid };
  }

  async function applyLocally(candidate: Candidate): Promise<void> {
    const verdict = await access.indexer.applyLocal(candidate);
    if (!verdict.ok)
      throw new Error(
        `a post written to the PDS was refused by the indexer (${verdict.rejection.reason}: ${verdict.rejection.detail})`,
      );
  }

  async function ownPost(did: string, id: number) {
    const [post] = await db.select().from(posts).where(eq(posts.id, id));
    if (!post || post.deletedByUser) throw new Refusal(404, "not_found", `Post ${id} was not found.`);
    if (post.did !== did) throw new Refusal(403, "not_yours", "You can only change your own posts.");
    return post;
  }

  async function refuseLocked(topicId: number | null, what: string): Promise<void> {
    if (topicId === null) return;
    const [topic] = await db.select({ locked: posts.locked }).from(posts).where(eq(posts.id, topicId));
    if (topic?.locked) throw new Refusal(403, "locked", `The topic is locked: you cannot ${what}.`);
  }

  return {
    async createTopic(did: string, input: { boardId: number; title: string; text: string }): Promise<Written> {
      checkLength("The title", input.title, TITLE_MAX_GRAPHEMES);
      checkLength("The text", input.text, TEXT_MAX_GRAPHEMES);
      const [board] = await db
        .select({ did: boards.did, rkey: boards.rkey, cid: boards.cid })
        .from(boards)
        .where(eq(boards.id, input.boardId));
      if (!board || board.did !== access.forumDid)
        throw new Refusal(404, "not_found", `Board ${input.boardId} was not found.`);
      await refuseBanned(did);
      await refuseWithout(did, PERMISSION.createTopics, "start topics");
      refuseRateLimited(did);
      const record = {
        $type: ids.post,
        title: input.title,
        text: input.text,
        forum: await forumRef(),
        board: { $type: `${ids.post}#boardRef`, board: strongRef(board.did, ids.board, board) },
        createdAt: new Date().toISOString(),
      };
      const repository = await repositoryOf(did);
      return publish(repository, record, () => repository.create(ids.post, record), "create");
    },

    async reply(
      did: string,
      topicId: number,
      input: { parentId?: number | undefined; quoteId?: number | undefined; text: string },
    ): Promise<Written> {
      checkLength("The text", input.text, TEXT_MAX_GRAPHEMES);
      const [topic] = await db.select().from(posts).where(eq(posts.id, topicId));
      if (!topic || topic.rootUri !== null || topic.deletedByUser)
        throw new Refusal(404, "not_found", `Topic ${topicId} was not found.`);
      /** The post `id` names, which must be the topic or one of its replies. */
      const inThread = async (postId: number | undefined, what: string) => {
        if (postId === undefined || postId === topicId) return topic;
        const [post] = await db.select().from(posts).where(eq(posts.id, postId));
        if (!post) throw new Refusal(404, "not_found", `Post ${postId} was not found.`);
        if (post.rootId !== topic.id)
          throw new Refusal(
            400,
            "invalid_request",
            `Post ${postId} is not in topic ${topicId}: ${what} a post of the same thread.`,
          );
        return post;
      };
      const parent = await inThread(input.parentId, "reply to");
      const quoted = input.quoteId === undefined ? null : await inThread(input.quoteId, "quote");
      if (quoted && (quoted.deletedByUser || quoted.deletedByMod || quoted.bannedByMod))
        throw new Refusal(400, "invalid_request", `Post ${input.quoteId} is hidden: it cannot be quoted.`);
      await refuseBanned(did);
      if (topic.locked) throw new Refusal(403, "locked", "The topic is locked: you cannot reply.");
      await refuseWithout(did, PERMISSION.createPosts, "reply");
      refuseRateLimited(did);
      const record = {
        $type: ids.post,
        text: input.text,
        forum: await forumRef(),
        reply: {
          $type: `${ids.post}#replyRef`,
          root: strongRef(topic.did, ids.post, topic),
          parent: strongRef(parent.did, ids.post, parent),
        },
        ...(quoted ? { quote: { $type: `${ids.post}#quoteRef`, post: strongRef(quoted.did, ids.post, quoted) } } : {}),
        createdAt: new Date().toISOString(),
      };
      const repository = await repositoryOf(did);
      return publish(repository, record, () => repository.create(ids.post, record), "create");
    },

    /** Resends the whole record with the new text (and title), swapping only the version the member saw. */
    async edit(
      did: string,
      id: number,
      input: { cid: string; text: string; title?: string | undefined },
    ): Promise<Written> {
      checkLength("The text", input.text, TEXT_MAX_GRAPHEMES);
      if (input.title !== undefined) checkLength("The title", input.title, TITLE_MAX_GRAPHEMES);
      const post = await ownPost(did, id);
      if (input.title !== undefined && post.rootUri !== null)
        throw new Refusal(400, "invalid_request", "Only a topic has a title; a reply's edit sends text alone.");
      await refuseBanned(did);
      await refuseLocked(post.rootUri === null ? post.id : post.rootId, "edit its posts");
      refuseRateLimited(did);
      const repository = await repositoryOf(did);
      const current = await translate(() => repository.get(ids.post, post.rkey));
      if (current === null || current.cid !== input.cid)
        throw new Refusal(409, "conflict", "The post changed since you saw it: reload it and edit again.");
      const record = {
        ...current.value,
        text: input.text,
        ...(input.title !== undefined ? { title: input.title } : {}),
      };
      return publish(repository, record, () => repository.put(ids.post, post.rkey, record, input.cid), "update");
    },

    async remove(did: string, id: number, input: { cid?: string | undefined }): Promise<void> {
      const post = await ownPost(did, id);
      if (input.cid !== undefined && input.cid !== post.cid)
        throw new Refusal(409, "conflict", "The post changed since you saw it: reload it before deleting it.");
      await refuseBanned(did);
      refuseRateLimited(did);
      const repository = await repositoryOf(did);
      const rev = await translate(() => repository.delete(ids.post, post.rkey, input.cid));
      limiter.count(did);
      await applyLocally({
        kind: "commit",
        timeUs: Date.now() * 1000,
        did,
        collection: ids.post,
        rkey: post.rkey,
        operation: "delete",
        rev,
      });
    },
  };
}

/** The PDS's failures as refusals: unreachable is a 503, a lost swap a 409. */
async function translate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof PdsUnavailableError) throw new Refusal(503, "pds_unreachable", error.message);
    if (error instanceof RecordConflictError) throw new Refusal(409, "conflict", error.message);
    if (error instanceof PdsRefusedError)
      throw new Refusal(
        error.status === 401 ? 401 : 503,
        error.status === 401 ? "unauthenticated" : "pds_refused",
        error.message,
      );
    throw error;
  }
}

export type PostWriting = ReturnType<typeof postWriting>;
