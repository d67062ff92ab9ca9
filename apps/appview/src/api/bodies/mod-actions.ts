// The public moderation log.
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

interface ModActionRow {
  id: number;
  did: string;
  rkey: string;
  action: string;
  subjectDid: string | null;
  subjectPostUri: string | null;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export const serializeModAction = (a: ModActionRow, now: Date): z.input<typeof ModAction> => ({
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
