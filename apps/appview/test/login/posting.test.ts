// Members write through the forum: their posts go to their own repository on
// the real PDS of @atproto/dev-env, show at once through the read API, and
// stay exactly once after the firehose echoes them. Every refusal leaves the
// PDS and the database as they were.
import { createDb, type DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { launchChromium, logInThroughBrowser } from "../support/browser.ts";
import { freePort, startServe, type Served } from "../support/cli.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

const WRITES_PER_MINUTE = 6;

describe(`members' posts through the forum (${dialect})`, () => {
  let pds: PdsForum;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let browser: Browser;
  let served: Served;
  let base: string;
  let boardId: string;
  let lockedTopicId: string;
  /** Members and their session cookies: alice and dave may post, bob is banned, carol has no role. */
  const members: Record<"alice" | "bob" | "carol" | "dave", Account & { cookie: string }> = {} as never;

  const send = (
    path: string,
    who: { cookie: string } | null,
    init: { method?: string; body?: unknown; origin?: string } = {},
  ) =>
    fetch(`${base}${path}`, {
      method: init.method ?? "POST",
      headers: {
        "content-type": "application/json",
        origin: init.origin ?? base,
        ...(who ? { cookie: `${SESSION_COOKIE}=${who.cookie}` } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const read = async (path: string) => (await (await fetch(`${base}${path}`)).json()) as any;
  const inRepo = async (who: Account) =>
    (await who.agent.com.atproto.repo.listRecords({ repo: who.did, collection: ids.post })).data.records.map((r) => ({
      uri: r.uri,
      cid: r.cid,
    }));
  const getRecord = (who: Account, uri: string) =>
    who.agent.com.atproto.repo.getRecord({ repo: who.did, collection: ids.post, rkey: uri.split("/").pop()! });

  /** What a write would change: the posts, boards and memberships here, and every member's posts at the PDS. */
  async function everywhere() {
    const snapshot = await databaseSnapshot(handle);
    // The firehose's echo of an earlier write may land meanwhile and date it by the network's
    // clock, a few ms earlier (the earliest sighting is kept): times the network saw are not compared.
    const posts = snapshot.posts.map(({ seenAt, postedAt, lastActivityAt, lastReplyAt, ...post }: any) => post);
    const { boards, memberships } = snapshot;
    const repos = await Promise.all(Object.values(members).map(inRepo));
    return { posts, boards, memberships, repos };
  }

  beforeAll(async () => {
    [pds, browser] = await Promise.all([PdsForum.start(), launchChromium()]);
    const now = () => new Date().toISOString();
    for (const name of ["alice", "bob", "carol", "dave"] as const)
      members[name] = { ...(await pds.account(name)), cookie: "" };
    const forum = await pds.put(pds.forum, ids.forum, { name: "Posting Forum", createdAt: now() });
    const category = await pds.put(pds.forum, ids.category, { name: "General", createdAt: now() });
    const board = await pds.put(pds.forum, ids.board, {
      name: "Chat",
      category: { $type: "space.atbb.forum.board#categoryRef", category: category.ref },
      createdAt: now(),
    });
    const member = await pds.put(pds.forum, ids.role, {
      name: "Member",
      permissions: ["space.atbb.permission.createTopics", "space.atbb.permission.createPosts"],
      priority: 100,
      createdAt: now(),
    });
    // The forum grants the role; the members' own memberships name it too, so the
    // permission check finds it whether it reads grants or memberships.
    for (const name of ["alice", "bob", "dave"] as const) {
      await pds.put(
        pds.forum,
        ids.roleAssignment,
        {
          did: members[name].did,
          role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: member.ref },
          createdAt: now(),
        },
        members[name].did,
      );
      const joined = {
        forum: { $type: "space.atbb.membership#forumRef", forum: forum.ref },
        role: { $type: "space.atbb.membership#roleRef", role: member.ref },
      };
      await pds.put(members[name], ids.membership, { ...joined, joinedAt: now(), createdAt: now() });
    }
    const locked = await pds.put(members.dave, ids.post, {
      title: "Closed",
      text: "No more",
      forum: { $type: "space.atbb.post#forumRef", forum: forum.ref },
      board: { $type: "space.atbb.post#boardRef", board: board.ref },
      createdAt: now(),
    });
    await pds.put(pds.forum, ids.modAction, {
      action: "space.atbb.modAction.lock",
      subject: { post: locked.ref },
      createdAt: now(),
    });
    await pds.put(pds.forum, ids.modAction, {
      action: "space.atbb.modAction.ban",
      subject: { did: members.bob.did },
      reason: "spam",
      createdAt: now(),
    });

    database = await createTestDatabase();
    const state = mkdtempSync(join(tmpdir(), "atbb-posting-"));
    served = await startServe(
      {
        DATABASE_URL: database.url,
        STATE_DIRECTORY: state,
        PORT: String(await freePort()),
        FORUM_DID: pds.forum.did,
        SOURCE: "firehose",
        FIREHOSE_URL: pds.firehoseUrl,
        PLC_URL: pds.plcUrl,
        HANDLE_RESOLVER_URL: pds.pdsUrl,
        ALLOW_LOOPBACK: "true",
        WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
        LOG_LEVEL: "warn",
      },
      ["--migrate"],
    );
    base = `http://127.0.0.1:${served.port}`;
    handle = await createDb(database.url, { create: false });
    const chat = await waitFor(
      "the board indexed",
      async () => (await read("/api/categories")).categories?.[0]?.boards?.[0],
    );
    boardId = chat.id;
    lockedTopicId = (
      await waitFor("the locked topic", async () =>
        (await read(`/api/boards/${boardId}/topics`)).topics?.find((t: any) => t.locked),
      )
    ).id;
    await waitFor("bob's ban", async () => (await handle.db.select().from(handle.schema.modActions)).length === 2);
    await waitFor(
      "the grants",
      async () => (await read(`/api/members/${members.dave.did}/permissions`)).permissions?.length === 2,
    );

    for (const name of ["alice", "bob", "carol", "dave"] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await logInThroughBrowser(page, base, members[name].handle, `${name}-password`);
      members[name].cookie = (await context.cookies(base)).find((c) => c.name === SESSION_COOKIE)!.value;
      await context.close();
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    served?.child.kill("SIGTERM");
    await served?.exited;
    await handle?.close();
    await database?.drop();
    await pds?.close();
  });

  it("writes a topic, replies, a quote, an edit and a delete to the member's repository, each shown at once and still once after the firehose echo", async () => {
    const { alice } = members;
    const topic = await send("/api/topics", alice, {
      body: { boardId: Number(boardId), title: "Hello from the forum", text: "Written through atBB" },
    });
    expect(topic.status).toBe(201);
    const written = (await topic.json()) as { id: string; uri: string; cid: string };
    expect(written.uri).toMatch(new RegExp(`^at://${alice.did}/space\\.atbb\\.post/`));
    expect((await read(`/api/topics/${written.id}`)).topic).toMatchObject({
      title: "Hello from the forum",
      text: "Written through atBB",
      uri: written.uri,
      author: { did: alice.did },
    });
    expect((await getRecord(alice, written.uri)).data).toMatchObject({
      cid: written.cid,
      value: { title: "Hello from the forum", board: { board: { cid: expect.any(String) } } },
    });

    const reply = (await (
      await send(`/api/topics/${written.id}/replies`, alice, { body: { text: "First reply" } })
    ).json()) as { id: string; uri: string; cid: string };
    // A quote names a post of the same thread; one from another thread is refused before anything is written.
    const unchanged = await everywhere();
    const quotingElsewhere = await send(`/api/topics/${written.id}/replies`, alice, {
      body: { text: "Quoting another thread", quoteId: Number(lockedTopicId) },
    });
    expect(quotingElsewhere.status).toBe(400);
    expect(await everywhere()).toEqual(unchanged);
    const nested = await send(`/api/topics/${written.id}/replies`, alice, {
      body: { text: "Answering the reply", parentId: Number(reply.id), quoteId: Number(reply.id) },
    });
    expect(nested.status).toBe(201);
    const nestedReply = (await nested.json()) as { id: string; uri: string; cid: string };
    const thread = await read(`/api/topics/${written.id}`);
    expect(thread.replies.map((r: any) => [r.text, r.parentId, r.quote])).toEqual([
      ["First reply", written.id, null],
      ["Answering the reply", reply.id, reply.uri],
    ]);
    expect((await getRecord(alice, nestedReply.uri)).data.value).toMatchObject({
      reply: { root: { uri: written.uri }, parent: { uri: reply.uri } },
      quote: { $type: "space.atbb.post#quoteRef", post: { uri: reply.uri, cid: reply.cid } },
    });

    const edited = await send(`/api/posts/${reply.id}`, alice, {
      method: "PUT",
      body: { cid: reply.cid, text: "First reply, edited" },
    });
    expect(edited.status).toBe(200);
    const afterEdit = (await edited.json()) as { cid: string };
    expect((await read(`/api/topics/${written.id}`)).replies[0].text).toBe("First reply, edited");
    const stored = await getRecord(alice, reply.uri);
    expect(stored.data).toMatchObject({
      cid: afterEdit.cid,
      value: { text: "First reply, edited", reply: { root: { uri: written.uri } } },
    });

    // An edit of a version the member no longer has is a conflict, and loses nothing.
    const before = await everywhere();
    const stale = await send(`/api/posts/${reply.id}`, alice, {
      method: "PUT",
      body: { cid: reply.cid, text: "Overwriting blindly" },
    });
    expect(stale.status).toBe(409);
    expect(await everywhere()).toEqual(before);

    const deleted = await send(`/api/posts/${nestedReply.id}`, alice, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect((await read(`/api/topics/${written.id}`)).replies[1]).toMatchObject({
      id: nestedReply.id,
      hidden: "deleted_by_author",
    });
    await expect(getRecord(alice, nestedReply.uri)).rejects.toThrow(/could not locate record/i);

    // The firehose echoes every write; once a later record has arrived, all of them have, and changed nothing.
    const shown = (thread: any) => ({
      topic: [thread.topic.id, thread.topic.cid, thread.topic.title, thread.topic.replyCount],
      replies: thread.replies.map((r: any) => [r.id, r.cid, r.text, r.parentId, r.quote, r.hidden ?? null]),
    });
    const atOnce = shown(await read(`/api/topics/${written.id}`));
    expect(atOnce.replies).toEqual([
      [reply.id, afterEdit.cid, "First reply, edited", written.id, null, null],
      [nestedReply.id, expect.anything(), null, reply.id, null, "deleted_by_author"],
    ]);
    const marker = await pds.put(pds.forum, ids.category, { name: "Marker", createdAt: new Date().toISOString() });
    await waitFor("the marker through the firehose", async () =>
      (await read("/api/categories")).categories.some((c: any) => c.uri === marker.uri),
    );
    expect(shown(await read(`/api/topics/${written.id}`))).toEqual(atOnce);
    expect((await read(`/api/boards/${boardId}/topics`)).topics.filter((t: any) => t.uri === written.uri)).toHaveLength(
      1,
    );
  }, 60_000);

  it("refuses, writing nothing anywhere: no session, another site, bad input, unknown board, no role, banned, locked, someone else's post, too fast", async () => {
    const { alice, bob, carol, dave } = members;
    const topic = { boardId: Number(boardId), title: "A topic", text: "Its text" };
    const daves = (await read(`/api/boards/${boardId}/topics`)).topics.find((t: any) => t.id === lockedTopicId);
    const before = await everywhere();
    const refusals: [string, Response, number, string][] = [
      ["no session", await send("/api/topics", null, { body: topic }), 401, "unauthenticated"],
      [
        "a forged cookie",
        await send("/api/topics", { cookie: "x".repeat(43) }, { body: topic }),
        401,
        "unauthenticated",
      ],
      [
        "another site",
        await send("/api/topics", alice, { body: topic, origin: "https://elsewhere.example" }),
        403,
        "cross_origin",
      ],
      [
        "a title too long",
        await send("/api/topics", alice, { body: { ...topic, title: "👍🏽".repeat(121) } }),
        400,
        "invalid_request",
      ],
      ["an empty text", await send("/api/topics", alice, { body: { ...topic, text: "  " } }), 400, "invalid_request"],
      [
        "not JSON",
        await fetch(`${base}/api/topics`, {
          method: "POST",
          headers: { origin: base, cookie: `${SESSION_COOKIE}=${alice.cookie}` },
          body: "{",
        }),
        400,
        "invalid_request",
      ],
      ["an unknown board", await send("/api/topics", alice, { body: { ...topic, boardId: 999999 } }), 404, "not_found"],
      ["no role", await send("/api/topics", carol, { body: topic }), 403, "no_permission"],
      ["banned", await send("/api/topics", bob, { body: topic }), 403, "banned"],
      [
        "a locked topic",
        await send(`/api/topics/${lockedTopicId}/replies`, alice, { body: { text: "Let me in" } }),
        403,
        "locked",
      ],
      [
        "a parent elsewhere",
        await send(`/api/topics/${lockedTopicId}/replies`, alice, { body: { text: "x", parentId: 999999 } }),
        404,
        "not_found",
      ],
      [
        "someone else's post",
        await send(`/api/posts/${lockedTopicId}`, alice, { method: "PUT", body: { cid: daves.cid, text: "Mine now" } }),
        403,
        "not_yours",
      ],
      [
        "deleting someone else's post",
        await send(`/api/posts/${lockedTopicId}`, alice, { method: "DELETE" }),
        403,
        "not_yours",
      ],
    ];
    for (const [what, response, status, code] of refusals) {
      expect([what, response.status, ((await response.json()) as { error: string }).error]).toEqual([
        what,
        status,
        code,
      ]);
    }
    expect(await everywhere()).toEqual(before);

    // Too fast: dave's writes past the limit are refused with how long to wait, and write nothing.
    for (let i = 0; i < WRITES_PER_MINUTE; i++)
      expect((await send("/api/topics", dave, { body: { ...topic, title: `Topic ${i}` } })).status).toBe(201);
    // Their firehose echoes first (they record the network's time), so that only the refusal is compared.
    const marker = await pds.put(pds.forum, ids.category, {
      name: "After dave's topics",
      createdAt: new Date().toISOString(),
    });
    await waitFor("the marker through the firehose", async () =>
      (await read("/api/categories")).categories.some((c: any) => c.uri === marker.uri),
    );
    const full = await everywhere();
    const tooFast = await send("/api/topics", dave, { body: topic });
    expect(tooFast.status).toBe(429);
    expect(Number(tooFast.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await everywhere()).toEqual(full);
  }, 60_000);

  it("answers 503 and writes nothing when the member's PDS cannot be reached", async () => {
    const before = await databaseSnapshot(handle);
    await pds.close();
    const response = await send("/api/topics", members.alice, {
      body: { boardId: Number(boardId), title: "Into the void", text: "Nobody hears" },
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe("pds_unreachable");
    const after = await databaseSnapshot(handle);
    expect({ posts: after.posts, boards: after.boards }).toEqual({ posts: before.posts, boards: before.boards });
    pds = null as never;
  }, 60_000);
});
