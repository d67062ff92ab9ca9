// docs/api.md lists the routes from the OpenAPI document the app serves, so
// the prose cannot drift from the declarations. To rewrite the list after
// changing a route:
//   ATBB_WRITE_DOCS=1 pnpm vitest run apps/appview/test/api/docs.test.ts --project sqlite
import {
  createMigratedTestDatabase,
  dialect,
  migrationsFolders,
  repoRoot,
  type MigratedTestDatabase,
} from "@atbb/testing";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { silentLogger } from "../../src/logger.ts";

const docsFile = join(repoRoot, "docs/api.md");
const BEGIN = "<!-- routes: generated from GET /api/openapi.json by apps/appview/test/api/docs.test.ts -->";
const END = "<!-- end of routes -->";

interface Operation {
  summary: string;
  parameters?: { name: string; in: string; description?: string }[];
  responses: Record<string, { description: string }>;
}

/** The route table: one row per route, with its query parameters and its answers. */
function routeTable(paths: Record<string, Record<string, Operation>>): string {
  const rows = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const query = (operation.parameters ?? []).filter((p) => p.in === "query");
      const route = `\`${method.toUpperCase()} ${path}${query.length > 0 ? `?${query.map((p) => p.name).join("&")}` : ""}\``;
      const what = [operation.summary, ...query.map((p) => `\`${p.name}\`: ${p.description ?? ""}`)].join("; ");
      const answers = Object.entries(operation.responses)
        .map(([status, { description }]) => `${status}: ${description}`)
        .join("<br>");
      return `| ${route} | ${what} | ${answers} |`;
    }),
  );
  return ["| route | what | answers |", "| --- | --- | --- |", ...rows].join("\n");
}

let database: MigratedTestDatabase;
beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterAll(async () => database?.drop());

describe(`docs/api.md (${dialect})`, () => {
  it("lists every route exactly as the OpenAPI document declares it", async () => {
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
    });
    const document = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const text = readFileSync(docsFile, "utf8");
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(begin, `docs/api.md keeps the route table between ${BEGIN} and ${END}`).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(begin);
    const expected = `${text.slice(0, begin + BEGIN.length)}\n${routeTable(document.paths)}\n${text.slice(end)}`;
    if (process.env.ATBB_WRITE_DOCS === "1" && dialect === "sqlite") writeFileSync(docsFile, expected);
    else expect(text).toBe(expected);
  });
});
