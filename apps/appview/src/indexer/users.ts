import type { ApplyContext } from "./context.ts";

type UserFields = Partial<Pick<ApplyContext["schema"]["users"]["$inferInsert"], "accountStatus" | "banExpiresAt" | "handleRecheckAt">>;

/** Creates the user if new, and sets the given fields either way. */
export async function upsertUser({ tx, schema, now }: ApplyContext, did: string, fields: UserFields): Promise<void> {
  const { users } = schema;
  await tx
    .insert(users)
    .values({ did, ...fields, firstSeenAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: users.did, set: { ...fields, updatedAt: now } });
}
