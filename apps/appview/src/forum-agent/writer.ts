// Everything the forum account writes goes through here: checked first by the
// same validator the indexer uses (the lexicon in atBB's published form, the
// record key, what it points at), written to the forum's repository, then
// applied locally at once through the indexer's local-apply entry, so the
// next read shows it (the firehose echo later is a harmless replay). Edits
// and deletes name the version they replace (swapRecord): a record changed in
// the repository behind this AppView's back is a conflict, never overwritten.
// A write that fails changes nothing locally.
import { ids, validatePublishedRecord, type Collection, type PublishedRecordTypes } from "@atbb/lexicon";
import { type CommitCandidate, validate } from "../events/index.ts";
import type { Indexer } from "../indexer/indexer.ts";
import { errorChain } from "../backfill/pds.ts";
import { Refusal } from "../writing/refusal.ts";
import type { ForumSession } from "./session.ts";

export type ForumWriteProblem = "invalid" | "conflict" | "refused" | "unreachable" | "login";

export class ForumWriteError extends Error {
  readonly problem: ForumWriteProblem;
  constructor(problem: ForumWriteProblem, message: string) {
    super(message);
    this.name = "ForumWriteError";
    this.problem = problem;
  }

  /** This failure as the refusal a member is answered with: in each, nothing was written. */
  refusal(): Refusal {
    const message = this.message.charAt(0).toUpperCase() + this.message.slice(1);
    if (this.problem === "invalid") return new Refusal(400, "invalid_request", message);
    if (this.problem === "conflict") return new Refusal(409, "conflict", message);
    return new Refusal(
      503,
      "forum_account_unavailable",
      `The forum account could not write, so nothing was written: ${this.message}. Try again shortly.`,
    );
  }
}

export interface StoredRecord<C extends Collection> {
  uri: string;
  cid: string;
  rkey: string;
  value: PublishedRecordTypes[C];
}

export interface ForumWriter {
  readonly forumDid: string;
  /** The record as the forum's repository holds it now, or null. */
  get<C extends Collection>(collection: C, rkey: string): Promise<StoredRecord<C> | null>;
  /** Every record of a collection in the forum's repository. */
  list<C extends Collection>(collection: C): Promise<StoredRecord<C>[]>;
  /** A new record (at `rkey`, or a key the PDS chooses); fails if one is there already. */
  create<C extends Collection>(collection: C, record: PublishedRecordTypes[C], rkey?: string): Promise<StoredRecord<C>>;
  /** Replaces the record whose version is `swapCid`. */
  update<C extends Collection>(
    collection: C,
    rkey: string,
    record: PublishedRecordTypes[C],
    swapCid: string,
  ): Promise<StoredRecord<C>>;
  /** Deletes the record whose version is `swapCid`. */
  remove(collection: Collection, rkey: string, swapCid: string): Promise<void>;
}

/**
 * A well-formed CID standing in for the one the PDS will give, so the
 * validator can judge everything else before anything is written.
 */
const STAND_IN_CID = "bafyreibjo4xmgaevkgud7mr5sbumg5t2yqj3bvpixcfkyhn3dvezqvtlme";

const nowUs = () => Date.now() * 1000;

function check(forumDid: string, collection: Collection, rkey: string | undefined, record: unknown): void {
  const published = validatePublishedRecord(collection, record);
  if (!published.ok)
    throw new ForumWriteError("invalid", `not written: the ${collection} record is not valid: ${published.reason}`);
  const verdict = validate(
    {
      kind: "commit",
      timeUs: nowUs(),
      did: forumDid,
      collection,
      rkey: rkey ?? (collection === ids.forum ? "self" : "2222222222222"),
      operation: "create",
      cid: STAND_IN_CID,
      record: { $type: collection, ...(record as object) },
    },
    forumDid,
  );
  if (!verdict.ok)
    throw new ForumWriteError("invalid", `not written: ${verdict.rejection.reason}: ${verdict.rejection.detail}`);
}

/** What the PDS said, as a ForumWriteError. */
function writeFailure(error: unknown, what: string): ForumWriteError {
  if (error instanceof ForumWriteError) return error;
  const code = (error as { error?: unknown }).error;
  const status = (error as { status?: unknown }).status;
  if (code === "InvalidSwap") {
    return new ForumWriteError(
      "conflict",
      `${what}: the record changed in the forum's repository since this AppView indexed it; nothing was written. ` +
        "Let the AppView catch up (atbb serve, or atbb backfill --force), look again, then retry.",
    );
  }
  if (typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new ForumWriteError("refused", `${what}: the PDS refused it: ${errorChain(error)}`);
  }
  return new ForumWriteError("unreachable", `${what}: the PDS could not be reached or failed: ${errorChain(error)}`);
}

