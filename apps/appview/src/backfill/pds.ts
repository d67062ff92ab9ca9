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

export function createPdsLocator(options: { identity: Identity; overrides?: Record<string, string> }): PdsLocator {
  const { identity, overrides = {} } = options;
  return {
    async locate(did) {
      // The operator's own setting (PDS_URL): trusted as given.
      const override = overrides[did];
      if (override) return { url: new URL(override), fetch: globalThis.fetch };
      const document = await identity.did.ensureResolve(did);
      const service = document.service?.find((s) => s.id === "#atproto_pds" || s.id === `${did}#atproto_pds`);
      if (typeof service?.serviceEndpoint !== "string") throw new Error("the DID document names no #atproto_pds service");
      return { url: new URL(service.serviceEndpoint), fetch: identity.fetch };
    },
  };
}
