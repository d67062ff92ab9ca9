// Backfill: what Jetstream no longer holds, read from the repositories
// themselves. The forum account's collections first (everything else refers
// to them), then every known member's space.atbb.* collections, page by page
// through com.atproto.repo.listRecords. Each page goes through the same
// validation and indexer as live events, in one transaction with its progress
// row, so an interrupted backfill resumes at the page after the last one
// applied.
import type { DatabaseHandle } from "@atbb/db";
import { collections, forumOwnedCollections, isDid, type Collection } from "@atbb/lexicon";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import { validate, type Candidate, type SourceEvent } from "../events/index.ts";
import { HostLimiter } from "./limiter.ts";
import { errorChain, type PdsLocator, type PdsService } from "./pds.ts";

export const memberCollections: readonly Collection[] = collections.filter((c) => !forumOwnedCollections.has(c));

export interface BackfillOptions {
  database: DatabaseHandle;
  indexer: Indexer;
  forumDid: string;
  logger: Logger;
  pds: PdsLocator;
  /** A relay whose com.atproto.sync.listReposByCollection names repos holding space.atbb.* records. */
  relayUrl?: string | null;
  /** Repositories fetched at once. */
  concurrency?: number;
  /** Requests per second to any one host. */
  requestsPerSecond?: number;
  pageSize?: number;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillProgress {
  phase: "forum" | "members";
  reposDone: number;
  reposTotal: number;
  records: number;
  errors: number;
}

export interface BackfillReport {
  repos: number;
  records: number;
  errors: number;
  /** Repositories or collections that could not be read: they stay pending and are retried. */
  failures: BackfillFailure[];
  ms: number;
}

export interface BackfillFailure {
  did: string;
  /** Null when the whole repository could not be read (its PDS not found). `did` is the relay's URL when the relay could not list repositories. */
  collection: string | null;
  error: string;
}

interface ListRecordsPage {
  cursor?: string;
  records: ListedRecord[];
}

export interface ListedRecord {
  uri: string;
  cid: string;
  value: unknown;
}

/**
 * A listRecords item of `did`'s `collection` as a create. The listing carries
 * no time: all it proves is that the record existed by now. So its time is
 * the earlier of now and the date the record claims — a record written while
 * this AppView was away keeps its place among its neighbours (dating it by
 * the backfill would put every backfilled reply after a lock backfilled a
 * moment earlier), and a claim in the future is still capped at now.
 */
export function listedCandidate(did: string, collection: Collection, item: ListedRecord): Candidate {
  const rkey = typeof item.uri === "string" ? item.uri.split("/").pop() : undefined;
  return { kind: "commit", timeUs: listedTimeUs(item.value, Date.now()), did, collection, rkey, operation: "create", cid: item.cid, record: item.value };
}

/** The earlier of `nowMs` and the record's `createdAt`, in µs; a claim that does not parse, or lies before 1970 (no event time is), counts as none. */
function listedTimeUs(record: unknown, nowMs: number): number {
  const claimed = typeof record === "object" && record !== null ? (record as { createdAt?: unknown }).createdAt : undefined;
  const claimedMs = typeof claimed === "string" ? Date.parse(claimed) : Number.NaN;
  return (claimedMs > 0 && claimedMs < nowMs ? claimedMs : nowMs) * 1000;
}

class BackfillError extends Error {}

export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const { database, indexer, forumDid, logger, pds } = options;
  const { backfillProgress, backfillErrors, users } = database.schema;
  const concurrency = options.concurrency ?? 4;
  const pageSize = options.pageSize ?? 100;
  const limiter = new HostLimiter(options.requestsPerSecond ?? 10);
  const started = performance.now();
  const totals = { repos: 0, records: 0, errors: 0 };
  const failures: BackfillFailure[] = [];

