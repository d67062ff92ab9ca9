// A member joins the forum at their first login: a space.atbb.membership of
// this forum in their own repository, in atBB's published shape, applied
// locally at once. Idempotent: a membership already indexed, or already in
// the repository (written by another atBB client, not yet indexed here), is
// kept and none is added.
import type { DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { recordUri } from "@atbb/lexicon/syntax";
import { and, eq } from "drizzle-orm";
import type { Candidate, Verdict } from "../events/index.ts";
import type { MemberRepository } from "./repository.ts";

export interface LocalApply {
  applyLocal(candidate: Candidate): Promise<Verdict>;
}

export type Joined = "already" | "found" | "written";

export async function ensureMembership(
  database: DatabaseHandle,
  forumDid: string,
  repository: MemberRepository,
  indexer: LocalApply,
): Promise<Joined> {
  const { db, schema } = database;
  const { forums, memberships } = schema;
  const [row] = await db
    .select({ rkey: forums.rkey, cid: forums.cid })
    .from(forums)
    .where(eq(forums.did, forumDid))
    .limit(1);
  const forum = row ? { uri: recordUri(forumDid, ids.forum, row.rkey), cid: row.cid } : null;
  if (!forum) throw new Error(`The forum record of ${forumDid} is not indexed yet; a member cannot join before it is.`);
  const [indexed] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.did, repository.did), eq(memberships.forumUri, forum.uri)))
    .limit(1);
  if (indexed) return "already";

  const existing = (await repository.list(ids.membership)).find((r) => membershipForumUri(r.value) === forum.uri);
  const now = new Date().toISOString();
  const record = existing?.value ?? {
    $type: ids.membership,
    forum: { $type: `${ids.membership}#forumRef`, forum: { uri: forum.uri, cid: forum.cid } },
    joinedAt: now,
    createdAt: now,
  };
  const written = existing ?? (await repository.create(ids.membership, record));
  const verdict = await indexer.applyLocal({
    kind: "commit",
    timeUs: Date.now() * 1000,
    did: repository.did,
    collection: ids.membership,
    rkey: written.uri.split("/").pop(),
    operation: "create",
    cid: written.cid,
    // A membership found in the repository has no revision at hand.
    rev: "rev" in written ? written.rev : null,
    record,
  });
  if (!verdict.ok)
    throw new Error(
      `The membership record was refused by the indexer (${verdict.rejection.reason}): ${verdict.rejection.detail ?? ""}`,
    );
  return existing ? "found" : "written";
}

/** The forum a membership names, in either form the network has (wrapped as published, or a bare strongRef). */
function membershipForumUri(value: Record<string, unknown>): string | null {
  const forum = value.forum as { uri?: unknown; forum?: { uri?: unknown } } | undefined;
  const uri = forum?.forum?.uri ?? forum?.uri;
  return typeof uri === "string" ? uri : null;
}
