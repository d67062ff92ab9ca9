// `atbb serve` keeps logged-out readers' hot reads in memory, and never gives
// a stale one: what the indexing thread has committed, and what a local write
// has applied, is in the very next read, however many readers keep the kept
// answer warm beside it.
import { createDb } from "@atbb/db";
import { dialect } from "@atbb/testing";
import { and, count, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CACHE_HEADER } from "../../src/api/response-cache.ts";
import { migratedDatabases, startServe } from "../support/cli.ts";
import { ForumStream } from "../support/forum-events.ts";
import { FakeJetstream } from "../support/jetstream-server.ts";
import { ServedForum } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

const FORUM_DID = "did:plc:forumforumforumforumaaaa";
const MEMBER = "did:plc:membermembermembermember";
const TOPICS = 40;
const migratedUrl = migratedDatabases();

/** Readers asking `paths` one after another until `stop()`; they count the answers given from memory. */
function readersOf(base: string, paths: string[], readers = 4) {
  let stopping = false;
  let hits = 0;
  const running = Array.from({ length: readers }, async () => {
    for (let i = 0; !stopping; i++) {
      const response = await fetch(`${base}${paths[i % paths.length]}`);
      if (response.headers.get(CACHE_HEADER) === "hit") hits++;
      await response.arrayBuffer();
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(running);
      return hits;
    },
  };
}

describe(`atbb serve's kept answers (${dialect})`, () => {
  it("shows every batch the indexing thread commits in the next read, while readers keep the answer warm", async () => {
    const url = await migratedUrl();
    const stream = new ForumStream({ forumDid: FORUM_DID, startUs: (Date.now() + 60_000) * 1000 });
    const forum = stream.forum();
    const board = stream.board(stream.category("General"), "Lobby");
    stream.join(MEMBER, forum);
    for (let i = 0; i < TOPICS; i++) stream.topic(MEMBER, board, `Topic ${i}`);
    // Stretched out, so that batches commit while the readers and the checks below run.
    const jetstream = await FakeJetstream.start(stream.messages, { delayMs: 40 });
    const served = await startServe({ DATABASE_URL: url, FORUM_DID, JETSTREAM_URL: jetstream.url, BACKFILL: "off" });
    const base = `http://127.0.0.1:${served.port}`;
    const database = await createDb(url, { create: false });
    const { posts } = database.schema;
    try {
      const boardId = await waitFor("the board indexed", async () => {
        const [row] = await database.db.select({ id: database.schema.boards.id }).from(database.schema.boards);
        return row?.id;
      });
      const topicsPath = `/api/boards/${boardId}/topics?limit=100`;
      const readers = readersOf(base, [topicsPath, `/b/${boardId}`, "/api/categories"]);
      let checks = 0;
      for (let committed = 0; committed < TOPICS; checks++) {
        // What the database holds now; the read that follows must show at least that much.
        const [row] = await database.db
          .select({ topics: count() })
          .from(posts)
          .where(and(eq(posts.boardId, boardId), isNull(posts.rootId)));
        committed = row!.topics;
        const body = (await (await fetch(`${base}${topicsPath}`)).json()) as { topics: unknown[]; total: number };
        expect(body.topics.length).toBeGreaterThanOrEqual(committed);
        expect(body.total).toBeGreaterThanOrEqual(committed);
      }
      const hits = await readers.stop();
      expect(checks).toBeGreaterThan(1);
      // The readers were answered from memory between batches: the checks above ran against kept answers.
      expect(hits).toBeGreaterThan(0);

      // Settled: a kept answer is the bytes a member's (never kept) request renders; a revisit is a 304.
      const kept = await fetch(`${base}${topicsPath}`);
      const member = await fetch(`${base}${topicsPath}`, { headers: { cookie: "atbb_session=nobody" } });
      expect(await kept.text()).toBe(await member.text());
      const etag = kept.headers.get("etag")!;
      const again = await fetch(`${base}${topicsPath}`, { headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get(CACHE_HEADER)).toBeNull();
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      await jetstream.stop();
      await database.close();
    }
  });

  it("gives every answer rendered anew with RESPONSE_CACHE=off, with the same ETag", async () => {
    const url = await migratedUrl();
    const stream = new ForumStream({ forumDid: FORUM_DID, startUs: (Date.now() + 60_000) * 1000 });
    const forum = stream.forum();
    const board = stream.board(stream.category("General"), "Lobby");
    stream.join(MEMBER, forum);
    stream.topic(MEMBER, board, "The only topic");
    const jetstream = await FakeJetstream.start(stream.messages);
    const env = { DATABASE_URL: url, FORUM_DID, JETSTREAM_URL: jetstream.url, BACKFILL: "off" };
    const on = await startServe(env);
    const off = await startServe({ ...env, RESPONSE_CACHE: "off" }, ["--no-indexer"]);
    try {
      const path = "/api/categories";
      await waitFor("the board indexed", async () => {
        const body = (await (await fetch(`http://127.0.0.1:${on.port}${path}`)).json()) as {
          categories: { boards: unknown[] }[];
        };
        return body.categories[0]?.boards.length === 1;
      });
      const fromOn = await fetch(`http://127.0.0.1:${on.port}${path}`);
      const fromOff = await fetch(`http://127.0.0.1:${off.port}${path}`);
      expect(fromOn.headers.get(CACHE_HEADER)).toBe("hit");
      expect(fromOff.headers.get(CACHE_HEADER)).toBeNull();
      expect(fromOff.headers.get("etag")).toBe(fromOn.headers.get("etag"));
      expect(await fromOff.text()).toBe(await fromOn.text());
      const revisit = await fetch(`http://127.0.0.1:${off.port}${path}`, {
        headers: { "if-none-match": fromOn.headers.get("etag")! },
      });
      expect(revisit.status).toBe(304);
    } finally {
      for (const served of [on, off]) served.child.kill("SIGTERM");
      expect(await on.exited).toBe(0);
      expect(await off.exited).toBe(0);
      await jetstream.stop();
    }
  });
});

describe(`atbb serve's kept answers after a local write (${dialect})`, () => {
  it("shows an administrator's change in the next logged-out read, while readers keep the answer warm", async () => {
    const forum = await ServedForum.start({ owner: "alice", roles: {}, forumName: "Cached Forum" });
    try {
      await forum.logIn("alice");
      const readers = readersOf(forum.base, ["/api/categories", "/"]);
      for (const name of ["Announcements", "Workshop", "Garden"]) {
        const added = await forum.send("POST", "/api/categories", forum.people.alice, { body: { name } });
        expect(added.status).toBe(201);
        const { id } = (await added.json()) as { id: string };
        const json = (await forum.read("/api/categories")) as { categories: { id: string; name: string }[] };
        expect(json.categories.map((c) => c.name)).toContain(name);
        expect(await (await fetch(`${forum.base}/`)).text()).toContain(name);

        const renamed = await forum.send("PATCH", `/api/categories/${id}`, forum.people.alice, {
          body: { name: `${name} (renamed)` },
        });
        expect(renamed.status).toBe(200);
        const after = (await forum.read("/api/categories")) as { categories: { id: string; name: string }[] };
        expect(after.categories.find((c) => c.id === id)?.name).toBe(`${name} (renamed)`);
      }
      expect(await readers.stop()).toBeGreaterThan(0);
    } finally {
      await forum.close();
    }
  });
});
