// Which version of a record wins. A record's versions are ordered by the
// repository revision (a TID) of the commit that made each: an operation
// older than the version its row holds is not applied. So the firehose's
// late echo of a post's first version cannot undo an edit the AppView wrote
// and applied a moment earlier, and a listing cannot undo a newer live event.
// An operation or a row without a revision (a source that cannot say, a row
// from before revisions were kept) is applied as it comes.
//
// What this cannot order: a create arriving after its record's row was
// deleted (only posts keep a tombstone). It is applied, and the delete's own
// echo removes it again.
import { ids, recordUri, type Collection } from "@atbb/lexicon";
import type { DeleteOp, IndexOp, RecordOp } from "../events/index.ts";
import type { ApplyContext } from "./context.ts";
import { rowsByUri } from "./references.ts";

type Versioned = RecordOp | DeleteOp;

function tableOf(schema: ApplyContext["schema"], collection: Collection) {
  const tables: Record<Collection, unknown> = {
    [ids.forum]: schema.forums,
    [ids.category]: schema.categories,
    [ids.board]: schema.boards,
    [ids.role]: schema.roles,
    [ids.roleAssignment]: schema.roleGrants,
    [ids.membership]: schema.memberships,
    [ids.post]: schema.posts,
    [ids.modAction]: schema.modActions,
  };
  // Every record table has did, rkey and rev (schema.ts's recordColumns): the one shape rowsByUri reads.
  return tables[collection] as ApplyContext["schema"]["posts"];
}

/** `ops` without those older than the version their record's row holds, or than an earlier one of the same batch. */
export async function withoutSuperseded(ctx: ApplyContext, ops: IndexOp[]): Promise<IndexOp[]> {
  const versioned = ops.filter(
    (op): op is Versioned => (op.kind === "record" || op.kind === "delete") && op.rev !== null,
  );
  if (versioned.length === 0) return ops;
  const held = new Map<string, string>();
  for (const collection of new Set(versioned.map((op) => op.collection))) {
    const uris = versioned
      .filter((op) => op.collection === collection)
      .map((op) => recordUri(op.did, collection, op.rkey));
    const rows = await rowsByUri(ctx, tableOf(ctx.schema, collection), collection, uris, ["rev"]);
    for (const [uri, row] of rows) if (row.rev !== null) held.set(uri, row.rev);
  }
  return ops.filter((op) => {
    if ((op.kind !== "record" && op.kind !== "delete") || op.rev === null) return true;
    const uri = recordUri(op.did, op.collection, op.rkey);
    const newest = held.get(uri);
    // TIDs sort as their times do: a smaller one is an older commit.
    if (newest !== undefined && op.rev < newest) return false;
    held.set(uri, op.rev);
    return true;
  });
}
