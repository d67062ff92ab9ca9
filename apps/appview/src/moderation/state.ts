// What moderation holds now, read the way the indexer derives it: the latest
// action of each pair (ban/unban, lock/unlock, delete/undelete, pin/unpin) on
// a subject wins, by createdAt then record key; only a ban ends by itself,
// at its expiresAt, with no record written.
import type { DatabaseHandle } from "@atbb/db";
import { and, desc, eq, inArray } from "drizzle-orm";
import { BAN, DELETE, LOCK } from "../indexer/moderation.ts";
import { MOD_VERBS, type ModSubject, type ModVerb } from "./actions.ts";

type Pair = readonly [on: string, off: string];
const PIN: Pair = ["pin", "unpin"];
const PAIRS: Pair[] = [BAN, LOCK, DELETE, PIN];

async function latestOf(
  { db, schema }: DatabaseHandle,
  forumDid: string,
  pair: Pair,
  subject: ModSubject,
): Promise<{ action: string; expiresAt: Date | null } | null> {
  const { modActions } = schema;
  const [latest] = await db
    .select({ action: modActions.action, expiresAt: modActions.expiresAt })
    .from(modActions)
    .where(
      and(
        eq(modActions.did, forumDid),
        "did" in subject ? eq(modActions.subjectDid, subject.did) : eq(modActions.subjectPostUri, subject.post.uri),
        inArray(modActions.action, [...pair]),
      ),
    )
    .orderBy(desc(modActions.createdAt), desc(modActions.rkey))
    .limit(1);
  return latest ?? null;
}

/** The member's ban in force now (its end, null for a ban without one), or null when they are not banned. */
export async function banInForce(
  database: DatabaseHandle,
  forumDid: string,
  did: string,
  now = new Date(),
): Promise<{ expiresAt: Date | null } | null> {
  const latest = await latestOf(database, forumDid, BAN, { did });
  if (latest?.action !== BAN[0]) return null;
  if (latest.expiresAt !== null && latest.expiresAt <= now) return null;
  return { expiresAt: latest.expiresAt };
}

/**
 * Whether what `verb` would do already holds, so that writing it would change
 * nothing. A ban holds when the member is banned until the same moment (a ban
 * with another end replaces it); an unban, when no ban is in force (an
 * expired one included).
 */
export async function alreadyHolds(
  database: DatabaseHandle,
  forumDid: string,
  verb: ModVerb,
  subject: ModSubject,
  expiresAt: string | undefined,
  now = new Date(),
): Promise<boolean> {
  if (verb === "ban" || verb === "unban") {
    const ban = "did" in subject ? await banInForce(database, forumDid, subject.did, now) : null;
    if (verb === "unban") return ban === null;
    return ban !== null && (ban.expiresAt?.getTime() ?? null) === (expiresAt ? Date.parse(expiresAt) : null);
  }
  const kind = MOD_VERBS[verb];
  const pair = PAIRS.find((p) => p.includes(kind))!;
  const latestIsOn = (await latestOf(database, forumDid, pair, subject))?.action === pair[0];
  return kind === pair[0] ? latestIsOn : !latestIsOn;
}
