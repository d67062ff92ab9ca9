// Jetstream v1: JSON text over a WebSocket. This file is the only one that
// reads that text: it decodes each message into a candidate for the event
// contract's validator (or rejects what is not a readable Jetstream event).
import { isDid } from "@atbb/lexicon";
import WebSocket from "ws";
import {
  rejected,
  validate,
  type Candidate,
  type EventSource,
  type SourceEvent,
  type Verdict,
} from "../events/index.ts";
import type { Logger } from "../logger.ts";

/** No atBB event comes near this; Jetstream is asked not to send more (maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 1_000_000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A Jetstream message as a candidate, or the rejection of what cannot be one. Everything in it is untrusted. */
export function decodeJetstreamMessage(message: string): Candidate | Verdict {
  if (message.length > MAX_MESSAGE_BYTES) return rejected("invalid_json", "message larger than 1 MB", { timeUs: null });
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return rejected("invalid_json", "not JSON", { timeUs: null });
  }
  if (!isObject(event)) return rejected("invalid_envelope", "event is not an object", { timeUs: null });
  const { did, time_us: timeUs, kind } = event;
  if (typeof timeUs !== "number" || !Number.isSafeInteger(timeUs) || timeUs <= 0) {
    return rejected("invalid_envelope", "time_us is not a positive integer", { timeUs: null });
  }
  // What this wire rejects on its own comes after the envelope's DID, which
  // the validator checks first: a bad DID is the reason whatever else is wrong.
  const refuse = (reason: "invalid_record" | "unknown_kind" | "invalid_envelope", detail: string): Verdict =>
    isDid(did)
      ? rejected(reason, detail, { timeUs, did })
      : rejected("invalid_envelope", "did is not a DID", { timeUs });
  // A NUL anywhere (not only in the record's fields) rejects the event; the
  // validator looks again in what the candidate carries, for sources without JSON text.
  if (message.includes("\\u0000")) return refuse("invalid_record", "contains a NUL character");
  switch (kind) {
    case "commit": {
      const commit = event.commit;
      if (!isObject(commit)) return refuse("invalid_envelope", "commit event without commit");
      const { collection, rkey, operation, cid, record, rev } = commit;
      return { kind: "commit", timeUs, did, collection, rkey, operation, cid, record, rev };
    }
    case "identity":
      if (!isObject(event.identity)) return refuse("invalid_envelope", "identity event without identity");
      return { kind: "identity", timeUs, did };
    case "account": {
      const account = event.account;
      if (!isObject(account)) return refuse("invalid_envelope", "account event without account.active");
      return { kind: "account", timeUs, did, active: account.active, status: account.status };
    }
    default:
      return refuse("unknown_kind", `kind ${JSON.stringify(String(kind)).slice(0, 40)}`);
  }
}

/** A Jetstream message as a source event: its time_us is the cursor, even when the event is rejected. */
export function jetstreamEvent(message: string, forumDid: string): SourceEvent {
  const decoded = decodeJetstreamMessage(message);
  const verdict = "ok" in decoded ? decoded : validate(decoded, forumDid);
  return { cursor: verdict.ok ? verdict.op.timeUs : verdict.rejection.timeUs, verdict };
}

/**
 * A frame that arrived but cannot be read as an event: not UTF-8, or larger
 * than any event may be. It is stepped past (rejected and counted) instead of
 * closing the connection: a reconnect would resume at the same cursor and be
 * sent the same frame again, for ever.
 */
export interface UnreadableFrame {
  unreadable: string;
  /** The envelope's time_us when its head shows one, so the cursor can move past it. */
  timeUs: number | null;
}

/** Jetstream replays from the cursor; we step back this far to cover clock skew between instances. */
export const RESUME_OVERLAP_US = 10_000_000;

/**
 * Frames up to this size are read (and, past MAX_MESSAGE_BYTES, stepped over);
 * a larger one closes the connection (1009) unread. Jetstream is asked not to
 * send anything past MAX_MESSAGE_BYTES, so only a Jetstream that ignores the
 * request sends one, and then reconnects back off instead of looping.
 */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

// Jetstream writes the envelope's fields before the commit, so the first
// time_us in a frame is the envelope's, never one inside a record.
const HEAD_TIME_US = /"time_us"\s*:\s*(\d{1,16})[,}]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function readFrame(data: Buffer): string | UnreadableFrame {
  const headTime = () => {
    const match = HEAD_TIME_US.exec(data.subarray(0, 512).toString("latin1"));
    return match ? Number(match[1]) : null;
  };
  if (data.length > MAX_MESSAGE_BYTES)
    return { unreadable: `a ${data.length}-byte frame, over the ${MAX_MESSAGE_BYTES}-byte limit`, timeUs: headTime() };
  try {
    return utf8.decode(data);
  } catch {
    return { unreadable: "a frame that is not valid UTF-8", timeUs: headTime() };
  }
}

