// The forum's structure, written by the forum account: categories and boards
// added, edited and removed. The operator's commands (atbb category|board)
// and the administrators' routes both come here, so the rules are the same
// for both: slugs derived from names; an edit resends the whole record as
// the repository holds it, changing only what was asked (nothing silently
// dropped) and replacing only the version this AppView indexed (swapRecord);
// removal refused while a category holds boards or a board holds topics,
// unless the caller asks to cascade, and then it says what went with it.
import type { DatabaseHandle } from "@atbb/db";
import { ids, type PublishedRecordTypes, type StrongRef } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { ForumWriter, StoredRecord } from "../forum-agent/writer.ts";

export type StructureRefusalKind = "not_found" | "not_empty";

/** A change refused before anything was written: nothing to act on, or something would be lost without asking. */
export class StructureRefusal extends Error {
  readonly kind: StructureRefusalKind;
  constructor(kind: StructureRefusalKind, message: string) {
    super(message);
    this.name = "StructureRefusal";
    this.kind = kind;
  }
}

export type Place = typeof ids.category | typeof ids.board;
export type CategoryRecord = StoredRecord<typeof ids.category>;
export type BoardRecord = StoredRecord<typeof ids.board>;

/** A URL-friendly name: lower case, words joined by hyphens, within the lexicon's 100 characters. */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
  return slug || "untitled";
}

export const isoNow = () => new Date().toISOString();

export const refOf = (record: { uri: string; cid: string }): StrongRef => ({ uri: record.uri, cid: record.cid });

/** A category or board named by slug, record key, AT-URI or name, as the forum's repository holds it. */
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
    throw new StructureRefusal(
      "not_found",
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

/**
 * What an edit changes. An absent field is kept as the repository holds it;
 * null removes an optional one (description, sortOrder).
 */
export interface PlaceChanges {
  name?: string;
  description?: string | null;
  sortOrder?: number | null;
}

export interface NewPlace {
  name: string;
  description?: string;
  sortOrder?: number;
}

/** The record with `changes` applied, every other field (known to us or not) kept. */
function changed<R extends { name: string; slug?: string; description?: string; sortOrder?: number }>(
  record: R,
  changes: PlaceChanges,
): R {
  const next: R = { ...record };
  if (changes.name !== undefined) {
    next.name = changes.name;
    next.slug = slugOf(changes.name);
  } else if (next.slug === undefined) next.slug = slugOf(next.name);
  if (changes.description === null) delete next.description;
  else if (changes.description !== undefined) next.description = changes.description;
  if (changes.sortOrder === null) delete next.sortOrder;
  else if (changes.sortOrder !== undefined) next.sortOrder = changes.sortOrder;
  return next;
}

const optional = ({ description, sortOrder }: NewPlace) => ({
  ...(description ? { description } : {}),
  ...(sortOrder === undefined ? {} : { sortOrder }),
});

/**
 * The forum's structure through one writer. `swap` is the version the caller
 * saw; without it, the version this AppView indexed.
 */
export function forumStructure(
  writer: ForumWriter,
  database: DatabaseHandle,
  /** How the caller asks to cascade, for the refusal's message: "--force", "cascade=true". */
  cascadeHint: string,
) {
  const swapOf = (collection: Place, stored: { rkey: string; cid: string }, swap?: string) =>
    swap ?? indexedCid(database, collection, writer.forumDid, stored);
  const boardsOf = async (category: CategoryRecord) =>
    (await writer.list(ids.board)).filter((b) => b.value.category.category.uri === category.uri);
  const topicsOn = async (board: BoardRecord) => {
    const { boards } = database.schema;
    const [row] = await database.db
      .select({ topics: boards.topicCount })
      .from(boards)
      .where(and(eq(boards.did, writer.forumDid), eq(boards.rkey, board.rkey)));
    return row?.topics ?? 0;
  };

  return {
    addCategory: (place: NewPlace): Promise<CategoryRecord> =>
      writer.create(ids.category, {
        name: place.name,
        slug: slugOf(place.name),
        ...optional(place),
        createdAt: isoNow(),
      }),

    async editCategory(found: CategoryRecord, changes: PlaceChanges, swap?: string): Promise<CategoryRecord> {
      const record: PublishedRecordTypes[typeof ids.category] = changed(found.value, changes);
      return writer.update(ids.category, found.rkey, record, await swapOf(ids.category, found, swap));
    },

    /**
     * The category, and with `cascade` its boards first (`topics`: how many
     * topics they held); refused while it holds boards otherwise.
     */
    async removeCategory(found: CategoryRecord, cascade: boolean, swap?: string) {
      const boards = await boardsOf(found);
      if (boards.length > 0 && !cascade) {
        throw new StructureRefusal(
          "not_empty",
          `the category ${found.value.name} holds ${boards.length} board(s) (${boards.map((b) => b.value.slug ?? b.rkey).join(", ")}): remove them first, or ${cascadeHint} to remove them with it`,
        );
      }
      let topics = 0;
      for (const board of boards) {
        topics += await topicsOn(board);
        await writer.remove(ids.board, board.rkey, await swapOf(ids.board, board));
      }
      await writer.remove(ids.category, found.rkey, await swapOf(ids.category, found, swap));
      return { category: found, boards, topics };
    },

    addBoard: (category: CategoryRecord, place: NewPlace): Promise<BoardRecord> =>
      writer.create(ids.board, {
        name: place.name,
        slug: slugOf(place.name),
        category: { $type: "space.atbb.forum.board#categoryRef", category: refOf(category) },
        ...optional(place),
        createdAt: isoNow(),
      }),

    /** `category`, when given, moves the board there. */
    async editBoard(
      found: BoardRecord,
      changes: PlaceChanges & { category?: CategoryRecord },
      swap?: string,
    ): Promise<BoardRecord> {
      const record: PublishedRecordTypes[typeof ids.board] = changed(found.value, changes);
      if (changes.category)
        record.category = { $type: "space.atbb.forum.board#categoryRef", category: refOf(changes.category) };
      return writer.update(ids.board, found.rkey, record, await swapOf(ids.board, found, swap));
    },

    /**
     * The board; refused while it holds topics unless `cascade`. Its topics
     * stay in their authors' repositories, no longer on a board.
     */
    async removeBoard(found: BoardRecord, cascade: boolean, swap?: string) {
      const topics = await topicsOn(found);
      if (topics > 0 && !cascade)
        throw new StructureRefusal(
          "not_empty",
          `the board ${found.value.name} holds ${topics} topic(s): ${cascadeHint} removes it anyway (the topics stay in their authors' repositories, no longer on a board)`,
        );
      await writer.remove(ids.board, found.rkey, await swapOf(ids.board, found, swap));
      return { board: found, topics };
    },
  };
}

export type ForumStructure = ReturnType<typeof forumStructure>;
