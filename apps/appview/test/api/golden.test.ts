// The read API's answers, kept: one event stream (golden-forum.ts) indexed
// into the dialect under test, then every route asked, paging edges and bad
// input included, and each status and body compared byte for byte with
// golden/bodies.json. Both dialects answer from the same file, so a change to
// how the API is declared, queried or serialized that alters a single byte
// of any answer fails here. The OpenAPI document is left out: it describes
// the routes and grows with them.
//
// To record the file again (only when an answer is meant to change):
//   ATBB_GOLDEN_RECORD=1 pnpm vitest run apps/appview/test/api/golden.test.ts --project sqlite
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { silentLogger } from "../../src/logger.ts";
import { ErrorBody } from "../../src/api/bodies/errors.ts";
import type { z } from "zod";
import { seededApp } from "../support/seeded-app.ts";
import { goldenForum, goldenMember } from "./golden-forum.ts";

type App = ReturnType<typeof createApp>;

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

interface Golden {
  answers: Record<string, Answer>;
  headers: Record<string, { status: number; headers: Record<string, string> }>;
}

const goldenFile = new URL("./golden/bodies.json", import.meta.url);
const recording = process.env.ATBB_GOLDEN_RECORD === "1";
const { stream, members } = goldenForum();

let database: MigratedTestDatabase;
let app: App;
let corsApp: App;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  app = await seededApp(database.handle, stream);
  corsApp = createApp({
    database: database.handle,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[database.handle.dialect],
    forumDid: stream.forumDid,
    corsOrigins: ["https://forum.example"],
  });
});
afterAll(async () => database?.drop());

const json = async (path: string) => (await (await app.request(path)).json()) as any;

