// A member's own repository, written with their OAuth session (DPoP-bound
// tokens, refreshed by the client as needed). The PDS does not know atBB's
// lexicons, so records go with validate: false: the AppView validates them
// itself before writing, through the same validator as the network's.
import type { OAuthSession } from "@atproto/oauth-client-node";

/** The member's PDS could not be reached, or failed: nothing was written. */
export class PdsUnavailableError extends Error {}
/** The record changed since the member saw it (swapRecord did not match). */
export class RecordConflictError extends Error {}
/** The PDS refused the request (with its own error name). */
export class PdsRefusedError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, message: string) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

export interface WrittenRecord {
  uri: string;
  cid: string;
  /** The commit's repository revision, as the PDS answered it (null if it did not). */
  rev: string | null;
}

/** The revision a write's answer names (its `commit.rev`), or null. */
const revOf = (out: Record<string, unknown>): string | null => {
  const rev = (out.commit as { rev?: unknown } | undefined)?.rev;
  return typeof rev === "string" ? rev : null;
};

export interface MemberRepository {
  readonly did: string;
  create(collection: string, record: Record<string, unknown>, rkey?: string): Promise<WrittenRecord>;
  put(collection: string, rkey: string, record: Record<string, unknown>, swapRecord: string): Promise<WrittenRecord>;
  /** Resolves to the commit's revision (null if the PDS did not say). */
  delete(collection: string, rkey: string, swapRecord?: string): Promise<string | null>;
  /** The record as the repository holds it now, or null when there is none. */
  get(collection: string, rkey: string): Promise<{ uri: string; cid: string; value: Record<string, unknown> } | null>;
  list(collection: string): Promise<{ uri: string; cid: string; value: Record<string, unknown> }[]>;
}

export function memberRepository(session: OAuthSession): MemberRepository {
  const did = session.did;
  async function call(
    method: "GET" | "POST",
    nsid: string,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response =
        method === "GET"
          ? await session.fetchHandler(`/xrpc/${nsid}?${new URLSearchParams(input as Record<string, string>)}`, {
              method,
            })
          : await session.fetchHandler(`/xrpc/${nsid}`, {
              method,
              headers: { "content-type": "application/json" },
              body: JSON.stringify(input),
            });
    } catch (error) {
      throw new PdsUnavailableError(
        `Your PDS could not be reached (${(error as Error).message}); nothing was written. Try again later.`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return body;
    const error = typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
    if (error === "InvalidSwap")
      throw new RecordConflictError("The post changed since you saw it; reload it and edit again.");
    if (response.status >= 500)
      throw new PdsUnavailableError(`Your PDS failed (${error}); nothing was written. Try again later.`);
    throw new PdsRefusedError(
      response.status,
      error,
      `Your PDS refused the write: ${typeof body.message === "string" ? body.message : error}`,
    );
  }
  return {
    did,
    async create(collection, record, rkey) {
      const out = await call("POST", "com.atproto.repo.createRecord", {
        repo: did,
        collection,
        record,
        validate: false,
        ...(rkey ? { rkey } : {}),
      });
      return { uri: String(out.uri), cid: String(out.cid), rev: revOf(out) };
    },
    async put(collection, rkey, record, swapRecord) {
      const out = await call("POST", "com.atproto.repo.putRecord", {
        repo: did,
        collection,
        rkey,
        record,
        swapRecord,
        validate: false,
      });
      return { uri: String(out.uri), cid: String(out.cid), rev: revOf(out) };
    },
    async delete(collection, rkey, swapRecord) {
      const out = await call("POST", "com.atproto.repo.deleteRecord", {
        repo: did,
        collection,
        rkey,
        ...(swapRecord ? { swapRecord } : {}),
      });
      return revOf(out);
    },
    async get(collection, rkey) {
      try {
        const out = await call("GET", "com.atproto.repo.getRecord", { repo: did, collection, rkey });
        return { uri: String(out.uri), cid: String(out.cid), value: out.value as Record<string, unknown> };
      } catch (error) {
        if (error instanceof PdsRefusedError && error.error === "RecordNotFound") return null;
        throw error;
      }
    },
    async list(collection) {
      const records: { uri: string; cid: string; value: Record<string, unknown> }[] = [];
      let cursor: string | undefined;
      do {
        const page = await call("GET", "com.atproto.repo.listRecords", {
          repo: did,
          collection,
          limit: "100",
          ...(cursor ? { cursor } : {}),
        });
        records.push(...((page.records as { uri: string; cid: string; value: Record<string, unknown> }[]) ?? []));
        cursor = typeof page.cursor === "string" && page.cursor !== cursor ? page.cursor : undefined;
      } while (cursor);
      return records;
    },
  };
}
