// A member's login as the browser sees it: who they are and what they may do.
import { z } from "@hono/zod-openapi";
import { Role } from "./members.ts";
import { Timestamp } from "./time.ts";

export const MemberSession = z
  .strictObject({
    did: z.string(),
    handle: z
      .string()
      .nullable()
      .describe("The member's handle once verified (DID document and back); null until then"),
    role: Role.nullable(),
    permissions: z.array(z.string()).describe("What the member's role permits; empty when none: fail-closed"),
    scope: z.string().describe("The OAuth scope the member's authorization server granted"),
    expiresAt: Timestamp.describe("When the login ends unless used again (each use past half its life renews it)"),
  })
  .openapi("MemberSession");
