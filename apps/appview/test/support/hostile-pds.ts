// A hostile PDS on loopback, and the PLC directory that sends backfill to it:
// one node:http server answers both. Each repository behaves as its DID's
// entry in `repos` says: an endless cursor, a cursor given again, one page of
// far more records than asked for, answers slower than any deadline.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HostileBehaviour =
  /** No records: the repository is empty. */
  | { kind: "empty" }
  /** One junk record per page and a new cursor every time, after `delayMs`. */
  | { kind: "endless"; delayMs?: number }
  /** One junk record and the same cursor on every page. */
  | { kind: "repeating" }
  /** One page of `records` junk records, whatever the limit asked. */
  | { kind: "flood"; records: number }
  /** Answers after `delayMs` (longer than a repository's deadline). */
  | { kind: "stalling"; delayMs: number };

/** A syntactically valid did:plc (24 base32 characters) spelled from `word`. */
export function plcDid(word: string): string {
  const letters = word.toLowerCase().replace(/[^a-z2-7]/g, "");
  return `did:plc:${letters.repeat(Math.ceil(24 / letters.length)).slice(0, 24)}`;
}

export interface HostilePds {
  url: string;
  /** listRecords requests per repository DID. */
  requests: Map<string, number>;
  stop(): Promise<void>;
}

const junk = (did: string, collection: string, n: number) => ({
  uri: `at://${did}/${collection}/junk${n}`,
  cid: "not-a-cid",
  value: { $type: collection, junk: n },
});

export async function startHostilePds(repos: Record<string, HostileBehaviour>): Promise<HostilePds> {
  const requests = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let url = "";
  const server: Server = createServer((request, response) => {
    const address = new URL(request.url ?? "/", "http://localhost");
    const send = (body: unknown, delayMs = 0) => {
      const write = () =>
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(typeof body === "string" ? body : JSON.stringify(body));
      if (delayMs === 0) return write();
      const timer = setTimeout(() => {
        timers.delete(timer);
        write();
      }, delayMs);
      timers.add(timer);
    };
    // The PLC directory: GET /<did>.
    const did = decodeURIComponent(address.pathname.slice(1));
    if (did in repos) {
      return send({
        "@context": ["https://www.w3.org/ns/did/v1"],
        id: did,
        alsoKnownAs: [],
        verificationMethod: [],
        service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: url }],
      });
    }
    if (address.pathname !== "/xrpc/com.atproto.repo.listRecords") return response.writeHead(404).end();
    const repo = address.searchParams.get("repo") ?? "";
    const collection = address.searchParams.get("collection") ?? "";
    const behaviour = repos[repo];
    if (!behaviour) return response.writeHead(400).end(JSON.stringify({ error: "RepoNotFound" }));
    const n = (requests.get(repo) ?? 0) + 1;
    requests.set(repo, n);
    switch (behaviour.kind) {
      case "empty":
        return send({ records: [] });
      case "endless":
        return send({ cursor: `next-${n}`, records: [junk(repo, collection, n)] }, behaviour.delayMs);
      case "repeating":
        return send({ cursor: "again", records: [junk(repo, collection, n)] });
      case "flood": {
        // Small records, so that the page stays under the response cap (8 MB) and is read.
        const records = Array.from({ length: behaviour.records }, (_, i) => `{"value":${i}}`).join(",");
        return send(`{"cursor":"more","records":[${records}]}`);
      }
      case "stalling":
        return send({ records: [] }, behaviour.delayMs);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
