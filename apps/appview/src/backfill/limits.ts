// What one repository may cost a backfill. A PDS's address comes from a DID
// document that its owner writes, so a repository may answer with an endless
// cursor, pages far larger than asked for, or answers that never end: each
// repository gets a budget of pages, records and time, and a collection whose
// cursor comes back a second time is over at once.

export interface RepoLimits {
  /** listRecords pages read from one repository, over all its collections. */
  maxPages: number;
  /** Records taken from one repository, over all its collections. */
  maxRecords: number;
  /** Wall time for one repository, requests included. */
  deadlineMs: number;
}

/** A member with 100,000 forum records is far beyond any real forum; ten minutes at 10 requests/s is 6,000 pages. */
export const DEFAULT_REPO_LIMITS: RepoLimits = { maxPages: 2_000, maxRecords: 100_000, deadlineMs: 10 * 60_000 };

/** A repository that used up its budget: the rest of it waits for the next run, which resumes after the last page applied. */
export class RepoLimitError extends Error {}

/** A backfill asked to stop (shutdown): nothing failed, the collection in progress resumes next time. */
export class BackfillStopped extends Error {}

export class RepoBudget {
  readonly limits: RepoLimits;
  /** Aborts at the deadline or when the whole backfill is stopped, cutting short a request in flight. */
  readonly signal: AbortSignal;
  readonly #stop: AbortSignal | undefined;
  readonly #deadline: number;
  #pages = 0;
  #records = 0;

  constructor(limits: RepoLimits, stop?: AbortSignal) {
    this.limits = limits;
    this.#stop = stop;
    this.#deadline = Date.now() + limits.deadlineMs;
    const timeout = AbortSignal.timeout(limits.deadlineMs);
    this.signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
  }

  /** Why a request in flight was cut short (a stop, the deadline), as an error to throw; null when neither. */
  interrupted(): Error | null {
    if (this.#stop?.aborted) return new BackfillStopped("the backfill was stopped");
    if (Date.now() >= this.#deadline)
      return new RepoLimitError(
        `the repository took longer than ${this.limits.deadlineMs / 1000} s; the rest waits for the next run`,
      );
    return null;
  }

  /** Why the repository must not be read further now, as an error to throw; null while it may. */
  exhausted(): Error | null {
    const interrupted = this.interrupted();
    if (interrupted) return interrupted;
    if (this.#pages >= this.limits.maxPages)
      return new RepoLimitError(
        `the repository gave more than ${this.limits.maxPages} pages; the rest waits for the next run`,
      );
    return null;
  }

  /** Counts a page about to be asked for; throws when the budget is spent. */
  takePage(): void {
    const reason = this.exhausted();
    if (reason) throw reason;
    this.#pages++;
  }

  /** Counts a page's records before they are applied; throws, applying none of them, past the cap. */
  takeRecords(count: number): void {
    if (this.#records + count > this.limits.maxRecords) {
      throw new RepoLimitError(
        `the repository gave more than ${this.limits.maxRecords} records; the rest waits for the next run`,
      );
    }
    this.#records += count;
  }
}
