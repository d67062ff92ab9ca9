// The pages as `atbb serve` mounts them, without a forum yet: the first-run
// page, the not-found page beside the API's JSON answers, the static files
// atBB serves itself, and WEB=off.
import { CONTENT_SECURITY_POLICY } from "@atbb/web";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe, type Served } from "../support/cli.ts";

/** The budget of one page's CSS and JavaScript together, compressed. */
const ASSET_BUDGET_BYTES = 40 * 1024;

describe(`the pages served by atbb serve (${dialect})`, () => {
  let database: TestDatabase;
  let served: Served;
  const at = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${served.port}${path}`, init);

  beforeAll(async () => {
    database = await createTestDatabase();
    served = await startServe({ DATABASE_URL: database.url, LOG_LEVEL: "warn" }, ["--migrate", "--no-indexer"]);
  }, 60_000);
  afterAll(async () => {
    served?.child.kill("SIGTERM");
    await served?.exited;
    await database?.drop();
  });

  it("shows the first-run page, saying what to run, until the forum's record is indexed", async () => {
    const response = await at("/");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain("This forum is not set up yet");
    expect(html).toContain("Run <code>atbb init</code>");
  });

  it("answers an unknown page with the not-found page, and an unknown API path with the API's JSON", async () => {
    for (const path of ["/no/such/page", "/b/0", "/b/abc", "/t/99999", "/u/not-a-did", "/p/1/edit"]) {
      const page = await at(path);
      expect(page.status, path).toBe(404);
      expect(page.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text(), path).toContain("<h1>Not found</h1>");
    }
    const api = await at("/api/no/such/route");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: "not_found", message: "No route for GET /api/no/such/route." });
  });

  it("serves its stylesheet, icon, HTMX and counter script itself, cached for a year, the CSS and JavaScript under 40 KB compressed", async () => {
    const html = await (await at("/")).text();
    const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.map((a) => a.replace(/\.[\w-]{12}\./, "."))).toEqual([
      "/static/icon.svg",
      "/static/atbb.css",
      "/static/htmx.js",
      "/static/counter.js",
    ]);
    let compressed = 0;
    for (const asset of assets) {
      const response = await at(asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("cache-control"), asset).toBe("public, max-age=31536000, immutable");
      const body = Buffer.from(await response.arrayBuffer());
      if (!asset.endsWith(".svg")) compressed += gzipSync(body).length;
      // HTMX is the npm package's own build, byte for byte.
      if (asset.includes("/htmx."))
        expect(body.equals(readFileSync(createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js")))).toBe(
          true,
        );
    }
    expect(compressed).toBeLessThan(ASSET_BUDGET_BYTES);
    // A page asks for no script or style of its own: nothing inline.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=/i);
  });

  it("with WEB=off serves the API alone, and refuses a WEB that is neither on nor off", async () => {
    const apiOnly = await startServe({ DATABASE_URL: database.url, WEB: "off", LOG_LEVEL: "warn" }, ["--no-indexer"]);
    try {
      const root = await fetch(`http://127.0.0.1:${apiOnly.port}/`);
      expect(root.status).toBe(404);
      expect(await root.json()).toMatchObject({ error: "not_found" });
      expect((await fetch(`http://127.0.0.1:${apiOnly.port}/api/health`)).status).toBe(200);
    } finally {
      apiOnly.child.kill("SIGTERM");
      await apiOnly.exited;
    }
    const refused = await runCli(["serve"], { DATABASE_URL: database.url, WEB: "maybe" });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("WEB: must be on (serve the forum's pages at /) or off (the API alone)");
  });
});
