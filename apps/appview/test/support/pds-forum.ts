// A real AT Protocol network on loopback (@atproto/dev-env: a PDS and a PLC
// directory, in a child process) and a forum written to it through a real
// AT Protocol client.
import { AtpAgent } from "@atproto/api";
import type { DatabaseHandle } from "@atbb/db";
import { ids, type Collection } from "@atbb/lexicon";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { identityFor } from "../../src/identity.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { FirehoseSource } from "../../src/source/firehose.ts";
import { tid } from "./forum-events.ts";

export interface Ref {
  uri: string;
  cid: string;
}

export interface Account {
  did: string;
  handle: string;
  agent: AtpAgent;
}

export class PdsForum {
  readonly pdsUrl: string;
  readonly plcUrl: string;
  forum!: Account;
  #process: ChildProcess;
  #relay: Server | null = null;
  #closing = false;

  private constructor(process: ChildProcess, urls: { pdsUrl: string; plcUrl: string }) {
    this.#process = process;
    this.pdsUrl = urls.pdsUrl;
    this.plcUrl = urls.plcUrl;
  }

  static async start(): Promise<PdsForum> {
    const child = spawn(process.execPath, ["--conditions=development", join(import.meta.dirname, "pds-process.ts")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the test PDS exited (${code}) before starting`)));
    });
    child.once("exit", (code, signal) => {
      if (!pds.#closing) console.error(`the test PDS exited unexpectedly (${code ?? signal})`);
    });
    const pds: PdsForum = new PdsForum(child, JSON.parse(firstLine) as { pdsUrl: string; plcUrl: string });
    pds.forum = await pds.account("theforum");
    return pds;
  }

  get firehoseUrl(): string {
    return this.pdsUrl.replace(/^http/, "ws");
  }

  /** An indexer for the forum into `database`, and this PDS's firehose as its source (not yet running). */
  firehoseIndexer(database: DatabaseHandle, options: { batchMaxWaitMs?: number } = {}) {
    const indexer = createIndexer({
      database,
      forumDid: this.forum.did,
      service: "firehose",
      logger: silentLogger,
      ...options,
    });
    const source = new FirehoseSource({
      url: this.firehoseUrl,
      identity: identityFor({ plcUrl: this.plcUrl, allowLoopback: true }),
      logger: silentLogger,
    });
    return { indexer, source };
  }

  async account(name: string): Promise<Account> {
    const agent = new AtpAgent({ service: this.pdsUrl });
    const handle = `${name}.test`;
    await agent.createAccount({ email: `${name}@example.com`, handle, password: `${name}-password` });
    return { did: agent.session!.did, handle, agent };
  }

  /**
   * Writes a record as `who`, as given (validation off: the PDS does not know
   * space.atbb.*). `ref` is the strongRef other records point at it with.
   */
  async put(
    who: Account,
    collection: Collection,
    record: Record<string, unknown>,
    rkey?: string,
  ): Promise<Ref & { rkey: string; ref: Ref }> {
    const { data } = await who.agent.com.atproto.repo.putRecord({
      repo: who.did,
      collection,
      rkey: rkey ?? (collection === ids.forum ? "self" : nextTid()),
      record: { $type: collection, ...record },
      validate: false,
    });
    return { uri: data.uri, cid: data.cid, rkey: data.uri.split("/").pop()!, ref: { uri: data.uri, cid: data.cid } };
  }

  async remove(who: Account, collection: Collection, rkey: string): Promise<void> {
    await who.agent.com.atproto.repo.deleteRecord({ repo: who.did, collection, rkey });
  }

  /**
   * A relay's com.atproto.sync.listReposByCollection for this PDS (dev-env has
   * no relay): the PDS's own listRepos and describeRepo, asked on each call.
   */
  async relay(): Promise<string> {
    const pdsUrl = this.pdsUrl;
    const server = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://relay");
      if (url.pathname !== "/xrpc/com.atproto.sync.listReposByCollection") {
        res.writeHead(404).end();
        return;
      }
      const collection = url.searchParams.get("collection");
      const { repos } = (await (await fetch(`${pdsUrl}/xrpc/com.atproto.sync.listRepos?limit=1000`)).json()) as {
        repos: { did: string }[];
      };
      const holding: { did: string }[] = [];
      for (const { did } of repos) {
        const described = (await (await fetch(`${pdsUrl}/xrpc/com.atproto.repo.describeRepo?repo=${did}`)).json()) as {
          collections: string[];
        };
        if (described.collections.includes(collection ?? "")) holding.push({ did });
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ repos: holding }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#relay = server;
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    this.#relay?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#relay ? this.#relay.close(() => resolve()) : resolve()));
    this.#closing = true;
    const exited = new Promise((resolve) => this.#process.once("exit", resolve));
    this.#process.kill("SIGTERM");
    const killer = setTimeout(() => this.#process.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  }
}

let lastUs = 0;
/** A fresh TID, strictly increasing (record keys must be TIDs for most collections). */
export function nextTid(): string {
  lastUs = Math.max(lastUs + 1, Date.now() * 1000);
  return tid(lastUs);
}
