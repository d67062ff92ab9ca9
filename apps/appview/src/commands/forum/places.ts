// Finding a category or board the operator names (by slug, record key, AT-URI
// or name), and the version of it this AppView has indexed: edits and
// deletes swap against that version, so a record changed in the repository
// since is a conflict rather than something silently overwritten.
import type { DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { ForumWriter, StoredRecord } from "../../forum-agent/writer.ts";
import { Refusal } from "./operator.ts";

type Place = typeof ids.category | typeof ids.board;

export async function findPlace<C extends Place>(
  writer: ForumWriter,
  collection: C,
  key: string,
): Promise<StoredRecord<C>> {
  const all = await writer.list(collection);
  const wanted = key.toLowerCase();
  const found =
    all.find((r) => r.rkey === key || r.uri === key) ??
    all.find((r) => r.value.slug === wanted) ??
    all.filter((r) => r.value.name.toLowerCase() === wanted).at(0);
  const what = collection === ids.board ? "board" : "category";
  if (!found)
    throw new Refusal(
      `no ${what} "${key}" in the forum (give its slug, record key or AT-URI; \`atbb ${what} list\` shows them)`,
    );
  return found;
}

/** The CID this AppView has indexed for the record, else the repository's (it has not arrived yet). */
export async function indexedCid(
  database: DatabaseHandle,
  collection: Place | typeof ids.forum,
  forumDid: string,
  stored: { rkey: string; cid: string },
): Promise<string> {
  const { boards, categories, forums } = database.schema;
  const table = collection === ids.board ? boards : collection === ids.category ? categories : forums;
  const [row] = await database.db
    .select({ cid: table.cid })
    .from(table)
    .where(and(eq(table.did, forumDid), eq(table.rkey, stored.rkey)));
  return row?.cid ?? stored.cid;
}
