// Moderators acting through the forum: each action is a space.atbb.modAction
// the forum account writes, naming the moderator who took it (createdBy),
// applied locally at once by the forum's writer. Every check runs before the
// write, so a refused action writes nothing anywhere: the actor's permission,
// the target (a known member, a topic, a post), the hierarchy (the actor's
// role must outrank the member acted on, or the post's author), and whether
// the action would change anything at all (if not, nothing is written).
import type { DatabaseHandle, Schema } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import { ForumWriteError, type ForumWriter } from "../forum-agent/writer.ts";
import {
  getUserRole,
  PERMISSION,
  refuseUnlessOutranks,
  refuseUnlessPermitted,
  standingOf,
  type Permission,
} from "../permissions.ts";
import { graphemes } from "../writing/limits.ts";
import { Refusal } from "../writing/refusal.ts";
import { actsOnMember, indexedPost, modActionRecord, type ModSubject, type ModVerb } from "./actions.ts";
import { alreadyHolds } from "./state.ts";

/** space.atbb.modAction's published limit for a reason. */
export const REASON_MAX_GRAPHEMES = 3000;

/** The permission each action needs, and what it lets a moderator do, in words. */
const NEEDS: Record<ModVerb, { permission: Permission; what: string }> = {
  ban: { permission: PERMISSION.banUsers, what: "ban members" },
  unban: { permission: PERMISSION.banUsers, what: "unban members" },
  lock: { permission: PERMISSION.lockTopics, what: "lock topics" },
  unlock: { permission: PERMISSION.lockTopics, what: "unlock topics" },
  pin: { permission: PERMISSION.pinTopics, what: "pin topics" },
  unpin: { permission: PERMISSION.pinTopics, what: "unpin topics" },
  hide: { permission: PERMISSION.moderatePosts, what: "hide posts" },
  unhide: { permission: PERMISSION.moderatePosts, what: "show hidden posts again" },
};

/** What an action names: a member by DID, a topic or any post by its id here. */
export type ModTarget = { member: string } | { topicId: number } | { postId: number };

export interface ModRequest {
  reason?: string | undefined;
  /** Bans only: an ISO 8601 date-time in the future. */
  expiresAt?: string | undefined;
}

export interface ModOutcome {
  /** True when the state already held: nothing was written. */
  alreadyActive: boolean;
  /** The action written (null when nothing was). */
  modAction: Schema["modActions"]["$inferSelect"] | null;
}

function checkedDetails(verb: ModVerb, input: ModRequest, now: Date): ModRequest {
  const reason = input.reason?.trim() ? input.reason : undefined;
  if (reason !== undefined && graphemes(reason) > REASON_MAX_GRAPHEMES)
    throw new Refusal(
      400,
      "invalid_request",
      `reason is ${graphemes(reason)} characters long; at most ${REASON_MAX_GRAPHEMES} fit.`,
    );
  if (input.expiresAt === undefined) return { reason };
  if (verb !== "ban")
    throw new Refusal(400, "invalid_request", "expiresAt is for bans only: other actions last until undone.");
  const at = Date.parse(input.expiresAt);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(input.expiresAt) || Number.isNaN(at))
    throw new Refusal(
      400,
      "invalid_request",
      `expiresAt must be an ISO 8601 date-time with its time zone, such as 2030-01-31T12:00:00Z, not ${JSON.stringify(input.expiresAt)}.`,
    );
  if (at <= now.getTime())
    throw new Refusal(
      400,
      "invalid_request",
      `expiresAt ${input.expiresAt} is not in the future: a ban must end later.`,
    );
  return { reason, expiresAt: new Date(at).toISOString() };
}

/** The forum account's failures as refusals: none of them wrote anything. */
function forumRefusal(error: unknown): never {
  throw error instanceof ForumWriteError ? error.refusal() : error;
}

export function moderation(
  database: DatabaseHandle,
  forumDid: string | null,
  forumWriter: (() => Promise<ForumWriter>) | null,
) {
  const { db, schema } = database;
  const { users, posts, modActions, roleGrants } = schema;

  /** The subject of the action, and whose role the hierarchy compares with the actor's. */
  async function subjectOf(forum: string, target: ModTarget): Promise<{ subject: ModSubject; owner: string }> {
    if ("member" in target) {
      if (target.member === forum)
        throw new Refusal(400, "invalid_request", "The forum account itself cannot be banned or unbanned.");
      // Known: they wrote something the forum indexed (a post, a membership…), or the forum granted them a role.
      const [[author], [grant]] = await Promise.all([
        db.select({ did: users.did }).from(users).where(eq(users.did, target.member)),
        db
          .select({ rkey: roleGrants.rkey })
          .from(roleGrants)
          .where(and(eq(roleGrants.did, forum), eq(roleGrants.rkey, target.member))),
      ]);
      if (!author && !grant) throw new Refusal(404, "not_found", `No member ${target.member} is known to this forum.`);
      return { subject: { did: target.member }, owner: target.member };
    }
    const id = "topicId" in target ? target.topicId : target.postId;
    const what = "topicId" in target ? "Topic" : "Post";
    const post = await indexedPost(database, eq(posts.id, id));
    if (!post || post.deletedByUser || ("topicId" in target && post.rootUri !== null))
      throw new Refusal(404, "not_found", `${what} ${id} was not found.`);
    return { subject: { post: { uri: post.uri, cid: post.cid } }, owner: post.did };
  }

  return {
    async act(actorDid: string, verb: ModVerb, target: ModTarget, input: ModRequest): Promise<ModOutcome> {
      if (forumDid === null)
        throw new Refusal(
          503,
          "forum_account_unavailable",
          "This AppView has no FORUM_DID: there is no forum to moderate.",
        );
      if (actsOnMember(verb) !== "member" in target) throw new Error(`${verb} does not act on this kind of target`);
      const now = new Date();
      const details = checkedDetails(verb, input, now);
      const access = { ...database, forumDid };
      const actor = await standingOf(access, actorDid);
      const needs = NEEDS[verb];
      refuseUnlessPermitted(actor, needs.permission, needs.what);
      const { subject, owner } = await subjectOf(forumDid, target);
      refuseUnlessOutranks(
        actor,
        { did: owner, role: await getUserRole(access, owner) },
        "member" in target ? `${verb} them` : `${verb} their ${"topicId" in target ? "topic" : "post"}`,
      );
      if (await alreadyHolds(database, forumDid, verb, subject, details.expiresAt, now))
        return { alreadyActive: true, modAction: null };

      if (forumWriter === null)
        throw new Refusal(
          503,
          "forum_account_unavailable",
          "This forum has no forum account to write with (FORUM_HANDLE and FORUM_APP_PASSWORD_FILE): nothing was written.",
        );
      const writer = await forumWriter().catch(forumRefusal);
      const record = modActionRecord(verb, subject, { ...details, createdBy: actorDid }, now);
      const written = await writer.create(ids.modAction, record).catch(forumRefusal);
      const [row] = await db
        .select()
        .from(modActions)
        .where(and(eq(modActions.did, writer.forumDid), eq(modActions.rkey, written.rkey)));
      return { alreadyActive: false, modAction: row ?? null };
    },
  };
}

export type Moderation = ReturnType<typeof moderation>;
