// Where a repository lives: the #atproto_pds service in its DID document
// (did:plc from the PLC directory, did:web from its well-known document), cached.
import type { Fetch, Identity } from "../identity.ts";

/** A PDS, and the fetch fit to reach it: the SSRF-safe one for addresses a DID document chose. */
export interface PdsService {
  url: URL;
  fetch: Fetch;
}

export interface PdsLocator {
  locate(did: string): Promise<PdsService>;
}

/** The message of an error and of its causes: fetch's "fetch failed" hides ECONNREFUSED in its cause. */
export function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (
    let e: unknown = error, depth = 0;
    e !== undefined && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const message = e instanceof Error ? e.message : String(e);
    // Some libraries repeat their cause in their own message.
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    if (!(e instanceof Error)) break;
  }
  return parts.join(": ");
}

export function createPdsLocator(options: {
  identity: Identity;
  overrides?: Record<string, string>;
  plcUrl?: string;
}): PdsLocator {
  const { identity, overrides = {} } = options;
  /** Where a DID's document is read from, to name in an error. */
  const documentSource = (did: string) =>
    did.startsWith("did:web:")
      ? `https://${decodeURIComponent(did.slice("did:web:".length))}/.well-known/did.json`
      : `${options.plcUrl ?? "the PLC directory"}`;
  return {
    async locate(did) {
      // The operator's own setting (PDS_URL): trusted as given.
      const override = overrides[did];
      if (override) return { url: new URL(override), fetch: globalThis.fetch };
      let document: Awaited<ReturnType<Identity["did"]["ensureResolve"]>>;
      try {
        document = await identity.did.ensureResolve(did);
      } catch (error) {
        throw new Error(`cannot read the DID document of ${did} from ${documentSource(did)}: ${errorChain(error)}`, {
          cause: error,
        });
      }
      const service = document.service?.find((s) => s.id === "#atproto_pds" || s.id === `${did}#atproto_pds`);
      if (typeof service?.serviceEndpoint !== "string")
        throw new Error(`the DID document of ${did} names no #atproto_pds service`);
      return { url: new URL(service.serviceEndpoint), fetch: identity.fetch };
    },
  };
}
