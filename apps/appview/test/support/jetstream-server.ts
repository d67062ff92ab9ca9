// A real WebSocket server speaking the Jetstream v1 wire on loopback: it
// replays its events after the requested cursor, like Jetstream, and can drop
// connections on purpose.
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { timeOf } from "./forum-events.ts";

export interface FakeJetstreamOptions {
  /** Close each connection after sending this many events. */
  dropEvery?: number;
  /** Pause between events, to stretch a stream out in time. */
  delayMs?: number;
}

/** A message, or raw bytes sent as a text frame (to send what no honest Jetstream would). */
export type FakeFrame = string | Buffer;

const frameTime = (frame: FakeFrame): number => {
  if (typeof frame === "string") return timeOf(frame);
  const match = /"time_us":(\d+)/.exec(frame.subarray(0, 512).toString("latin1"));
  if (!match) throw new Error("no time_us");
  return Number(match[1]);
};

export class FakeJetstream {
  readonly requests: { cursor: number | null; wantedCollections: string[] }[] = [];
  /** Each request's maxMessageSizeBytes parameter, in the order of `requests`. */
  readonly maxMessageSizes: (string | null)[] = [];
  #server: WebSocketServer;
  #events: FakeFrame[];
  #options: FakeJetstreamOptions;
  #sockets = new Set<WebSocket>();

  private constructor(server: WebSocketServer, events: FakeFrame[], options: FakeJetstreamOptions) {
    this.#server = server;
    this.#events = events;
    this.#options = options;
    server.on("connection", (socket, request) => this.#serve(socket, new URL(request.url ?? "/", "ws://localhost")));
  }

  static async start(events: FakeFrame[], options: FakeJetstreamOptions = {}): Promise<FakeJetstream> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    return new FakeJetstream(server, events, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  #serve(socket: WebSocket, url: URL) {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    const cursorParam = url.searchParams.get("cursor");
    const cursor = cursorParam === null ? null : Number(cursorParam);
    this.requests.push({ cursor, wantedCollections: url.searchParams.getAll("wantedCollections") });
    this.maxMessageSizes.push(url.searchParams.get("maxMessageSizeBytes"));
    // Events that carry no readable time_us (hostile ones) are replayed too: they sit between readable ones.
    let start = 0;
    if (cursor !== null) {
      start = this.#events.findIndex((message) => {
        try {
          return frameTime(message) > cursor;
        } catch {
          return false;
        }
      });
      if (start < 0) start = this.#events.length;
    }
    const { dropEvery } = this.#options;
    let sent = 0;
    const sendNext = () => {
      if (socket.readyState !== socket.OPEN) return;
      if (start + sent >= this.#events.length) return;
      if (dropEvery !== undefined && sent >= dropEvery) {
        socket.terminate();
        return;
      }
      socket.send(this.#events[start + sent]!, { binary: false }, () => {
        sent++;
        if (this.#options.delayMs) setTimeout(sendNext, this.#options.delayMs);
        else setImmediate(sendNext);
      });
    };
    sendNext();
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