/** Every request of the golden run: fixed paths, then paths found by walking the forum from /api/categories. */
async function requests(): Promise<[method: string, path: string][]> {
  const paths = [
    "/api/health/live",
    "/api/health/ready",
    "/api/health",
    "/api/forum",
    "/api/categories",
    "/api/roles",
    "/api/mod-actions",
    "/api/mod-actions?limit=1",
    "/api/mod-actions?offset=3&limit=4",
    "/api/mod-actions?offset=12",
    "/api/mod-actions?offset=13",
    "/api/mod-actions?offset=1000000&limit=100",
    "/api/mod-actions?limit=100",
    // Search by "newest": the engines rank differently (docs/search.md), so
    // only the order both dialects share is recorded.
    "/api/search?q=reply&order=newest",
    "/api/search?q=reply&order=newest&offset=2&limit=3",
    "/api/search?q=%22the+opening+post%22&topics=only&order=newest",
    "/api/search?q=reply+-edited&order=newest",
    "/api/search?q=-reply",
    "/api/search?q=reply&board=abc",
    "/api/search?q=reply&since=yesterday",
  ];
  for (const category of (await json("/api/categories")).categories) {
    paths.push(`/api/categories/${category.id}`, `/api/categories/${category.id}/boards`);
    for (const board of category.boards) {
      const topicsPath = `/api/boards/${board.id}/topics`;
      paths.push(`/api/boards/${board.id}`, topicsPath, `${topicsPath}?offset=1&limit=1`);
      const { topics, total } = await json(`${topicsPath}?limit=100`);
      if (total > 25) {
        for (const query of [
          "limit=100",
          "offset=0&limit=1",
          "offset=24",
          "offset=25",
          `offset=${total - 1}`,
          `offset=${total}`,
          `offset=${total + 1}`,
          "offset=1000000",
          "limit=25&offset=25",
        ]) {
          paths.push(`${topicsPath}?${query}`);
        }
      }
      for (const topic of topics) {
        paths.push(`/api/topics/${topic.id}`, `/api/topics/${topic.id}?offset=1&limit=2`);
        const { total: replies } = await json(`/api/topics/${topic.id}?limit=1`);
        if (replies > 50) {
          for (const query of [
            "limit=250",
            "limit=1",
            "offset=49&limit=2",
            "offset=50",
            `offset=${replies - 1}`,
            `offset=${replies}`,
            `offset=${replies + 1}`,
            "offset=1000000",
          ]) {
            paths.push(`/api/topics/${topic.id}?${query}`);
          }
        }
      }
    }
  }
  for (const did of [...members, goldenMember(99)]) paths.push(`/api/users/${did}`, `/api/members/${did}/permissions`);
  paths.push(`/api/users/${stream.forumDid}`);
  // The categories, boards and posts that the forum index does not reach: deleted ones, replies asked as topics.
  for (let id = 1; id <= 12; id++)
    paths.push(
      `/api/categories/${id}`,
      `/api/boards/${id}`,
      `/api/boards/${id}/topics?limit=2`,
      `/api/topics/${id}?limit=2`,
    );
  paths.push(
    "/api/boards/abc",
    "/api/boards/0",
    "/api/boards/-1",
    "/api/boards/1.5",
    "/api/boards/007",
    "/api/boards/99999999999999999999",
    "/api/boards/9007199254740993",
    "/api/boards/999999",
    "/api/boards/999999/topics",
    "/api/boards/1/topics?limit=0",
    "/api/boards/1/topics?limit=101",
    "/api/boards/1/topics?limit=",
    "/api/boards/1/topics?limit=1e3",
    "/api/boards/1/topics?offset=-1",
    "/api/boards/1/topics?offset=abc",
    "/api/boards/1/topics?offset=1000001",
    "/api/boards/abc/topics?limit=0",
    "/api/topics/999999",
    "/api/topics/abc",
    "/api/topics/1?limit=251",
    "/api/topics/1?offset=x&limit=y",
    "/api/categories/999999",
    "/api/categories/999999/boards",
    "/api/categories/x/boards",
    "/api/users/not-a-did",
    "/api/users/did:plc:unknownunknownunknownaaa",
    "/api/users/did:PLC:abc",
    `/api/users/did:plc:${"x".repeat(2100)}`,
    "/api/members/%ZZ/permissions",
    "/api/members/did:plc:nobodynobodynobodyaaaaaa/permissions",
    "/api/members/not-a-did/permissions",
    "/api/mod-actions?limit=0",
    "/api/mod-actions?limit=101",
    "/api/mod-actions?offset=-5",
    "/api/nothing-here",
    "/api/health/deep",
    "/api/forum/extra",
    "/",
  );
  const requests: [string, string][] = [...new Set(paths)].map((path) => ["GET", path]);
  requests.push(["POST", "/api/forum"], ["DELETE", "/api/boards/1"], ["PUT", "/api/topics/1"], ["HEAD", "/api/forum"]);
  return requests;
}

/** Only the health report varies between runs and dialects: its latency and the dialect's name. */
function comparable(path: string, body: any): unknown {
  if (path === "/api/health" && body?.database)
    return { ...body, database: { ...body.database, dialect: "(dialect)", latencyMs: "(ms)" } };
  return body;
}

async function answer(target: App, method: string, path: string, init: RequestInit = {}) {
  const response = await target.request(path, { method, ...init });
  const text = await response.text();
  const body = text === "" ? null : JSON.parse(text);
  return { response, text, body };
}

const headerRequests: [
  name: string,
  target: () => App,
  method: string,
  path: string,
  headers: Record<string, string>,
][] = [
  ["ok", () => app, "GET", "/api/forum", {}],
  ["bad request", () => app, "GET", "/api/boards/abc", {}],
  ["not found", () => app, "GET", "/api/nothing-here", {}],
  ["cors: allowed origin", () => corsApp, "GET", "/api/categories", { origin: "https://forum.example" }],
  ["cors: other origin", () => corsApp, "GET", "/api/categories", { origin: "https://elsewhere.example" }],
  [
    "cors: preflight",
    () => corsApp,
    "OPTIONS",
    "/api/topics/1",
    { origin: "https://forum.example", "access-control-request-method": "GET" },
  ],
  ["cors: error", () => corsApp, "GET", "/api/topics/abc", { origin: "https://forum.example" }],
];

