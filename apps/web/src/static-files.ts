// The pages' stylesheet, icon and HTMX, served by atBB itself (never from a
// CDN: the CSP allows only this origin). Each is addressed by a hash of its
// content, so browsers may keep it for a year: a new release has new addresses.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Hono } from "hono";

interface StaticFile {
  path: string;
  type: string;
  body: Uint8Array;
}

// static/ sits beside both src/ and dist/.
const folder = join(import.meta.dirname, "..", "static");
const htmxFile = createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js");

function file(name: string, source: string, type: string): StaticFile {
  const body = readFileSync(source);
  const hash = createHash("sha256").update(body).digest("base64url").slice(0, 12);
  const dot = name.lastIndexOf(".");
  return { path: `/static/${name.slice(0, dot)}.${hash}${name.slice(dot)}`, type, body };
}

export interface StaticFiles {
  css: string;
  icon: string;
  htmx: string;
  counter: string;
}

export function staticFiles(app: Hono): StaticFiles {
  const files = {
    css: file("atbb.css", join(folder, "atbb.css"), "text/css; charset=utf-8"),
    icon: file("icon.svg", join(folder, "icon.svg"), "image/svg+xml"),
    htmx: file("htmx.js", htmxFile, "text/javascript; charset=utf-8"),
    counter: file("counter.js", join(folder, "counter.js"), "text/javascript; charset=utf-8"),
  };
  for (const { path, type, body } of Object.values(files)) {
    app.get(path, (c) => {
      c.header("content-type", type);
      c.header("cache-control", "public, max-age=31536000, immutable");
      return c.body(body as Uint8Array<ArrayBuffer>);
    });
  }
  return { css: files.css.path, icon: files.icon.path, htmx: files.htmx.path, counter: files.counter.path };
}