function unreadableEvent(frame: UnreadableFrame): SourceEvent {
  return { cursor: frame.timeUs, verdict: rejected("invalid_json", frame.unreadable, { timeUs: frame.timeUs }) };
}

export interface JetstreamOptions {
  /** e.g. wss://jetstream2.us-east.bsky.network (the /subscribe path is added). */
  url: string;
  logger: Logger;
  wantedCollections?: string[];
  /** Backoff after a failed or dropped connection: base, doubling, capped, with jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Pause reading from the socket when this many messages wait unprocessed. */
  highWaterMark?: number;
}

export class JetstreamSource implements EventSource {
  readonly name = "jetstream";
  #options: Required<JetstreamOptions>;
  #socket: WebSocket | null = null;
  #stopped = false;
  #connected = false;
  #wake: (() => void) | null = null;

  constructor(options: JetstreamOptions) {
    this.#options = {
      wantedCollections: ["space.atbb.*"],
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      highWaterMark: 5_000,
      ...options,
    };
  }

  get connected(): boolean {
    return this.#connected;
  }

  subscribeUrl(cursor: number | null): string {
    const url = new URL(this.#options.url);
    if (!url.pathname.endsWith("/subscribe")) url.pathname = `${url.pathname.replace(/\/$/, "")}/subscribe`;
    for (const collection of this.#options.wantedCollections) url.searchParams.append("wantedCollections", collection);
    url.searchParams.set("maxMessageSizeBytes", String(MAX_MESSAGE_BYTES));
    if (cursor !== null) url.searchParams.set("cursor", String(Math.max(0, cursor - RESUME_OVERLAP_US)));
    return url.toString();
  }

  async *events(resumeCursor: () => number | null, forumDid: string): AsyncIterable<SourceEvent> {
    for await (const message of this.messages(resumeCursor)) {
      yield typeof message === "string" ? jetstreamEvent(message, forumDid) : unreadableEvent(message);
    }
  }

  /** The raw JSON messages (and frames that cannot be read as one), reconnecting with backoff. */
  async *messages(resumeCursor: () => number | null): AsyncIterable<string | UnreadableFrame> {
    const { logger, backoffBaseMs, backoffMaxMs, highWaterMark } = this.#options;
    let failures = 0;
    while (!this.#stopped) {
      const queue: (string | UnreadableFrame)[] = [];
      let closed = false;
      const url = this.subscribeUrl(resumeCursor());
      // UTF-8 is checked by readFrame, so a bad frame is stepped past rather than closing the connection (1007).
      const socket = new WebSocket(url, {
        perMessageDeflate: false,
        maxPayload: MAX_FRAME_BYTES,
        skipUTF8Validation: true,
      });
      this.#socket = socket;
      const wake = () => {
        const wakeUp = this.#wake;
        this.#wake = null;
        wakeUp?.();
      };
      socket.on("open", () => {
        this.#connected = true;
        logger.info({ url }, "jetstream connected");
      });
      socket.on("message", (data: WebSocket.RawData) => {
        // perMessageDeflate is off and frames are not fragmented into arrays: data is one Buffer.
        queue.push(
          readFrame(Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)])),
        );
        if (queue.length >= highWaterMark) socket.pause();
        wake();
      });
      socket.on("error", (error) => logger.warn({ err: error.message }, "jetstream connection error"));
      socket.on("close", (code) => {
        if (code === 1009)
          logger.error(
            { url, maxFrameBytes: MAX_FRAME_BYTES },
            "jetstream sent a frame too large to read, ignoring maxMessageSizeBytes; reconnecting with backoff",
          );
        closed = true;
        this.#connected = false;
        wake();
      });

      while (!this.#stopped) {
        const message = queue.shift();
        if (message !== undefined) {
          if (queue.length < highWaterMark / 2 && socket.isPaused) socket.resume();
          yield message;
          // Only a processed event proves the connection works: a server that accepts
          // connections and then drops each one must still meet a growing backoff.
          failures = 0;
          continue;
        }
        if (closed) break;
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
      socket.removeAllListeners("message");
      socket.on("error", () => {});
      socket.terminate();
      if (this.#stopped) return;
      failures++;
      const delay = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (failures - 1));
      const jittered = delay / 2 + Math.random() * (delay / 2);
      logger.warn({ retryInMs: Math.round(jittered) }, "jetstream disconnected; reconnecting");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, jittered);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Now, in Jetstream's microseconds (resuming steps back RESUME_OVERLAP_US more). */
  async resumePoint(): Promise<number> {
    return Date.now() * 1000;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#socket?.terminate();
    const wakeUp = this.#wake;
    this.#wake = null;
    wakeUp?.();
  }
}
