// Backfill: what Jetstream no longer holds, read from the repositories
// themselves. The forum account's collections first (everything else refers
// to them), then every known member's space.atbb.* collections, page by page
// through com.atproto.repo.listRecords. Each page goes through the same
// validation and indexer as live events, in one transaction with its progress
// row, so an interrupted backfill resumes at the page after the last one
// applied.
import type { DatabaseHandle } from "@atbb/db";
import { collections, forumOwnedCollections, isDid, isTid, type Collection } from "@atbb/lexicon";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import { validate, type SourceEvent } from "../events/index.ts";
import { HostLimiter } from "./limiter.ts";
import { listedCandidate, pageRejections, type ListedRecord } from "./listing.ts";
import { BackfillStopped, DEFAULT_REPO_LIMITS, RepoBudget, RepoLimitError, type RepoLimits } from "./limits.ts";
import { errorChain, type PdsLocator, type PdsService } from "./pds.ts";

export { listedCandidate, type ListedRecord } from "./listing.ts";

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
  /** What one repository may cost (pages, records, time); the rest of it waits for the next run. */
  repoLimits?: Partial<RepoLimits>;
  onProgress?: (progress: BackfillProgress) => void;
  /** Called once the forum account's own records are in: live indexing may start beside the members' backfill. */
  onForumDone?: () => void;
  /** Stops between pages (and cuts a request short): what was not read stays pending, unmarked as failed. */
  signal?: AbortSignal;
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

class BackfillError extends Error {}

