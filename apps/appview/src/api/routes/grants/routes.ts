// The administrators' view of the members and their roles: the member list
// (manageMembers), and role grants and revocations (manageRoles), each
// written by the forum account. Nobody acts on a member whose role is equal
// to or higher than their own, nor grants a role that is not below their own.
import { createRoute, z } from "@hono/zod-openapi";
import { MemberEntry, RoleGrantAnswer, RoleGrantRequest } from "../../bodies/administration.ts";
import { ErrorBody } from "../../bodies/errors.ts";
import { answer } from "../../resource.ts";
import { didParam, pageFields, pagination } from "../../validation.ts";
import { json, refusals } from "../structure/routes.ts";

const forbidden = {
  403: answer(
    "The member's role does not permit it, the target's role is equal or higher, or the role is not below the member's own (the reason is said)",
    ErrorBody,
  ),
} as const;

export const members = createRoute({
  method: "get",
  path: "/members",
  summary: "The forum's members with their roles, by DID (needs manageMembers)",
  description:
    "Permission: space.atbb.permission.manageMembers. A member is anyone with a membership of this forum or a grant from it.",
  request: { query: pagination(50, 100) },
  responses: {
    200: answer(
      "A page of members",
      z.strictObject({ members: z.array(MemberEntry), ...pageFields("Members in all") }),
    ),
    400: refusals[400],
    401: refusals[401],
    403: refusals[403],
  },
});

export const grant = createRoute({
  method: "put",
  path: "/members/{did}/role",
  summary: "Grants a member a role below one's own (needs manageRoles)",
  description:
    "Permission: space.atbb.permission.manageRoles. Only a member whose role is below one's own, and only a role below one's own; the grant replaces the member's earlier one.",
  request: { params: didParam, ...json(RoleGrantRequest) },
  responses: { 200: answer("The member's role now", RoleGrantAnswer), ...refusals, ...forbidden },
});

export const revoke = createRoute({
  method: "delete",
  path: "/members/{did}/role",
  summary: "Revokes a member's grant: they fall back to the forum's default role (needs manageRoles)",
  description:
    "Permission: space.atbb.permission.manageRoles. Only a member whose role is below one's own. 404 when they hold no role by grant.",
  request: { params: didParam },
  responses: { 200: answer("The member's role now", RoleGrantAnswer), ...refusals, ...forbidden },
});
