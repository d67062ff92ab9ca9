// What administrators send to change the forum's structure and roles, and
// what the forum answers. Limits are the lexicons' (forum/category/board),
// counted in graphemes, so a refusal says what a person counts.
import { z } from "@hono/zod-openapi";
import { graphemes } from "../../writing/limits.ts";
import { Role } from "./members.ts";
import { AtUri, Id, Timestamp } from "./time.ts";

const text = (what: string, max: number) =>
  z
    .string()
    .max(max * 10)
    .refine((value) => value.trim() !== "", `${what} is empty: write something`)
    .refine((value) => graphemes(value) <= max, `${what} is longer than ${max} characters: shorten it`)
    .describe(`Up to ${max} characters (graphemes)`);

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const sortOrder = z.number().int().min(0).max(1_000_000).describe("Lower first, 0 to 1000000");
const cid = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("The version the administrator saw (default: the one indexed here); refused (409) if it changed");
const placeName = text("The name", 100);
const placeDescription = text("The description", 3000);

export const ForumChange = z
  .strictObject({
    name: text("The name", 300).optional(),
    description: text("The description", 300).nullable().optional().describe("null removes it"),
    cid,
  })
  .openapi("ForumChange");

export const NewCategory = z
  .strictObject({ name: placeName, description: placeDescription.optional(), sortOrder: sortOrder.optional() })
  .openapi("NewCategory");

export const CategoryChange = z
  .strictObject({
    name: placeName.optional().describe("A new name (the slug follows it)"),
    description: placeDescription.nullable().optional().describe("null removes it"),
    sortOrder: sortOrder.nullable().optional().describe("null removes it: sorted last, then by name"),
    cid,
  })
  .openapi("CategoryChange");

export const NewBoard = NewCategory.extend({ categoryId: id.describe("The category it belongs to") }).openapi(
  "NewBoard",
);

export const BoardChange = CategoryChange.extend({
  categoryId: id.optional().describe("Moves the board to this category"),
}).openapi("BoardChange");

export const RoleGrantRequest = z
  .strictObject({ roleId: id.describe("The role's id (GET /api/roles)") })
  .openapi("RoleGrantRequest");

/** A record the forum account wrote: its row here, its address and version in the forum's repository. */
export const WrittenRecord = z
  .strictObject({
    id: Id.describe("Its id here"),
    uri: AtUri,
    cid: z.string().describe("The CID of the version written"),
  })
  .openapi("WrittenRecord");

export const Removed = z
  .strictObject({
    removed: z
      .array(z.strictObject({ kind: z.enum(["category", "board"]), uri: AtUri, name: z.string() }))
      .describe("Every record deleted from the forum's repository, boards before their category"),
    topics: z
      .number()
      .int()
      .describe("Topics left without a board (they stay in their authors' repositories, no longer shown on one)"),
  })
  .openapi("Removed");

export const RoleGrantAnswer = z
  .strictObject({
    did: z.string(),
    role: Role.nullable().describe("The member's role now: after a revocation, the forum's default role or none"),
    changed: z.boolean().describe("false: the member held it already, and nothing was written"),
    uri: AtUri.nullable().describe("The grant record (null after a revocation)"),
  })
  .openapi("RoleGrantAnswer");

export const MemberEntry = z
  .strictObject({
    did: z.string(),
    handle: z.string().nullable().describe("null until verified, and while the account is not active"),
    joinedAt: Timestamp.nullable().describe(
      "When their membership says they joined; null with a grant and no membership",
    ),
    role: Role.nullable(),
    granted: z.boolean().describe("Whether the role comes from a grant of their own (else the forum's default)"),
  })
  .openapi("MemberEntry");
