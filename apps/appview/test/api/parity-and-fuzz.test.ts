import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createApp } from "../../src/api/app.ts";
import { pick, seededRandom } from "../support/random.ts";
import { everyGetPath } from "../support/api-paths.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { seededApp } from "../support/seeded-app.ts";

type App = ReturnType<typeof createApp>;

describe("dialect parity", () => {
  let postgres: MigratedTestDatabase;
  let sqlite: MigratedTestDatabase;
  beforeAll(async () => {
    [postgres, sqlite] = await Promise.all([
      createMigratedTestDatabase("postgresql"),
      createMigratedTestDatabase("sqlite"),
    ]);
  });
  afterAll(async () => Promise.all([postgres?.drop(), sqlite?.drop()]));

  it("gives byte-identical responses from every GET route for the same event stream", async () => {
    const stream = sampleForum({ topics: 15, repliesPerTopic: 6 });
    const [pgApp, liteApp] = await Promise.all([seededApp(postgres.handle, stream), seededApp(sqlite.handle, stream)]);
    const paths = await everyGetPath(pgApp);
    expect(paths.length).toBeGreaterThan(50);
    expect(await everyGetPath(liteApp)).toEqual(paths);
    for (const path of paths) {
      const [a, b] = await Promise.all([pgApp.request(path), liteApp.request(path)]);
      expect([path, a.status]).toEqual([path, 200]);
      expect([path, await b.text()]).toEqual([path, await a.text()]);
    }
  });
});

describe(`fuzzing the read API (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let app: App;
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    app = await seededApp(database.handle, sampleForum({ topics: 3, repliesPerTopic: 2 }));
  });
  afterAll(async () => database?.drop());

  it("answers 1,000 malformed requests with 4xx only", async () => {
    const random = seededRandom(99);
    const badIds = [
      "abc",
      "0",
      "-1",
      "1.5",
      "1e3",
      "99999999999999999999",
      "%00",
      "%ZZ",
      "..%2F..",
      "NaN",
      "０１",
      " 1",
      "0x10",
      "💥",
      "1;drop table posts",
      "a".repeat(3000),
    ];
    const badDids = [
      "did",
      "did:",
      "did:plc",
      "plc:abc",
      "did:PLC:abc",
      "did:plc:abc%20x",
      "%F0%9F%92%A5",
      "did:web:",
      "x".repeat(5000),
    ];
    const badCounts = ["-1", "abc", "1.5", "1e9", "99999999", "", "%00", "0x1", "１", "[]", "{}", "limit"];
    const routes: (() => string)[] = [
      () => `/api/boards/${pick(random, badIds)}`,
      () => `/api/boards/${pick(random, badIds)}/topics`,
      () => `/api/boards/1/topics?limit=${pick(random, [...badCounts, "0", "101"])}`,
      () => `/api/boards/1/topics?offset=${pick(random, badCounts)}&limit=5`,
      () => `/api/topics/${pick(random, badIds)}?limit=3`,
      () => `/api/topics/1?limit=${pick(random, [...badCounts, "251"])}`,
      () => `/api/categories/${pick(random, badIds)}/boards`,
      () => `/api/users/${pick(random, badDids)}`,
      () => `/api/members/${pick(random, badDids)}/permissions`,
      () => `/api/mod-actions?offset=${pick(random, badCounts)}`,
      () =>
        `/api/${pick(random, ["forums", "board", "topic", "user", "..", "%2e%2e", "health/deep"])}/${pick(random, badIds)}`,
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const path = pick(random, routes)();
      const method = pick(random, ["GET", "GET", "GET", "POST", "DELETE", "PUT"]);
      const response = await app.request(path, { method });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status < 400 || response.status >= 500) throw new Error(`${method} ${path} → ${response.status}`);
      const body = (await response.json()) as { error: string; message: string };
      expect(typeof body.error).toBe("string");
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  });
});
