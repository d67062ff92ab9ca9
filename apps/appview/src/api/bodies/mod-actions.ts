// The public moderation log.
import type { Schema } from "@atbb/db";
import { z } from "@hono/zod-openapi";
import { AtUri, Id, iso, Timestamp } from "./time.ts";

export const ModAction = z
  .strictObject({
    id: Id,
    uri: AtUri,
    action: z.string().describe("ban, unban, lock, unlock, delete, undelete, or another the lexicon allows"),
    subject: z.union([z.strictObject({ did: z.string() }), z.strictObject({ postUri: z.string().nullable() })]),
    reason: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    expired: z.boolean(),
  })
  .openapi("ModAction");

export const serializeModAction = (a: Schema["modActions"]["$inferSelect"], now: Date): z.input<typeof ModAction> => ({
  id: String(a.id),
  uri: `at://${a.did}/space.atbb.modAction/${a.rkey}`,
  action: a.action,
  subject: a.subjectDid ? { did: a.subjectDid } : { postUri: a.subjectPostUri },
  reason: a.reason,
  createdBy: a.createdBy,
  createdAt: iso(a.createdAt),
  expiresAt: iso(a.expiresAt),
  expired: a.expiresAt !== null && a.expiresAt <= now,
});
