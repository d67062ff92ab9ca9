// What a moderator sends to act, and what the forum answers: the action the
// forum account wrote (as the moderation log shows it), or that the state
// already held and nothing was written.
import { z } from "@hono/zod-openapi";
import { ModAction } from "./mod-actions.ts";

const reason = z
  .string()
  .max(30_000)
  .optional()
  .describe("Why, shown in the public moderation log (up to 3000 characters)");

export const ModerationRequest = z.strictObject({ reason }).openapi("ModerationRequest");

export const BanRequest = z
  .strictObject({
    reason,
    expiresAt: z
      .string()
      .max(64)
      .optional()
      .describe(
        "When the ban ends by itself (ISO 8601 with time zone, in the future); without it the ban lasts until an unban",
      ),
  })
  .openapi("BanRequest");

export const ModerationOutcome = z
  .strictObject({
    alreadyActive: z.boolean().describe("True when the state already held: nothing was written"),
    modAction: ModAction.nullable().describe("The action the forum account wrote; null when nothing was"),
  })
  .openapi("ModerationOutcome");