export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const { database, indexer, forumDid, logger, pds } = options;
  const { backfillProgress, backfillErrors, users } = database.schema;
  const concurrency = options.concurrency ?? 4;
  const pageSize = options.pageSize ?? 100;
  const limiter = new HostLimiter(options.requestsPerSecond ?? 10);
  const repoLimits: RepoLimits = { ...DEFAULT_REPO_LIMITS, ...options.repoLimits };
  const started = performance.now();
  const totals = { repos: 0, records: 0, errors: 0 };
  const failures: BackfillFailure[] = [];

  /** A GET through `fetch`: the operator's relay takes the plain one, a DID document's PDS the safe one. */
  async function getJson<T>(url: URL, fetch: PdsService["fetch"] = globalThis.fetch, budget?: RepoBudget): Promise<T> {
    await limiter.take(url.host);
    const where = `${url.origin}${url.pathname}`;
    const timeout = AbortSignal.timeout(30_000);
    const signal = budget
      ? AbortSignal.any([timeout, budget.signal])
      : options.signal
        ? AbortSignal.any([timeout, options.signal])
        : timeout;
    // The repository's budget ran out, or the backfill was stopped, while the request was in flight.
    const cutShort = (error: unknown) =>
      (budget && !timeout.aborted ? budget.interrupted() : null) ??
      (options.signal?.aborted ? new BackfillStopped("the backfill was stopped") : null) ??
      error;
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: "application/json" }, redirect: "error", signal });
    } catch (error) {
      throw cutShort(new BackfillError(`cannot reach ${where}: ${errorChain(error)}`, { cause: error }));
    }
    try {
      if (!response.ok) {
        const body = await response.text().catch(() => "");
        throw new BackfillError(`${where} answered ${response.status}: ${body.slice(0, 200)}`);
      }
      return (await response.json()) as T;
    } catch (error) {
      throw cutShort(
        error instanceof BackfillError
          ? error
          : new BackfillError(`${where} sent no readable JSON: ${errorChain(error)}`, { cause: error }),
      );
    }
  }

  async function recordError(did: string, collection: string | null, uri: string | null, error: string, count = 1) {
    totals.errors += count;
    logger.warn({ did, collection, uri, error }, "backfill error");
    await database.db.transaction(async (tx) => {
      await tx
        .insert(backfillErrors)
        .values({ did, collection, uri, error: error.slice(0, 1000), createdAt: new Date() });
    });
  }

  async function progressOf(did: string, collection: Collection) {
    const [row] = await database.db
      .select()
      .from(backfillProgress)
      .where(and(eq(backfillProgress.did, did), eq(backfillProgress.collection, collection)));
    return row;
  }

  /**
   * One collection of one repository, resuming after the last page applied,
   * within the repository's budget. A page larger than asked for, or a cursor
   * given a second time, ends the collection (it stays pending).
   */
  async function backfillCollection(
    did: string,
    service: PdsService,
    collection: Collection,
    budget: RepoBudget,
    rev: string | null,
  ): Promise<void> {
    const existing = await progressOf(did, collection);
    if (existing?.status === "done") return;
    let cursor = existing?.cursor ?? null;
    const now = new Date();
    if (!existing) {
      await database.db.transaction(async (tx) => {
        await tx
          .insert(backfillProgress)
          .values({ did, collection, cursor: null, status: "running", startedAt: now, updatedAt: now })
          .onConflictDoNothing();
      });
    }
    const seen = new Set<string>(cursor === null ? [] : [cursor]);
    for (;;) {
      budget.takePage();
      const url = new URL("/xrpc/com.atproto.repo.listRecords", service.url);
      url.searchParams.set("repo", did);
      url.searchParams.set("collection", collection);
      url.searchParams.set("limit", String(pageSize));
      // Oldest first: parents before their replies, ids in the order live indexing gives.
      url.searchParams.set("reverse", "true");
      if (cursor !== null) url.searchParams.set("cursor", cursor);
      const page = await getJson<ListRecordsPage>(url, service.fetch, budget);
      if (!Array.isArray(page.records))
        throw new BackfillError(`listRecords for ${did} ${collection} returned no records array`);
      if (page.records.length > pageSize)
        throw new BackfillError(
          `listRecords for ${did} ${collection} returned ${page.records.length} records for a limit of ${pageSize}`,
        );
      const next =
        typeof page.cursor === "string" && page.cursor !== "" && page.records.length > 0 ? page.cursor : null;
      if (next !== null && seen.has(next))
        throw new BackfillError(
          `listRecords for ${did} ${collection} gave the cursor ${JSON.stringify(next.slice(0, 100))} a second time`,
        );
      if (next !== null) seen.add(next);
      budget.takeRecords(page.records.length);
      const events: SourceEvent[] = [];
      const rejections: { uri: string | null; reason: string; detail: string }[] = [];
      for (const record of page.records) {
        const verdict = validate(listedCandidate(did, collection, record, rev), forumDid);
        // Backfill never moves the live cursor.
        events.push({ cursor: null, verdict });
        if (!verdict.ok)
          rejections.push({
            uri: typeof record?.uri === "string" ? record.uri.slice(0, 500) : null,
            ...verdict.rejection,
          });
      }
      const pageError = pageRejections(rejections);
      if (pageError) await recordError(did, collection, pageError.uri, pageError.error, rejections.length);
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
  async function recordFailure(
    did: string,
    collections: readonly Collection[],
    collection: Collection | null,
    error: string,
  ) {
    failures.push({ did, collection, error });
    await recordError(did, collection, null, error);
    const now = new Date();
    await database.db.transaction(async (tx) => {
      for (const c of collections) {
        await tx
          .insert(backfillProgress)
          .values({ did, collection: c, cursor: null, status: "failed", startedAt: now, updatedAt: now })
          .onConflictDoUpdate({
            target: [backfillProgress.did, backfillProgress.collection],
            set: { status: "failed", updatedAt: now },
          });
      }
    });
  }

  /**
   * The repository's revision now, before anything is listed: every version
   * listed after it is at least that recent (listing.ts). Null when the PDS
   * will not say; the listing is then applied as it comes, as live events are.
   */
  async function headRevision(did: string, service: PdsService, budget: RepoBudget): Promise<string | null> {
    const url = new URL("/xrpc/com.atproto.sync.getLatestCommit", service.url);
    url.searchParams.set("did", did);
    try {
      const { rev } = await getJson<{ rev?: unknown }>(url, service.fetch, budget);
      return isTid(rev) ? rev : null;
    } catch (error) {
      // A stop or a spent budget shows again at the first listing, which handles it.
      logger.debug({ did, err: error }, "the PDS did not give the repository's revision");
      return null;
    }
  }

  async function backfillRepo(did: string, wanted: readonly Collection[]): Promise<void> {
    if (options.signal?.aborted) return;
    let service: PdsService;
    try {
      service = await pds.locate(did);
    } catch (error) {
      await recordFailure(did, wanted, null, `cannot find the PDS: ${errorChain(error)}`);
      return;
    }
    const budget = new RepoBudget(repoLimits, options.signal);
    const rev = await headRevision(did, service, budget);
    for (const [i, collection] of wanted.entries()) {
      try {
        await backfillCollection(did, service, collection, budget, rev);
      } catch (error) {
        // Stopped: the collection in progress stays "running" and resumes on the next run.
        if (error instanceof BackfillStopped) return;
        if (error instanceof RepoLimitError) {
          // The budget is the repository's: its other collections wait too, unasked.
          await recordFailure(did, wanted.slice(i), null, error.message);
          return;
        }
        await recordFailure(did, [collection], collection, errorChain(error));
      }
    }
  }

  /**
   * Repositories that may hold member records: those we know, those the forum
   * account's own records name (its grants and its moderation, read just
   * before), and those a relay names.
   */
  async function memberRepos(): Promise<string[]> {
    const { roleGrants, modActions } = database.schema;
    const [known, granted, moderated] = await Promise.all([
      database.db.select({ did: users.did }).from(users).where(ne(users.did, forumDid)),
      database.db.select({ did: roleGrants.memberDid }).from(roleGrants).where(eq(roleGrants.did, forumDid)),
      database.db.select({ did: modActions.subjectDid }).from(modActions).where(eq(modActions.did, forumDid)),
    ]);
    const dids = new Set(
      [...known, ...granted, ...moderated].flatMap((row) => (row.did && row.did !== forumDid ? [row.did] : [])),
    );
    const pending = await database.db
      .select({ did: backfillProgress.did })
      .from(backfillProgress)
      .where(ne(backfillProgress.did, forumDid));
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
            logger.warn(
              { relay: options.relayUrl, collection, error: errorChain(error) },
              "backfill: the relay did not list repositories",
            );
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
    options.onProgress?.({
      phase,
      reposDone: totals.repos,
      reposTotal,
      records: totals.records,
      errors: totals.errors,
    });

  report("forum", 1);
  await backfillRepo(forumDid, [...forumOwnedCollections]);
  totals.repos++;
  report("forum", 1);
  options.onForumDone?.();

  const members = await memberRepos();
  const queue = [...members];
  report("members", members.length + 1);
  const worker = async () => {
    for (let did = queue.shift(); did !== undefined && !options.signal?.aborted; did = queue.shift()) {
      await backfillRepo(did, memberCollections);
      totals.repos++;
      report("members", members.length + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ...totals, failures, ms: performance.now() - started };
}
