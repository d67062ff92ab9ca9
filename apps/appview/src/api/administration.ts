// The administrators' actions on the forum's structure and roles, by the ids
// this AppView shows: one implementation for the API's routes and the
// administration pages. Each action checks the actor's permission (and, for
// roles, the hierarchy) itself, finds the record the forum's repository
// holds now, writes it through the forum account, and answers with the row
// it became here; a refusal is an ApiError or a Refusal, and nothing was
// written.
import { countCell, jsonSql, type DatabaseHandle } from "@atbb/db";
import { ids, recordUri, type Collection } from "@atbb/lexicon";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ForumWriter, StoredRecord } from "../forum-agent/writer.ts";
import { forumGrants } from "../forum-structure/grants.ts";
import { forumStructure, indexedCid, type NewPlace, type PlaceChanges } from "../forum-structure/places.ts";
import {
  mayGrant,
  PERMISSION,
  refuseUnlessOutranks,
  refuseUnlessPermitted,
  roleName,
  standingOf,
  type Standing,
} from "../permissions.ts";
import { asForum, forumWriterFrom, type ForumWriterSource } from "./acting.ts";
import { serializeRole } from "./bodies/members.ts";
import { iso } from "./bodies/time.ts";
import { ApiError, notFound } from "./errors.ts";

/** An edit as the API's bodies carry it: the changes, the version seen, and (for a board) a category to move to. */
export type PlaceEdit = PlaceChanges & { cid?: string; categoryId?: number };

