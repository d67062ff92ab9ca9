// The administrators' side of the pages: capabilities from the same
// permission checks as GET /api/auth/session, actions through the same
// administration() the API's structure and grant routes call, reads through
// the API's own queries. No HTTP hop. The pages never cascade a removal: a
// category with boards or a board with topics is refused, the reason shown.
import type { DatabaseHandle } from "@atbb/db";
import type { AdminActions, AdminOutcome, AdminRefusal, PlaceInput } from "@atbb/web";
import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { ForumWriterSource } from "./api/acting.ts";
import { administration } from "./api/administration.ts";
import { CategoryChange, NewCategory } from "./api/bodies/administration.ts";
import { ApiError } from "./api/errors.ts";
import { boardActivity } from "./api/places.ts";
import { forumIndex, forumTree } from "./api/queries.ts";
import { backfillReport } from "./api/routes/backfill/handlers.ts";
import { modActionPage } from "./api/routes/mod-actions/handlers.ts";
import { capabilitiesOf, PERMISSION, refuseUnlessPermitted, standingOf } from "./permissions.ts";
import { Refusal } from "./writing/posts.ts";

/** What a refusal of a removal tells an administrator to do instead (the pages themselves never cascade). */
const CASCADE_HINT = "the operator's `atbb category remove --force` or `atbb board remove --force`";

const FIELDS = ["name", "description", "sortOrder"] as const;

/** The form's fields through the API's own body schema: a bad one is a refusal naming its field. */
function checked<T extends z.ZodType>(schema: T, input: unknown): z.output<T> | AdminRefusal {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = FIELDS.find((name) => name === issue.path[0]) ?? null;
  const message = field === "sortOrder" ? "The sort order must be a whole number from 0 to 1000000." : issue.message;
  return { ok: false, status: 400, message, field };
}
const refused = (value: object): value is AdminRefusal => "ok" in value && value.ok === false;

/** A refusal (or a bad-input error) as the pages show it; anything else is a failure and goes on up. */
async function outcome<T extends object>(act: () => Promise<T>): Promise<AdminOutcome<T>> {
  try {
    return { ok: true, ...(await act()) };
  } catch (error) {
    if (error instanceof Refusal || error instanceof ApiError)
      return { ok: false, status: error.status, message: error.message, field: null };
    throw error;
  }
}

const newPlace = (place: PlaceInput) => ({
  name: place.name,
  ...(place.description.trim() ? { description: place.description } : {}),
  ...(place.sortOrder === null ? {} : { sortOrder: place.sortOrder }),
});
const placeChange = (place: PlaceInput) => ({
  name: place.name,
  description: place.description.trim() ? place.description : null,
  sortOrder: place.sortOrder,
});

export function adminActions(database: DatabaseHandle, forumDid: string, forumWriter: ForumWriterSource): AdminActions {
  const admin = administration(database, forumDid, forumWriter, CASCADE_HINT);
  const everyCategoryAndBoard = forumIndex(database);
  const standing = (did: string) => standingOf({ ...database, forumDid }, did);
  const place = (row: { id: number; name: string; description: string | null; sortOrder: number | null }) => ({
    id: String(row.id),
    name: row.name,
    description: row.description,
    sortOrder: row.sortOrder,
  });
  const done = () => ({});

  return {
    async capabilities(did) {
      const { canManageCategories, canManageMembers, canManageRoles } = capabilitiesOf(await standing(did), {
        banned: false,
      });
      return { canManageCategories, canManageMembers, canManageRoles };
    },
    async structure() {
      const [{ categories, boards }, activity] = await Promise.all([everyCategoryAndBoard(), boardActivity(database)]);
      return forumTree(categories, boards, place, (board) => ({
        ...place(board),
        topicCount: activity.get(board.id)?.topics ?? 0,
      }));
    },
    async addCategory(did, input) {
      const body = checked(NewCategory, newPlace(input));
      if (refused(body)) return body;
      return outcome(async () => admin.addCategory(await standing(did), body).then(done));
    },
    async editCategory(did, id, input) {
      const body = checked(CategoryChange, placeChange(input));
      if (refused(body)) return body;
      return outcome(async () => admin.editCategory(await standing(did), id, body).then(done));
    },
    removeCategory: (did, id) => outcome(async () => admin.removeCategory(await standing(did), id, false).then(done)),
    async addBoard(did, categoryId, input) {
      const body = checked(NewCategory, newPlace(input));
      if (refused(body)) return body;
      return outcome(async () => admin.addBoard(await standing(did), categoryId, body).then(done));
    },
    async editBoard(did, id, input) {
      const body = checked(CategoryChange, placeChange(input));
      if (refused(body)) return body;
      return outcome(async () => admin.editBoard(await standing(did), id, body).then(done));
    },
    removeBoard: (did, id) => outcome(async () => admin.removeBoard(await standing(did), id, false).then(done)),
    members: (did, offset, limit) =>
      outcome(async () => {
        const page = await admin.members(await standing(did), offset, limit);
        return {
          total: page.total,
          members: page.members.map((member) => ({
            ...member,
            role: member.role && { id: member.role.id, name: member.role.name, priority: member.role.priority },
          })),
        };
      }),
    async roles() {
      const { roles } = database.schema;
      const rows = await database.db
        .select({ id: roles.id, name: roles.name, priority: roles.priority })
        .from(roles)
        .where(eq(roles.did, forumDid))
        .orderBy(asc(roles.priority), asc(roles.id));
      return rows.map((role) => ({ ...role, id: String(role.id) }));
    },
    grant: (did, member, roleId) => outcome(async () => admin.grant(await standing(did), member, roleId).then(done)),
    revoke: (did, member) => outcome(async () => admin.revoke(await standing(did), member).then(done)),
    async modLog(offset, limit) {
      const page = await modActionPage(database, offset, limit);
      return { entries: page.modActions as Awaited<ReturnType<AdminActions["modLog"]>>["entries"], total: page.total };
    },
    backfill: (did, offset, limit) =>
      outcome(async () => {
        refuseUnlessPermitted(await standing(did), PERMISSION.manageMembers, "see the backfill's errors");
        return backfillReport(database, offset, limit);
      }),
  };
}
