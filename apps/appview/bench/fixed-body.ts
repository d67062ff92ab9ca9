// The limit the API is measured against: Hono on @hono/node-server, as `atbb
// serve` runs it, answering one fixed body (a real board topics page) with no
// work at all, in a process of its own. Run as a script: `node fixed-body.ts
// <file with the body> <content type>`; it prints its port once listening.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { readFileSync } from "node:fs";

const [file, contentType] = process.argv.slice(2);
const body = readFileSync(file!);
const app = new Hono();
app.get("*", () => new Response(body, { headers: { "content-type": contentType! } }));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => console.log(info.port));
process.once("SIGTERM", () => process.exit(0));
