// Validators at the edge: every path parameter and query string goes through
// one of these (routes declare them; resource.ts applies them), and the
// OpenAPI document is generated from the same schemas.
import { isDid } from "@atbb/lexicon/syntax";
import { z } from "zod";
import { ApiError } from "./errors.ts";

const MAX_ID = Number.MAX_SAFE_INTEGER;

export const idParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "must be a positive integer")
    .transform(Number)
    .refine((n) => n <= MAX_ID, "is too large")
    .describe("Numeric id, as a string"),
});

export const didParam = z.object({
  did: z.string().max(2048).refine(isDid, "must be a DID such as did:plc:abc123").describe("A DID"),
});

export function pagination(defaultLimit: number, maxLimit: number) {
  // parse() puts the parameter's name before the message.
  const count = (min: number, max: number, fallback: number) =>
    z
      .string()
      .regex(/^\d{1,7}$/, "must be a whole number")
      .transform(Number)
      .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
      .optional()
      .transform((n) => n ?? fallback);
  return z.object({
    offset: count(0, 1_000_000, 0).describe("Items to skip (default 0)"),
    limit: count(1, maxLimit, defaultLimit).describe(`Items to return (default ${defaultLimit}, max ${maxLimit})`),
  });
}

/** The paging fields of an answer, beside its items: what `pagination` read, and how many items there are in all. */
export const pageFields = (total: string) => ({
  total: z.number().int().describe(total),
  offset: z.number().int(),
  limit: z.number().int(),
});

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join(".")} ` : "";
  throw new ApiError(400, "invalid_request", `${where}${issue.message}`.trim());
}

/** A request's JSON body, not yet validated: a body that is not JSON is a 400. */
export async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_request", "The request's body must be JSON.");
  }
}
