// Members, their roles and what the roles permit.
import { z } from "@hono/zod-openapi";
import type { Role as RoleRow } from "../../permissions.ts";
import { Timestamp } from "./time.ts";

export const Role = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priority: z.number().int().describe("Lower is more powerful"),
  })
  .openapi("Role");

export const RoleWithPermissions = Role.extend({ permissions: z.array(z.string()) }).openapi("RoleWithPermissions");

export const User = z
  .strictObject({
    did: z.string(),
    handle: z.string().nullable().describe("null until verified, and while the account is not active"),
    accountStatus: z.string().describe("active, deactivated, takendown, deleted, suspended…"),
    joinedAt: Timestamp.nullable(),
    role: Role.nullable(),
    postCount: z
      .number()
      .int()
      .describe(
        "Posts not deleted by their author that a reader can find: topics on a board of the forum and replies in their threads, except those written after the topic was locked or deleted",
      ),
  })
  .openapi("User");

export const MemberPermissions = z
  .strictObject({
    did: z.string(),
    role: Role.nullable(),
    permissions: z.array(z.string()).describe("Empty when the member has no role: fail-closed"),
  })
  .openapi("MemberPermissions");

export const serializeRole = (role: RoleRow): z.input<typeof Role> => ({
  id: String(role.id),
  name: role.name,
  description: role.description,
  priority: role.priority,
});
