import { eq } from "drizzle-orm";
import type { ApplyContext } from "./context.ts";

type UserFields = Partial<
  Pick<ApplyContext["schema"]["users"]["$inferInsert"], "accountStatus" | "banExpiresAt" | "handleRecheckAt">
>;

/** Creates the user if new, and sets the given fields either way. */
export async function upsertUser({ tx, schema, now }: ApplyContext, did: string, fields: UserFields): Promise<void> {
  const { users } = schema;
  await tx
    .insert(users)
    .values({ did, ...fields, firstSeenAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: users.did, set: { ...fields, updatedAt: now } });
}

/**
 * Sets fields of a user the forum already knows, and creates nobody: Jetstream
 * and relays deliver every identity and account event of the whole network,
 * whatever the collection filter, and a row for each would make the whole
 * network members (handle lookups, backfill targets).
 */
export async function updateKnownUser(
  { tx, schema, now }: ApplyContext,
  did: string,
  fields: UserFields,
): Promise<void> {
  const { users } = schema;
  await tx
    .update(users)
    .set({ ...fields, updatedAt: now })
    .where(eq(users.did, did));
}