export async function createForumWriter(
  session: ForumSession,
  indexer: Pick<Indexer, "applyLocal">,
): Promise<ForumWriter> {
  let agent: Awaited<ReturnType<ForumSession["agent"]>>;
  try {
    agent = await session.agent();
  } catch (error) {
    throw new ForumWriteError("login", (error as Error).message);
  }
  const forumDid = agent.session!.did;
  const repo = agent.com.atproto.repo;

  /** The forum account's own commit, applied now as the firehose will echo it. */
  async function applyLocally(
    commit: Omit<CommitCandidate, "kind" | "timeUs" | "did"> & { operation: "create" | "update" | "delete" },
    what: string,
  ): Promise<void> {
    const verdict = await indexer.applyLocal({ kind: "commit", timeUs: nowUs(), did: forumDid, ...commit });
    // Checked before writing, so this means the two validators disagree: say so loudly.
    if (!verdict.ok)
      throw new Error(
        `${what} was written to the PDS but the indexer refused it (${verdict.rejection.reason}: ${verdict.rejection.detail})`,
      );
  }

  const writer: ForumWriter = {
    forumDid,
    async get(collection, rkey) {
      try {
        const { data } = await repo.getRecord({ repo: forumDid, collection, rkey });
        return { uri: data.uri, cid: data.cid!, rkey, value: data.value as never };
      } catch (error) {
        if ((error as { error?: unknown }).error === "RecordNotFound") return null;
        throw writeFailure(error, `reading ${collection}/${rkey}`);
      }
    },
    async list(collection) {
      const records: StoredRecord<typeof collection>[] = [];
      let cursor: string | undefined;
      try {
        do {
          const { data } = await repo.listRecords({
            repo: forumDid,
            collection,
            limit: 100,
            ...(cursor ? { cursor } : {}),
          });
          for (const r of data.records)
            records.push({ uri: r.uri, cid: r.cid, rkey: r.uri.split("/").pop()!, value: r.value as never });
          cursor = data.records.length > 0 ? data.cursor : undefined;
        } while (cursor);
      } catch (error) {
        throw writeFailure(error, `listing ${collection}`);
      }
      return records as never;
    },
    async create(collection, record, rkey) {
      check(forumDid, collection, rkey, record);
      const what = `creating ${collection}${rkey ? `/${rkey}` : ""}`;
      let written: { uri: string; cid: string; commit?: { rev: string } };
      try {
        // validate: false — the PDS does not know space.atbb.*; we validated above.
        ({ data: written } = await repo.createRecord({
          repo: forumDid,
          collection,
          record: { $type: collection, ...record },
          validate: false,
          ...(rkey ? { rkey } : {}),
        }));
      } catch (error) {
        throw writeFailure(error, what);
      }
      const key = written.uri.split("/").pop()!;
      await applyLocally(
        {
          collection,
          rkey: key,
          operation: "create",
          cid: written.cid,
          rev: written.commit?.rev ?? null,
          record: { $type: collection, ...record },
        },
        what,
      );
      return { uri: written.uri, cid: written.cid, rkey: key, value: record };
    },
    async update(collection, rkey, record, swapCid) {
      check(forumDid, collection, rkey, record);
      const what = `changing ${collection}/${rkey}`;
      let written: { uri: string; cid: string; commit?: { rev: string } };
      try {
        ({ data: written } = await repo.putRecord({
          repo: forumDid,
          collection,
          rkey,
          record: { $type: collection, ...record },
          validate: false,
          swapRecord: swapCid,
        }));
      } catch (error) {
        throw writeFailure(error, what);
      }
      await applyLocally(
        {
          collection,
          rkey,
          operation: "update",
          cid: written.cid,
          rev: written.commit?.rev ?? null,
          record: { $type: collection, ...record },
        },
        what,
      );
      return { uri: written.uri, cid: written.cid, rkey, value: record };
    },
    async remove(collection, rkey, swapCid) {
      const what = `deleting ${collection}/${rkey}`;
      let rev: string | null;
      try {
        const { data } = await repo.deleteRecord({ repo: forumDid, collection, rkey, swapRecord: swapCid });
        rev = data.commit?.rev ?? null;
      } catch (error) {
        throw writeFailure(error, what);
      }
      await applyLocally({ collection, rkey, operation: "delete", rev }, what);
    },
  };
  return writer;
}