  /** A GET through `fetch`: the operator's relay takes the plain one, a DID document's PDS the safe one. */
  async function getJson<T>(url: URL, fetch: PdsService["fetch"] = globalThis.fetch): Promise<T> {
    await limiter.take(url.host);
    const where = `${url.origin}${url.pathname}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: "application/json" }, redirect: "error", signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new BackfillError(`cannot reach ${where}: ${errorChain(error)}`, { cause: error });
    }
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      throw new BackfillError(`${where} answered ${response.status}: ${body.slice(0, 200)}`);
    }
    return (await response.json()) as T;
  }

  async function recordError(did: string, collection: string | null, uri: string | null, error: string) {
    totals.errors++;
    logger.warn({ did, collection, uri, error }, "backfill error");
    await database.db.transaction(async (tx) => {
      await tx.insert(backfillErrors).values({ did, collection, uri, error: error.slice(0, 1000), createdAt: new Date() });
    });
  }

  async function progressOf(did: string, collection: Collection) {
    const [row] = await database.db
      .select()
      .from(backfillProgress)
      .where(and(eq(backfillProgress.did, did), eq(backfillProgress.collection, collection)));
    return row;
  }

  /** One collection of one repository, resuming after the last page applied. */
  async function backfillCollection(did: string, service: PdsService, collection: Collection): Promise<void> {
    const existing = await progressOf(did, collection);
    if (existing?.status === "done") return;
    let cursor = existing?.cursor ?? null;
    const now = new Date();
    if (!existing) {
      await database.db.transaction(async (tx) => {
        await tx.insert(backfillProgress).values({ did, collection, cursor: null, status: "running", startedAt: now, updatedAt: now }).onConflictDoNothing();
      });
    }
    for (;;) {
      const url = new URL("/xrpc/com.atproto.repo.listRecords", service.url);
      url.searchParams.set("repo", did);
      url.searchParams.set("collection", collection);
      url.searchParams.set("limit", String(pageSize));
      // Oldest first: parents before their replies, ids in the order live indexing gives.
      url.searchParams.set("reverse", "true");
      if (cursor !== null) url.searchParams.set("cursor", cursor);
      const page = await getJson<ListRecordsPage>(url, service.fetch);
      if (!Array.isArray(page.records)) throw new BackfillError(`listRecords for ${did} ${collection} returned no records array`);
      const events: SourceEvent[] = [];
      for (const record of page.records) {
        const verdict = validate(listedCandidate(did, collection, record), forumDid);
        // Backfill never moves the live cursor.
        events.push({ cursor: null, verdict });
        if (!verdict.ok) await recordError(did, collection, typeof record.uri === "string" ? record.uri : null, `${verdict.rejection.reason}: ${verdict.rejection.detail}`);
      }
      const next = typeof page.cursor === "string" && page.cursor !== "" && page.records.length > 0 ? page.cursor : null;
      await indexer.applyEvents(events, async (tx) => {
        await tx
          .update(backfillProgress)
          .set({
            cursor: next,
            status: next === null ? "done" : "running",
            recordsIndexed: sql`${backfillProgress.recordsIndexed} + ${events.filter((e) => e.verdict.ok).length}`,
            updatedAt: new Date(),
            completedAt: next === null ? new Date() : null,
          })
          .where(and(eq(backfillProgress.did, did), eq(backfillProgress.collection, collection)));
      });
      totals.records += events.length;
      if (next === null) return;
      cursor = next;
    }
  }

  /**
   * A repository or collection that could not be read stays pending: its
   * progress rows say "failed", so the next run (serve's retry, or
   * `atbb backfill`) tries it again instead of calling the backfill done.
   */
  async function recordFailure(did: string, collections: readonly Collection[], collection: Collection | null, error: string) {
    failures.push({ did, collection, error });
    await recordError(did, collection, null, error);
    const now = new Date();
    await database.db.transaction(async (tx) => {
      for (const c of collections) {
        await tx
          .insert(backfillProgress)
          .values({ did, collection: c, cursor: null, status: "failed", startedAt: now, updatedAt: now })
          .onConflictDoUpdate({ target: [backfillProgress.did, backfillProgress.collection], set: { status: "failed", updatedAt: now } });
      }
    });
  }

  async function backfillRepo(did: string, wanted: readonly Collection[]): Promise<void> {
    let service: PdsService;
    try {
      service = await pds.locate(did);
    } catch (error) {
      await recordFailure(did, wanted, null, `cannot find the PDS: ${errorChain(error)}`);
      return;
    }
    for (const collection of wanted) {
      try {
        await backfillCollection(did, service, collection);
      } catch (error) {
        await recordFailure(did, [collection], collection, errorChain(error));
      }
    }
  }

  /** Repositories that may hold member records: those we know, and those a relay names. */
  async function memberRepos(): Promise<string[]> {
    const known = await database.db.select({ did: users.did }).from(users).where(ne(users.did, forumDid));
    const dids = new Set(known.map((row) => row.did));
    const pending = await database.db.select({ did: backfillProgress.did }).from(backfillProgress).where(ne(backfillProgress.did, forumDid));
    for (const row of pending) dids.add(row.did);
    if (options.relayUrl) {
      for (const collection of memberCollections) {
        let cursor: string | null = null;
        do {
          const url = new URL("/xrpc/com.atproto.sync.listReposByCollection", options.relayUrl);
          url.searchParams.set("collection", collection);
          url.searchParams.set("limit", "1000");
          if (cursor !== null) url.searchParams.set("cursor", cursor);
          let page: { cursor?: string; repos?: { did: unknown }[] };
          try {
            page = await getJson(url);
          } catch (error) {
            // Members already known are still read; the relay is asked again on the next run.
            failures.push({ did: options.relayUrl, collection, error: errorChain(error) });
            totals.errors++;
            logger.warn({ relay: options.relayUrl, collection, error: errorChain(error) }, "backfill: the relay did not list repositories");
            break;
          }
          for (const repo of page.repos ?? []) if (isDid(repo.did) && repo.did !== forumDid) dids.add(repo.did);
          cursor = typeof page.cursor === "string" && (page.repos?.length ?? 0) > 0 ? page.cursor : null;
        } while (cursor !== null);
      }
    }
    return [...dids].sort();
  }

  const report = (phase: BackfillProgress["phase"], reposTotal: number) =>
    options.onProgress?.({ phase, reposDone: totals.repos, reposTotal, records: totals.records, errors: totals.errors });

  report("forum", 1);
  await backfillRepo(forumDid, [...forumOwnedCollections]);
  totals.repos++;
  report("forum", 1);

  const members = await memberRepos();
  const queue = [...members];
  report("members", members.length + 1);
  const worker = async () => {
    for (let did = queue.shift(); did !== undefined; did = queue.shift()) {
      await backfillRepo(did, memberCollections);
      totals.repos++;
      report("members", members.length + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ...totals, failures, ms: performance.now() - started };
}
