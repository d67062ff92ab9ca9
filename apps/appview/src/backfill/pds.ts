// Where a repository lives: the #atproto_pds service in its DID document
// (did:plc from the PLC directory, did:web from its well-known document), cached.
import { allowedUrl, createDidResolver } from "../identity.ts";

export interface PdsLocator {
  locate(did: string): Promise<URL>;
}

export function createPdsLocator(options: { plcUrl: string; overrides?: Record<string, string> }): PdsLocator {
  const resolver = createDidResolver(options.plcUrl);
  return {
    async locate(did) {
      const override = options.overrides?.[did];
      if (override) return new URL(override);
      const document = await resolver.ensureResolve(did);
      const service = document.service?.find((s) => s.id === "#atproto_pds" || s.id === `${did}#atproto_pds`);
      if (typeof service?.serviceEndpoint !== "string") throw new Error("the DID document names no #atproto_pds service");
      return allowedUrl(service.serviceEndpoint);
    },
  };
}