interface Asked {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Asks every request once; both tests read the same answers. */
let asked: Promise<{ answers: Record<string, Answer>; bodies: Asked[] }> | undefined;
function askAll() {
  asked ??= (async () => {
    const answers: Record<string, Answer> = {};
    const bodies: Asked[] = [];
    for (const [method, path] of await requests()) {
      const { response, text, body } = await answer(app, method, path);
      // The recorded body is the parsed text; its JSON.stringify is the text again (checked here), so comparing texts is byte-exact.
      if (body !== null) expect(JSON.stringify(body)).toBe(text);
      answers[`${method} ${path}`] = {
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: comparable(path, body),
      };
      bodies.push({ method, path, status: response.status, body });
    }
    return { answers, bodies };
  })();
  return asked;
}

describe(`the golden run (${dialect})`, () => {
  it("answers every request with the recorded status and byte-identical body", async () => {
    const golden: Golden =
      recording || !existsSync(goldenFile)
        ? { answers: {}, headers: {} }
        : JSON.parse(readFileSync(goldenFile, "utf8"));
    const { answers } = await askAll();
    const headers: Golden["headers"] = {};
    for (const [name, target, method, path, requestHeaders] of headerRequests) {
      const { response } = await answer(target(), method, path, { headers: requestHeaders });
      headers[name] = {
        status: response.status,
        headers: Object.fromEntries([...response.headers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      };
    }
    expect(Object.keys(answers).length).toBeGreaterThan(100);

    if (recording) {
      if (dialect === "sqlite") writeFileSync(goldenFile, `${JSON.stringify({ answers, headers }, null, 1)}\n`);
      return;
    }
    expect(Object.keys(answers)).toEqual(Object.keys(golden.answers));
    for (const [key, recorded] of Object.entries(golden.answers)) {
      const got = answers[key]!;
      expect([key, got.status, got.contentType]).toEqual([key, recorded.status, recorded.contentType]);
      expect([key, JSON.stringify(got.body)]).toEqual([key, JSON.stringify(recorded.body)]);
    }
    expect(headers).toEqual(golden.headers);
  });

  it("answers every request with a body its route's declaration describes, and exercises every declared route", async () => {
    const { bodies } = await askAll();
    // Members' login and writing, and what needs a permission (its description says which), answer 2xx only with a
    // logged-in member (or a confidential client): test/login/ and test/administration/ exercise them against a real PDS.
    const needsLogin = (route: { method: string; path: string; description?: string }) =>
      route.path.startsWith("/api/auth/") ||
      route.path.startsWith("/oauth") ||
      route.method !== "get" ||
      route.description?.startsWith("Permission:") === true;
    const declared = app.openAPIRegistry.definitions.flatMap((definition) =>
      definition.type === "route" && !needsLogin(definition.route) ? [definition.route] : [],
    );
    const pattern = (path: string) => new RegExp(`^${path.replaceAll(/\{[^}]+\}/g, "[^/]+")}$`);
    const served = new Set<string>();
    for (const { method, path, status, body } of bodies) {
      if (method === "HEAD") continue;
      const pathname = new URL(path, "http://x").pathname;
      const route = declared.find((r) => r.method.toUpperCase() === method && pattern(r.path).test(pathname));
      // No declaration: the app's own "no route" answer.
      const declaredAnswer = route?.responses[status] as
        | { content?: Record<string, { schema?: z.ZodType }> }
        | undefined;
      const schema = route ? declaredAnswer?.content?.["application/json"]?.schema : ErrorBody;
      expect([method, path, status, schema !== undefined]).toEqual([method, path, status, true]);
      const result = schema!.safeParse(body);
      expect([method, path, result.error?.issues ?? null]).toEqual([method, path, null]);
      if (route && status === 200) served.add(`${route.method} ${route.path}`);
    }
    expect([...served].sort()).toEqual(declared.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("reads the first value of a repeated query key, and answers a bad path before a bad query", async () => {
    const page = await json("/api/mod-actions?limit=2&limit=abc&offset=1&offset=-1");
    expect([page.limit, page.offset, page.modActions.length]).toEqual([2, 1, 2]);
    expect(await json("/api/boards/abc/topics?limit=0")).toEqual({
      error: "invalid_request",
      message: "id must be a positive integer",
    });
  });
});
