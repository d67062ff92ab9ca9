// A member's login as the browser sees it: who they are and what they may do.
import { z } from "@hono/zod-openapi";
import { Role } from "./members.ts";
import { Timestamp } from "./time.ts";

const can = (what: string) => z.boolean().describe(what);

/** What the member may do, so a client shows only the buttons that will work (each route still checks). */
export const Capabilities = z
  .strictObject({
    canCreateTopics: can("Start topics (createTopics, and not banned)"),
    canReply: can("Reply (createPosts, and not banned)"),
    canModerate: can("Any of the moderation actions below"),
    canHidePosts: can("Hide and unhide posts (moderatePosts)"),
    canBan: can("Ban and unban members (banUsers)"),
    canLock: can("Lock and unlock topics (lockTopics)"),
    canPin: can("Pin and unpin topics (pinTopics)"),
    canManageCategories: can("Create, edit and delete categories and boards (manageCategories)"),
    canManageRoles: can("Grant and revoke roles (manageRoles)"),
    canManageMembers: can("Manage members (manageMembers)"),
    canManageForum: can("Edit the forum's name and description (manageForum)"),
  })
  .describe("Moderation acts only on members below the member's own role: the route says when a target is not")
  .openapi("Capabilities");

export const MemberSession = z
  .strictObject({
    did: z.string(),
    handle: z
      .string()
      .nullable()
      .describe("The member's handle once verified (DID document and back); null until then"),
    role: Role.nullable(),
    permissions: z.array(z.string()).describe("What the member's role permits; empty when none: fail-closed"),
    banned: z
      .strictObject({ expiresAt: Timestamp.nullable().describe("When the ban ends by itself; null: until unbanned") })
      .nullable()
      .describe("The ban in force on the member, or null"),
    capabilities: Capabilities,
    scope: z.string().describe("The OAuth scope the member's authorization server granted"),
    expiresAt: Timestamp.describe("When the login ends unless used again (each use past half its life renews it)"),
  })
  .openapi("MemberSession");
