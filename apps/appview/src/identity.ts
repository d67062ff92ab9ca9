// DID resolution for the firehose (signing keys) and backfill (PDS endpoints).
import { DidResolver, IdResolver, MemoryCache } from "@atproto/identity";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https anywhere; plain http only on loopback (a development network such as @atproto/dev-env). */
export function allowedUrl(value: string): URL {
  const url = new URL(value);
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) return url;
  throw new Error(`${value} is neither https nor a loopback http address`);
}

/** fetch for identity lookups, held to allowedUrl (@atproto/identity's own refuses all plain http). */
const identityFetch: typeof globalThis.fetch = (input, init) =>
  globalThis.fetch(allowedUrl(input instanceof Request ? input.url : String(input)), init);

const didCache = new MemoryCache();

export const createDidResolver = (plcUrl: string) => new DidResolver({ plcUrl, didCache, fetch: identityFetch });
export const createIdResolver = (plcUrl: string) => new IdResolver({ plcUrl, didCache, fetch: identityFetch });
