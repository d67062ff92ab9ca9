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

export class FakeJetstream {
  readonly requests: { cursor: number | null; wantedCollections: string[] }[] = [];
  #server: WebSocketServer;
  #events: string[];
  #options: FakeJetstreamOptions;
  #sockets = new Set<WebSocket>();

  private constructor(server: WebSocketServer, events: string[], options: FakeJetstreamOptions) {
    this.#server = server;
    this.#events = events;
    this.#options = options;
    server.on("connection", (socket, request) => this.#serve(socket, new URL(request.url ?? "/", "ws://localhost")));
  }

  static async start(events: string[], options: FakeJetstreamOptions = {}): Promise<FakeJetstream> {
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
    // Events that carry no readable time_us (hostile ones) are replayed too: they sit between readable ones.
    let start = 0;
    if (cursor !== null) {
      start = this.#events.findIndex((message) => {
        try {
          return timeOf(message) > cursor;
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
      socket.send(this.#events[start + sent]!, () => {
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
