import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { identityFor, RESPONSE_MAX_BYTES } from "../../src/identity.ts";

const SMALL = "did:plc:smallsmallsmallsmallsmaa";
const HUGE = "did:plc:hugehugehugehugehugehuge";

const didDocument = (did: string, padding = "") => ({
  "@context": ["https://www.w3.org/ns/did/v1"],
  id: did,
  alsoKnownAs: ["at://someone.test"],
  verificationMethod: [],
  service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: "http://127.0.0.1:1" }],
  padding,
});

/** A PLC directory on loopback: one small DID document, one past the cap, and a redirect. */
function plcServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? "/").slice(1);
    if (path === SMALL) return response.end(JSON.stringify(didDocument(SMALL)));
    if (path === HUGE) return response.end(JSON.stringify(didDocument(HUGE, "x".repeat(RESPONSE_MAX_BYTES + 1024))));
    if (path === "elsewhere") return response.writeHead(302, { location: `/${SMALL}` }).end();
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("identity lookups on a development network", () => {
  let server: Server;
  let plcUrl: string;
  beforeAll(async () => {
    server = await plcServer();
    plcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("resolves a DID document from a loopback PLC when ALLOW_LOOPBACK is on", async () => {
    const identity = identityFor({ plcUrl, allowLoopback: true });
    const document = await identity.did.resolve(SMALL, true);
    expect(document?.id).toBe(SMALL);
  });

  it("refuses redirects even when the caller asks to follow them", async () => {
    const identity = identityFor({ plcUrl, allowLoopback: true });
    await expect(identity.fetch(`${plcUrl}/elsewhere`, { redirect: "follow" })).rejects.toThrow();
  });

  it("still refuses a response larger than the cap", async () => {
    const identity = identityFor({ plcUrl, allowLoopback: true });
    await expect(identity.fetch(`${plcUrl}/${HUGE}`).then((r) => r.arrayBuffer())).rejects.toThrow();
    await expect(identity.did.resolve(HUGE, true)).rejects.toThrow();
  });

  it("reaches no loopback address unless ALLOW_LOOPBACK is on", async () => {
    const identity = identityFor({ plcUrl });
    await expect(identity.fetch(`${plcUrl}/${SMALL}`)).rejects.toThrow();
  });
});

describe("ALLOW_LOOPBACK in the configuration", () => {
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it("refuses a loopback PLC_URL or HANDLE_RESOLVER_URL without it, naming the variable to set", () => {
    expect(problems({ PLC_URL: "http://localhost:2582", HANDLE_RESOLVER_URL: "http://127.0.0.1:2583" })).toEqual([
      expect.stringMatching(/^PLC_URL: .*loopback.*ALLOW_LOOPBACK=true/),
      expect.stringMatching(/^HANDLE_RESOLVER_URL: .*loopback.*ALLOW_LOOPBACK=true/),
    ]);
  });

  it("accepts them with it, and says so in the configuration", () => {
    const config = loadConfig({ PLC_URL: "http://localhost:2582", ALLOW_LOOPBACK: "true" });
    expect(config.allowLoopback).toBe(true);
    expect(loadConfig({}).allowLoopback).toBe(false);
    expect(problems({ ALLOW_LOOPBACK: "yes" })).toEqual([
      expect.stringMatching(/^ALLOW_LOOPBACK: must be true or false/),
    ]);
  });
});
