// Identity lookups: DID documents (signing keys for the firehose, PDS endpoints
// for backfill, claimed handles) and handles. The addresses involved are chosen
// by whoever owns an identity, so requests go through an SSRF-safe fetch: https
// on the default port, public addresses only. A development network — PLC_URL
// on loopback, as @atproto/dev-env runs one — is the exception: there every
// service is plain http on loopback, and nothing else is reachable anyway.
import { safeFetchWrap } from "@atproto-labs/fetch-node";
import { DidResolver, HandleResolver, IdResolver, MemoryCache } from "@atproto/identity";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Identity {
  /** For requests to addresses found in DID documents (a PDS's listRecords). */
  fetch: Fetch;
  did: DidResolver;
  /** DID and handle resolvers together, as @atproto/sync wants them. */
  resolver: IdResolver;
  /** The DID a handle points at (DNS TXT or https well-known), or null. */
  resolveHandle(handle: string): Promise<string | null>;
}

export interface IdentityOptions {
  plcUrl: string;
  handles?: {
    /** Resolve handles with this service's com.atproto.identity.resolveHandle instead (a development network). */
    resolverUrl: string | null;
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const isDevelopmentNetwork = (plcUrl: string): boolean => LOOPBACK.has(new URL(plcUrl).hostname);

const safeFetch = safeFetchWrap({ allowIpHost: false, responseMaxSize: 8 * 1024 * 1024 });

const identities = new Map<string, Identity>();

/** One per configuration, so every part of the process shares its DID document cache. */
export function identityFor(options: IdentityOptions): Identity {
  const key = `${options.plcUrl} ${options.handles?.resolverUrl ?? ""}`;
  let identity = identities.get(key);
  if (!identity) identities.set(key, (identity = createIdentity(options)));
  return identity;
}

function createIdentity(options: IdentityOptions): Identity {
  const { plcUrl } = options;
  const handleResolverUrl = options.handles?.resolverUrl ?? null;
  const fetch: Fetch = isDevelopmentNetwork(plcUrl) ? globalThis.fetch : (input, init) => safeFetch(input, { redirect: "error", ...init });
  const didCache = new MemoryCache();
  const resolver = new IdResolver({ plcUrl, didCache, fetch, timeout: 5_000 });
  const handleResolver = new HandleResolver({ fetch, timeout: 5_000 });
  return {
    fetch,
    did: resolver.did,
    resolver,
    async resolveHandle(handle) {
      if (handleResolverUrl === null) return (await handleResolver.resolve(handle)) ?? null;
      const url = new URL("/xrpc/com.atproto.identity.resolveHandle", handleResolverUrl);
      url.searchParams.set("handle", handle);
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) return null;
      const { did } = (await response.json()) as { did?: unknown };
      return typeof did === "string" ? did : null;
    },
  };
}
