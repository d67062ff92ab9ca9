import { createRoute, z } from "@hono/zod-openapi";
import { MemberPermissions, RoleWithPermissions, User } from "../../bodies/members.ts";
import { answer, invalidInput, unknownResource } from "../../resource.ts";
import { didParam } from "../../validation.ts";

export const user = createRoute({
  method: "get",
  path: "/{did}",
  summary: "A member: handle, joined, role, post count",
  request: { params: didParam },
  responses: { 200: answer("The member", User), ...invalidInput, ...unknownResource },
});

export const permissions = createRoute({
  method: "get",
  path: "/{did}/permissions",
  summary: "A member's role and permissions (empty when none)",
  request: { params: didParam },
  responses: { 200: answer("The member's role and what it permits", MemberPermissions), ...invalidInput },
});

export const roles = createRoute({
  method: "get",
  path: "/",
  summary: "Roles by priority (lower is more powerful), each with its permissions",
  responses: {
    200: answer("Every role, most powerful first", z.strictObject({ roles: z.array(RoleWithPermissions) })),
  },
});
