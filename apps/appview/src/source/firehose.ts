// The firehose source: com.atproto.sync.subscribeRepos from a relay or a PDS,
// through @atproto/sync, which checks every commit's signature against the
// key in its author's DID document and the records against the commit's
// Merkle proofs. What survives is decoded into a candidate for the event
// contract's validator, the same one every other source goes through.
import { Firehose, FirehoseParseError, FirehoseSubscriptionError, type Event } from "@atproto/sync";
import { lexToJson } from "@atbb/lexicon";
import { rejected, validate, type Candidate, type EventSource, type SourceEvent } from "../events/index.ts";
import type { Identity } from "../identity.ts";
import { firehoseHead } from "./firehose-head.ts";
import type { Logger } from "../logger.ts";

export interface FirehoseOptions {
  /** e.g. wss://bsky.network, or a PDS's ws(s) URL. */
  url: string;
  /** Where DID documents (and so signing keys) come from. */
  identity: Identity;
  logger: Logger;
  /** Pause reading when this many events wait unprocessed. */
  highWaterMark?: number;
}

/** A verified firehose event as a candidate (its time in µs from the event's time), or null for what is not indexed. */
export function firehoseCandidate(event: Event): Candidate | null {
  const parsedUs = Date.parse(event.time) * 1000;
  const timeUs = Number.isFinite(parsedUs) && parsedUs > 0 ? parsedUs : 1;
  const { did } = event;
  switch (event.event) {
    case "create":
    case "update":
      // Records arrive as decoded CBOR; the lexicons validate the JSON data model.
      return {
        kind: "commit",
        timeUs,
        did,
        operation: event.event,
        collection: event.collection,
        rkey: event.rkey,
        rev: event.rev,
        cid: event.cid.toString(),
        record: lexToJson(event.record as never),
      };
    case "delete":
      return {
        kind: "commit",
        timeUs,
        did,
        operation: "delete",
        collection: event.collection,
        rkey: event.rkey,
        rev: event.rev,
      };
    case "identity":
      return { kind: "identity", timeUs, did };
    case "account":
      return { kind: "account", timeUs, did, active: event.active, status: event.status };
    case "sync":
      // A repo reset: its records arrive again through backfill, not here.
      return null;
  }
}

export class FirehoseSource implements EventSource {
  readonly name = "firehose";
  #options: Required<FirehoseOptions>;
  #firehose: Firehose | null = null;
  #connected = false;
  #stopped = false;
  #wake: (() => void) | null = null;
  #drained: (() => void) | null = null;

  constructor(options: FirehoseOptions) {
    this.#options = { highWaterMark: 5_000, ...options };
  }

  get connected(): boolean {
    return this.#connected;
  }

  async *events(resumeCursor: () => number | null, forumDid: string): AsyncIterable<SourceEvent> {
    const { url, identity, logger, highWaterMark } = this.#options;
    const queue: SourceEvent[] = [];
    const push = async (event: SourceEvent) => {
      queue.push(event);
      this.#wakeReader();
      // Back-pressure: @atproto/sync awaits this before reading the next event.
      if (queue.length >= highWaterMark) await new Promise<void>((resolve) => (this.#drained = resolve));
    };

    const firehose = new Firehose({
      service: url,
      idResolver: identity.resolver,
      filterCollections: ["space.atbb.*"],
      excludeSync: true,
      // Handles are verified both ways by the handle resolver, not on the hot path.
      unauthenticatedHandles: true,
      getCursor: () => resumeCursor() ?? undefined,
      handleEvent: async (event) => {
        this.#connected = true;
        const candidate = firehoseCandidate(event);
        if (candidate !== null) await push({ cursor: event.seq, verdict: validate(candidate, forumDid) });
      },
      onError: (error) => {
        if (error instanceof FirehoseParseError) {
          // A commit whose signature or Merkle proofs do not check out: counted, never indexed.
          const { seq, repo } = error.event as { seq?: unknown; repo?: unknown };
          const detail = (error.cause instanceof Error ? error.cause.message : error.message).slice(0, 300);
          void push({
            cursor: typeof seq === "number" ? seq : null,
            verdict: rejected("unverified_commit", detail, {
              timeUs: null,
              ...(typeof repo === "string" ? { did: repo } : {}),
            }),
          });
          return;
        }
        if (error instanceof FirehoseSubscriptionError) this.#connected = false;
        logger.warn({ err: error.cause instanceof Error ? error.cause.message : error.message }, "firehose error");
      },
    });
    this.#firehose = firehose;
    logger.info({ url }, "firehose subscribing");
    const running = firehose.start();
    try {
      while (!this.#stopped) {
        const event = queue.shift();
        if (event !== undefined) {
          if (queue.length < highWaterMark / 2) this.#releaseWriter();
          yield event;
          continue;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      this.#stopped = true;
      this.#releaseWriter();
      await firehose.destroy();
      await running;
    }
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #releaseWriter(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }

  /**
   * The sequence number of the head: the greatest cursor the server does not
   * refuse as FutureCursor (firehose-head.ts), found without waiting for an
   * event. A server that cannot be asked so gives the first event a fresh
   * subscription delivers, minus one, or, when silent, 0, which replays what
   * the server still holds: more work, never a gap.
   */
  async resumePoint(waitMs = 3_000): Promise<number> {
    const { url, identity, logger } = this.#options;
    const head = await firehoseHead(url, identity);
    if (head !== null) return head;
    logger.warn(
      { url },
      "the firehose did not refuse a cursor in the future; taking the resume point from its next event instead",
    );
    let resolveSeq: (seq: number) => void = () => {};
    const first = new Promise<number>((resolve) => (resolveSeq = resolve));
    const probe = new Firehose({
      service: url,
      idResolver: identity.resolver,
      unauthenticatedCommits: true,
      unauthenticatedHandles: true,
      handleEvent: (event) => resolveSeq(event.seq - 1),
      onError: () => {},
    });
    const running = probe.start();
    const timer = new Promise<number>((resolve) => setTimeout(() => resolve(0), waitMs).unref());
    const seq = await Promise.race([first, timer]);
    await probe.destroy();
    await running;
    return Math.max(0, seq);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#connected = false;
    this.#releaseWriter();
    this.#wakeReader();
    await this.#firehose?.destroy();
  }
}
