// Identity lookups: DID documents (signing keys for the firehose, PDS endpoints
// for backfill, claimed handles) and handles. The addresses involved are chosen
// by whoever owns an identity, so requests go through an SSRF-safe fetch: https
// on the default port, public addresses only, redirects refused, responses
// capped. A development network (@atproto/dev-env: every service plain http on
// loopback) is an exception the operator must ask for by name
// (ALLOW_LOOPBACK=true); it widens the addresses allowed, never the cap or the
// redirect rule.
import { safeFetchWrap } from "@atproto-labs/fetch-node";
import { type DidResolver, HandleResolver, IdResolver, MemoryCache } from "@atproto/identity";
import type { Logger } from "./logger.ts";

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
  /** Development networks only: plain http to loopback and private addresses, any port. */
  allowLoopback?: boolean;
  handles?: {
    /** Resolve handles with this service's com.atproto.identity.resolveHandle instead (a development network). */
    resolverUrl: string | null;
  };
}

/** A DID document, a handle's well-known answer or a listRecords page: none is near this. */
export const RESPONSE_MAX_BYTES = 8 * 1024 * 1024;

const publicFetch = safeFetchWrap({ allowIpHost: false, responseMaxSize: RESPONSE_MAX_BYTES });
const developmentFetch = safeFetchWrap({
  allowHttp: true,
  allowIpHost: true,
  allowPrivateIps: true,
  allowCustomPort: true,
  responseMaxSize: RESPONSE_MAX_BYTES,
});

/**
 * The only fetch identity lookups and backfill use. The caller's init comes
 * first, so no caller can turn redirects back on: a redirect could lead a
 * checked public address to an unchecked one.
 */
export function guardedFetch(allowLoopback: boolean): Fetch {
  const safe = allowLoopback ? developmentFetch : publicFetch;
  return (input, init) => safe(input, { ...init, redirect: "error" });
}

const identities = new Map<string, Identity>();

/** One per configuration, so every part of the process shares its DID document cache. */
export function identityFor(options: IdentityOptions, logger?: Logger): Identity {
  const key = `${options.plcUrl} ${options.handles?.resolverUrl ?? ""} ${options.allowLoopback === true}`;
  let identity = identities.get(key);
  if (!identity) {
    identities.set(key, (identity = createIdentity(options)));
    if (options.allowLoopback) {
      logger?.warn(
        { plcUrl: options.plcUrl },
        "ALLOW_LOOPBACK=true: DID documents, handles and PDSes may be fetched over plain http from loopback and private addresses (development networks only)",
      );
    }
  }
  return identity;
}

function createIdentity(options: IdentityOptions): Identity {
  const { plcUrl } = options;
  const handleResolverUrl = options.handles?.resolverUrl ?? null;
  const fetch = guardedFetch(options.allowLoopback === true);
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
