// Notifications are derived, never toggled: each record that can cause them
// (a post, a forum mod action) says, as it is applied, who it concerns now,
// and before the batch commits the table is made to agree for every record
// the batch touched — what no longer follows from the record goes (a deleted
// reply, a mention edited away), what is new is added, what stays keeps its
// read state. A replay or the firehose echo of a local write finds its rows
// already there. A few statements per batch, whatever its size.
import { parseRecordUri } from "@atbb/lexicon";
import { and, eq, inArray, sql } from "drizzle-orm";
import { upsertRows } from "./bulk.ts";
import type { ApplyContext } from "./context.ts";
import type { NoticeDraft } from "./notices.ts";

/** Rows per statement: well under both dialects' parameter limits. */
const CHUNK = 500;

// An AT Protocol handle (two or more DNS labels) after an "@" that does not
// continue a word, an e-mail address or a path: "@alice.example.com," names
// alice.example.com.
const MENTION = /(?<![\w@./-])@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)/gi;
const MAX_MENTIONS = 20;

/** The handles a post's text mentions, lower-cased, at most MAX_MENTIONS. */
export function mentionedHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    handles.add(match[1]!.toLowerCase());
    if (handles.size === MAX_MENTIONS) break;
  }
  return [...handles];
}

/** The author of the record an AT-URI names (the repository is its author), or null. */
export const authorOf = (uri: string | undefined | null) => (uri ? (parseRecordUri(uri)?.did ?? null) : null);

/** Makes the notifications table agree with every causing record the batch touched. */
export async function applyNotices(ctx: ApplyContext): Promise<void> {
  const { tx, schema, notices } = ctx;
  const { notifications, users } = schema;
  if (notices === null || notices.size === 0) return;

  const handles = [...new Set([...notices.values()].flatMap((draft) => draft?.mentionedHandles ?? []))];
  const didOfHandle = new Map<string, string>();
  for (let i = 0; i < handles.length; i += CHUNK) {
    const found = await tx
      .select({ did: users.did, handle: users.handle })
      .from(users)
      .where(and(inArray(users.handle, handles.slice(i, i + CHUNK)), eq(users.accountStatus, "active")));
    for (const { did, handle } of found) didOfHandle.set(handle!, did);
  }

  const wanted: (typeof notifications.$inferInsert)[] = [];
  for (const [causeUri, draft] of notices) {
    if (!draft) continue;
    const mentions = draft.mentionedHandles.flatMap((handle): NoticeDraft["direct"] => {
      const did = didOfHandle.get(handle);
      return did ? [{ recipientDid: did, kind: "mention" as const }] : [];
    });
    const told = new Set([draft.actorDid]);
    for (const { recipientDid, kind, action } of [...draft.direct, ...mentions]) {
      if (told.has(recipientDid)) continue;
      told.add(recipientDid);
      const { actorDid, postId, createdAt } = draft;
      wanted.push({ recipientDid, kind, causeUri, postId, action: action ?? null, actorDid, createdAt });
    }
  }
  const key = (row: { recipientDid: string; kind: string; causeUri: string }) =>
    `${row.recipientDid} ${row.kind} ${row.causeUri}`;
  const wantedKeys = new Set(wanted.map(key));

  // A record seen for the first time has nothing held yet: only the others are looked up.
  const causes = [...notices].filter(([, draft]) => !draft?.firstSeen).map(([uri]) => uri);
  const stale: number[] = [];
  for (let i = 0; i < causes.length; i += CHUNK) {
    const held = await tx
      .select({
        id: notifications.id,
        recipientDid: notifications.recipientDid,
        kind: notifications.kind,
        causeUri: notifications.causeUri,
      })
      .from(notifications)
      .where(inArray(notifications.causeUri, causes.slice(i, i + CHUNK)));
    for (const row of held) if (!wantedKeys.has(key(row))) stale.push(row.id);
  }
  for (let i = 0; i < stale.length; i += CHUNK)
    await tx.delete(notifications).where(inArray(notifications.id, stale.slice(i, i + CHUNK)));
  // One JSON parameter per statement (bulk.ts). What is held already keeps its
  // time and read state; the rest follows the record's latest version.
  for (let i = 0; i < wanted.length; i += CHUNK)
    await upsertRows(ctx, notifications, wanted.slice(i, i + CHUNK), {
      target: ["causeUri", "recipientDid", "kind"],
      set: { createdAt: sql`${notifications.createdAt}` },
      returning: ["id"],
    });
}
