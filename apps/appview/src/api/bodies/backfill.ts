// The backfill as an administrator sees it: its progress, what is left, and
// every error it recorded (what `atbb backfill --errors` prints).
import { z } from "@hono/zod-openapi";
import { Timestamp } from "./time.ts";

export const BackfillError = z
  .strictObject({
    id: z.string(),
    did: z.string().describe("The repository read"),
    collection: z.string().nullable(),
    uri: z.string().nullable().describe("The record refused, when the error is about one record"),
    error: z.string(),
    createdAt: Timestamp,
  })
  .openapi("BackfillError");

export const BackfillCollection = z
  .strictObject({
    did: z.string(),
    collection: z.string(),
    status: z.string().describe("pending, running or failed"),
    recordsIndexed: z.number().int(),
    updatedAt: Timestamp,
  })
  .openapi("BackfillCollection");

export const BackfillReport = z
  .strictObject({
    status: z.enum(["never", "done", "running", "failed"]),
    done: z.number().int().describe("Collections read to the end"),
    running: z.number().int(),
    failed: z.number().int().describe("Collections that could not be read (retried)"),
    unfinished: z.array(BackfillCollection).describe("Collections not read to the end yet, failed first (up to 100)"),
    errors: z.array(BackfillError).describe("A page of the recorded errors, most recent first"),
    total: z.number().int().describe("Errors recorded in all"),
    offset: z.number().int(),
    limit: z.number().int(),
  })
  .openapi("BackfillReport");
