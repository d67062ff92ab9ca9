// Logged-out readers' hot reads kept in memory: given again byte for byte
// while the database is unchanged, rendered anew once it changes, within
// their memory cap; and an ETag on every such answer, a 304 on a revisit.
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerStore, CACHE_HEADER, etagOf, isHotRead } from "../../src/api/response-cache.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { everyGetPath } from "../support/api-paths.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { ForumStream } from "../support/forum-events.ts";
import { sampleForum } from "../support/sample-forum.ts";
import { seededApp } from "../support/seeded-app.ts";
import { waitFor } from "../support/wait-for.ts";

const answer = (text: string) => {
  const body = new TextEncoder().encode(text);
  return { body, headers: [["content-type", "text/plain"]] as [string, string][], etag: etagOf(body) };
};

describe("the answer store", () => {
  it("keeps its answers within its cap, dropping the least recently used first", () => {
    const store = new AnswerStore(1_000);
    store.get("warm", "v1");
    for (let i = 0; i < 50; i++) {
      store.set(`key ${i}`, "v1", answer("x".repeat(100)));
      expect(store.bytes).toBeLessThanOrEqual(1_000);
      // The first key is read after every write: used the most recently, it stays.
      expect(store.get("key 0", "v1")).toBeDefined();
    }
    expect(store.size).toBeGreaterThan(1);
    expect(store.get("key 1", "v1")).toBeUndefined();
    expect(store.get("key 49", "v1")?.body.byteLength).toBe(100);
  });

  it("keeps nothing larger than its cap", () => {
    const store = new AnswerStore(50);
    store.get("warm", "v1");
    store.set("big", "v1", answer("x".repeat(100)));
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  it("drops everything at a new data version, and refuses an answer rendered at an older one", () => {
    const store = new AnswerStore(10_000);
    store.get("warm", "v1");
    store.set("a", "v1", answer("one"));
    expect(store.get("a", "v1")).toBeDefined();
    expect(store.get("a", "v2")).toBeUndefined();
    expect(store.bytes).toBe(0);
    // Read at v1, rendered while v2 was committed: it may show v1's data, so it must not be kept for v2.
    store.set("a", "v1", answer("one"));
    expect(store.get("a", "v2")).toBeUndefined();
  });
});

describe(`the hot reads from memory (${dialect})`, () => {
  let database: MigratedTestDatabase;
  const stream = sampleForum({ topics: 12, repliesPerTopic: 5 });
  let paths: string[];
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    const fresh = await seededApp(database.handle, stream, { pages: true });
    paths = await everyGetPath(fresh);
    const { categories } = (await (await fresh.request("/api/categories")).json()) as {
      categories: { boards: { id: string }[] }[];
    };
    const { boards } = categories[0]!;
    paths.push("/", `/b/${boards[0]!.id}`, `/b/${boards[0]!.id}?page=1`, `/t/${paths.find(isTopic)!.split("/")[3]}`);
  });
  afterAll(async () => database?.drop());
  const isTopic = (path: string) => /^\/api\/topics\/\d+$/.test(path);

  it("gives the very bytes a fresh render gives, for every GET route", async () => {
    const answers = new AnswerStore(8 * 1_048_576);
    // The stream is already indexed: the same forum, once with the cache and once without.
    const cached = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), {
      pages: true,
      answers,
    });
    const fresh = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), { pages: true });
    const hot = paths.filter((path) => isHotRead(new URL(path, "http://x").pathname));
    expect(hot.length).toBeGreaterThan(20);
    // On PostgreSQL the data version is the cluster's: a write to another
    // database (another test file's, run beside this one) moves it, and the
    // answers are then rendered again, never stale. So a hit is owed only
    // while the version stood still; the bytes are owed always.
    const version = () => database.handle.dataVersion();
    let stoodStill = true;
    for (const round of ["miss", "hit"]) {
      for (const path of paths) {
        const before = await version();
        const [a, b] = await Promise.all([cached.request(path), fresh.request(path)]);
        // Between this request and the one that kept the answer, too: only SQLite's version is this database's alone.
        const still = dialect === "sqlite" && before === (await version());
        if (round === "hit") stoodStill &&= still;
        expect([path, a.status]).toEqual([path, b.status]);
        expect([path, await a.text()]).toEqual([path, await b.text()]);
        expect([path, a.headers.get("content-type")]).toEqual([path, b.headers.get("content-type")]);
        expect([path, a.headers.get("etag")]).toEqual([path, b.headers.get("etag")]);
        if (!hot.includes(path)) expect([path, a.headers.get(CACHE_HEADER)]).toEqual([path, null]);
        else if (round === "miss" || still) expect([path, a.headers.get(CACHE_HEADER)]).toEqual([path, round]);
        else expect(a.headers.get(CACHE_HEADER)).toMatch(/^(hit|miss)$/);
      }
    }
    // SQLite's version is this database's alone: there it always stands still.
    if (dialect === "sqlite") expect(stoodStill).toBe(true);
    if (stoodStill) expect(answers.size).toBe(hot.length);
    expect(answers.bytes).toBeLessThanOrEqual(answers.maxBytes);
  });

  it("answers a revisit with 304 and no body, and with 200 and the new body once the forum changed", async () => {
    const app = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), {
      pages: true,
      answers: new AnswerStore(1_048_576),
    });
    const topicPath = paths.find(isTopic)!;
    for (const path of [topicPath, "/"]) {
      const first = await app.request(path);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      await first.text();
      for (const ask of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const again = await app.request(path, { headers: { "if-none-match": ask } });
        expect(again.status).toBe(304);
        expect(again.headers.get("etag")).toBe(etag);
        expect(await again.text()).toBe("");
      }
      expect((await app.request(path, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
    }

    const before = await app.request(topicPath);
    const etag = before.headers.get("etag")!;
    const { topic } = (await before.json()) as { topic: { uri: string; cid: string } };
    const more = new ForumStream({ forumDid: stream.forumDid, startUs: Date.now() * 1000 });
    const [did, , rkey] = topic.uri.replace("at://", "").split("/");
    const root = {
      did: did!,
      collection: ids.post,
      rkey: rkey!,
      uri: topic.uri,
      cid: topic.cid,
      ref: { uri: topic.uri, cid: topic.cid },
    };
    const reply = more.reply(did!, root, root, "A reply written since the last visit");
    await applyMessages(
      createIndexer({ database: database.handle, forumDid: stream.forumDid, logger: silentLogger }),
      more.messages,
    );

    const after = await app.request(topicPath, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get(CACHE_HEADER)).toBe("miss");
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.text()).toContain(reply.uri);
  });

  it("keeps an answer only until a ban's end passes, though nothing is written then", async () => {
    const app = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), {
      answers: new AnswerStore(1_048_576),
    });
    const topicPath = paths.find(isTopic)!;
    const topicNow = async () => {
      const response = await app.request(topicPath);
      const { topic } = (await response.json()) as { topic: { author: { did: string }; hidden: string | null } };
      return { cache: response.headers.get(CACHE_HEADER), topic };
    };
    const { topic } = await topicNow();
    // The topic's author banned for two seconds: the ban's end is the clock's alone.
    const ends = new Date(Date.now() + 2_000);
    const more = new ForumStream({ forumDid: stream.forumDid, startUs: Date.now() * 1000 });
    more.modAction("ban", { did: topic.author.did }, { expiresAt: ends.toISOString() });
    await applyMessages(
      createIndexer({ database: database.handle, forumDid: stream.forumDid, logger: silentLogger }),
      more.messages,
    );
    expect(await topicNow()).toMatchObject({ cache: "miss", topic: { hidden: "author_banned" } });
    expect(await topicNow()).toMatchObject({ cache: "hit", topic: { hidden: "author_banned" } });
    await waitFor("the ban's end to pass", async () => Date.now() > ends.getTime() + 50);
    expect(await topicNow()).toMatchObject({ cache: "miss", topic: { hidden: null } });
    expect(await topicNow()).toMatchObject({ cache: "hit", topic: { hidden: null } });
  });

  it("gives a compressed page only to a reader who accepts it", async () => {
    const answers = new AnswerStore(1_048_576);
    const app = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), {
      pages: true,
      answers,
    });
    const fresh = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), { pages: true });
    const gzipped = await app.request("/", { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    await gzipped.arrayBuffer();
    const plain = await app.request("/");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(await (await fresh.request("/")).text());
    const again = await app.request("/", { headers: { "accept-encoding": "gzip" } });
    expect(again.headers.get("content-encoding")).toBe("gzip");
    if (dialect === "sqlite") expect(again.headers.get(CACHE_HEADER)).toBe("hit");
  });

  it("keeps no member's answer, but tags it", async () => {
    const answers = new AnswerStore(1_048_576);
    const app = await seededApp(database.handle, new ForumStream({ forumDid: stream.forumDid }), {
      pages: true,
      answers,
    });
    const response = await app.request("/", { headers: { cookie: "atbb_session=whoever" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeTruthy();
    expect(response.headers.get(CACHE_HEADER)).toBeNull();
    expect(answers.size).toBe(0);
  });
});