export function administration(
  database: DatabaseHandle,
  forumDid: string,
  forumWriter: ForumWriterSource,
  /** How the caller asks to cascade a removal, for the refusal's message. */
  cascadeHint: string,
) {
  const { db, schema } = database;
  const { forums, categories, boards, memberships, roleGrants, roles, users } = schema;
  const writerNow = () => forumWriterFrom(forumWriter);
  const structureOf = (writer: ForumWriter) => forumStructure(writer, database, cascadeHint);
  const standing = (did: string) => standingOf({ ...database, forumDid }, did);
  const mayManage = (actor: Standing, what: string) => refuseUnlessPermitted(actor, PERMISSION.manageCategories, what);

  /** The record behind a row shown here, as the forum's repository holds it now. */
  async function stored<C extends Collection>(
    writer: ForumWriter,
    collection: C,
    row: { rkey: string },
    what: string,
  ): Promise<StoredRecord<C>> {
    const record = await asForum(() => writer.get(collection, row.rkey));
    if (!record)
      throw new ApiError(
        409,
        "conflict",
        `${what} is no longer in the forum's repository (deleted behind this AppView's back); nothing was written. Let the AppView catch up and look again.`,
      );
    return record;
  }

  async function rowOf(table: typeof categories | typeof boards, id: number, what: string) {
    const [row] = await db
      .select({ id: table.id, rkey: table.rkey, cid: table.cid })
      .from(table)
      .where(and(eq(table.id, id), eq(table.did, forumDid)));
    if (!row) throw notFound(what);
    return row;
  }

  async function idOf(table: typeof forums | typeof categories | typeof boards, rkey: string): Promise<string> {
    const [row] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.did, forumDid), eq(table.rkey, rkey)));
    // Written and applied locally a moment ago: a missing row means local apply is broken.
    if (!row) throw new Error(`the record ${rkey} was written but is not indexed here`);
    return String(row.id);
  }

  const written = async (
    table: typeof forums | typeof categories | typeof boards,
    record: StoredRecord<Collection>,
  ) => ({
    id: await idOf(table, record.rkey),
    uri: record.uri,
    cid: record.cid,
  });

  /** An edit's fields, without the version it names. */
  const changesOf = ({ cid: _cid, categoryId: _categoryId, ...changes }: PlaceEdit) => changes;

  // Members: a membership of this forum, or a grant from it (an operator may grant before someone joins).
  const p = jsonSql[database.dialect].param;
  const memberDids = sql`select ${memberships.did} as member from ${memberships} where ${memberships.forumUri} = ${p(1)}
    union select ${roleGrants.rkey} as member from ${roleGrants} where ${roleGrants.did} = ${p(2)}`;
  const pageText = database.sqlText(
    sql`select member from (${memberDids}) as members order by member limit ${p(3)} offset ${p(4)}`,
  );
  const countText = database.sqlText(sql`select count(*) from (${memberDids}) as members`);
  const roleNow = async (did: string, changed: boolean, uri: string | null) => {
    const { role } = await standing(did);
    return { did, role: role ? serializeRole(role) : null, changed, uri };
  };

  return {
    async editForum(actor: Standing, changes: { name?: string; description?: string | null; cid?: string }) {
      refuseUnlessPermitted(actor, PERMISSION.manageForum, "change the forum's name or description");
      const [row] = await db
        .select({ rkey: forums.rkey })
        .from(forums)
        .where(and(eq(forums.did, forumDid), eq(forums.rkey, "self")));
      if (!row) throw notFound("The forum record");
      const writer = await writerNow();
      const forum = await stored(writer, ids.forum, row, "The forum record");
      const record = { ...forum.value };
      if (changes.name !== undefined) record.name = changes.name;
      if (changes.description === null) delete record.description;
      else if (changes.description !== undefined) record.description = changes.description;
      const swap = changes.cid ?? (await indexedCid(database, ids.forum, writer.forumDid, forum));
      return written(forums, await asForum(() => writer.update(ids.forum, "self", record, swap)));
    },

    async addCategory(actor: Standing, place: NewPlace) {
      mayManage(actor, "add a category");
      const writer = await writerNow();
      return written(categories, await asForum(() => structureOf(writer).addCategory(place)));
    },

    async editCategory(actor: Standing, id: number, change: PlaceEdit) {
      mayManage(actor, "change a category");
      const row = await rowOf(categories, id, `Category ${id}`);
      const writer = await writerNow();
      const found = await stored(writer, ids.category, row, `Category ${id}`);
      const updated = await asForum(() => structureOf(writer).editCategory(found, changesOf(change), change.cid));
      return written(categories, updated);
    },

    async removeCategory(actor: Standing, id: number, cascade: boolean) {
      mayManage(actor, "remove a category");
      const row = await rowOf(categories, id, `Category ${id}`);
      const writer = await writerNow();
      const found = await stored(writer, ids.category, row, `Category ${id}`);
      const removed = await asForum(() => structureOf(writer).removeCategory(found, cascade));
      return {
        removed: [
          ...removed.boards.map((b) => ({ kind: "board" as const, uri: b.uri, name: b.value.name })),
          { kind: "category" as const, uri: found.uri, name: found.value.name },
        ],
        topics: removed.topics,
      };
    },

    async addBoard(actor: Standing, categoryId: number, place: NewPlace) {
      mayManage(actor, "add a board");
      const row = await rowOf(categories, categoryId, `Category ${categoryId}`);
      const writer = await writerNow();
      const category = await stored(writer, ids.category, row, `Category ${categoryId}`);
      return written(boards, await asForum(() => structureOf(writer).addBoard(category, place)));
    },

    async editBoard(actor: Standing, id: number, change: PlaceEdit) {
      mayManage(actor, "change a board");
      const row = await rowOf(boards, id, `Board ${id}`);
      const categoryRow =
        change.categoryId === undefined
          ? null
          : await rowOf(categories, change.categoryId, `Category ${change.categoryId}`);
      const writer = await writerNow();
      const found = await stored(writer, ids.board, row, `Board ${id}`);
      const category = categoryRow
        ? await stored(writer, ids.category, categoryRow, `Category ${change.categoryId}`)
        : undefined;
      const updated = await asForum(() =>
        structureOf(writer).editBoard(found, { ...changesOf(change), ...(category ? { category } : {}) }, change.cid),
      );
      return written(boards, updated);
    },

    async removeBoard(actor: Standing, id: number, cascade: boolean) {
      mayManage(actor, "remove a board");
      const row = await rowOf(boards, id, `Board ${id}`);
      const writer = await writerNow();
      const found = await stored(writer, ids.board, row, `Board ${id}`);
      const { topics } = await asForum(() => structureOf(writer).removeBoard(found, cascade));
      return { removed: [{ kind: "board" as const, uri: found.uri, name: found.value.name }], topics };
    },

    async members(actor: Standing, offset: number, limit: number) {
      refuseUnlessPermitted(actor, PERMISSION.manageMembers, "see the member list");
      const params = [recordUri(forumDid, ids.forum, "self"), forumDid];
      const [rows, [total]] = await Promise.all([
        database.values(pageText, [...params, limit, offset]),
        database.values(countText, params),
      ]);
      const dids = rows.map((r) => String(r[0]));
      const [known, joined, granted] = await Promise.all([
        dids.length === 0
          ? []
          : db
              .select({ did: users.did, handle: users.handle, status: users.accountStatus })
              .from(users)
              .where(inArray(users.did, dids)),
        dids.length === 0
          ? []
          : db
              .select({ did: memberships.did, joinedAt: memberships.joinedAt, createdAt: memberships.createdAt })
              .from(memberships)
              .where(and(inArray(memberships.did, dids), eq(memberships.forumUri, params[0]!))),
        dids.length === 0
          ? []
          : db
              .select({ did: roleGrants.rkey })
              .from(roleGrants)
              .where(and(eq(roleGrants.did, forumDid), inArray(roleGrants.rkey, dids))),
      ]);
      const members = await Promise.all(
        dids.map(async (did) => {
          const user = known.find((u) => u.did === did);
          const membership = joined.find((m) => m.did === did);
          const { role } = await standing(did);
          return {
            did,
            handle: user?.status === "active" ? user.handle : null,
            joinedAt: iso(membership ? (membership.joinedAt ?? membership.createdAt) : null),
            role: role ? serializeRole(role) : null,
            granted: granted.some((g) => g.did === did),
          };
        }),
      );
      return { members, total: countCell(total![0]) };
    },

    async grant(actor: Standing, did: string, roleId: number) {
      refuseUnlessPermitted(actor, PERMISSION.manageRoles, "grant roles");
      const [role] = await db
        .select({
          id: roles.id,
          rkey: roles.rkey,
          name: roles.name,
          description: roles.description,
          priority: roles.priority,
        })
        .from(roles)
        .where(and(eq(roles.id, roleId), eq(roles.did, forumDid)));
      if (!role) throw notFound(`Role ${roleId}`);
      refuseUnlessOutranks(actor, await standing(did), "change their role");
      if (!mayGrant(actor.role, role))
        throw new ApiError(
          403,
          "outranked",
          `Only a role below your own can be granted: ${roleName(role)} is not below ${roleName(actor.role)}.`,
        );
      const writer = await writerNow();
      const record = await asForum(() => writer.get(ids.role, role.rkey));
      if (!record)
        throw new ApiError(
          409,
          "conflict",
          `The role ${role.name} is no longer in the forum's repository; nothing was written. Let the AppView catch up and look again.`,
        );
      const { grant, changed } = await asForum(() => forumGrants(writer, database).grant(did, record));
      return roleNow(did, changed, grant.uri);
    },

    async revoke(actor: Standing, did: string) {
      refuseUnlessPermitted(actor, PERMISSION.manageRoles, "revoke roles");
      refuseUnlessOutranks(actor, await standing(did), "change their role");
      const [indexed] = await db
        .select({ rkey: roleGrants.rkey })
        .from(roleGrants)
        .where(and(eq(roleGrants.did, forumDid), eq(roleGrants.rkey, did)));
      if (!indexed) throw notFound(`A grant of a role to ${did}`);
      const writer = await writerNow();
      await asForum(() => forumGrants(writer, database).revoke(did));
      return roleNow(did, true, null);
    },
  };
}

export type Administration = ReturnType<typeof administration>;
