// The AppView against a real PDS (@atproto/dev-env): the firehose live, then
// backfill into a fresh database, both compared through the API.
import { collections, ids, validatePublishedRecord } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { backfillIfNeeded } from "../../src/backfill/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createHandleKeeper } from "../../src/handles.ts";
import { createIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { identityFor } from "../../src/identity.ts";
import { FirehoseSource } from "../../src/source/firehose.ts";
import { cleanEnv, cliEntry, runCli, startServe } from "../support/cli.ts";
import { silentLogger } from "../../src/logger.ts";
import { PdsForum, type Account, type Ref } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type App = ReturnType<typeof createApp>;
const json = async (app: App, path: string) => (await (await app.request(path)).json()) as any;

/**
 * The forum as the API shows it, with database ids replaced by the record
 * URIs they stand for (ids are insertion order, which differs between live
 * indexing and backfill) and what only the event history can know left out:
 * `editedAt` and the placeholders of posts their authors deleted.
 */
async function forumView(app: App, members: Account[]) {
  const uriOf = new Map<string, string>();
  const categories = (await json(app, "/api/categories")).categories;
  const roles = (await json(app, "/api/roles")).roles.map((role: any) => ({ ...role, id: undefined }));
  const modActions = (await json(app, "/api/mod-actions")).modActions.map((action: any) => ({
    ...action,
    id: undefined,
  }));
  const view: Record<string, unknown> = { forum: await json(app, "/api/forum"), roles, modActions };
  for (const category of categories) uriOf.set(`category:${category.id}`, category.uri);
  const boards: unknown[] = [];
  for (const category of categories) {
    for (const board of category.boards) {
      const topics = (await json(app, `/api/boards/${board.id}/topics?limit=100`)).topics;
      const threads = [];
      for (const topic of topics) {
        const thread = await json(app, `/api/topics/${topic.id}?limit=100`);
        const postUri = new Map<string, string>([
          [String(thread.topic.id), thread.topic.uri],
          ...thread.replies.map((r: any) => [String(r.id), r.uri] as [string, string]),
        ]);
        threads.push({
          topic: { ...thread.topic, id: undefined, boardId: undefined, editedAt: undefined },
          replies: thread.replies
            .filter((r: any) => r.hidden !== "deleted_by_author")
            .map((r: any) => ({
              ...r,
              id: undefined,
              editedAt: undefined,
              parentId: postUri.get(String(r.parentId)) ?? null,
            })),
        });
      }
      boards.push({ uri: board.uri, name: board.name, category: category.uri, threads });
    }
  }
  view.categories = categories.map((c: any) => ({ uri: c.uri, name: c.name, boards: c.boards.map((b: any) => b.uri) }));
  view.boards = boards;
  view.members = await Promise.all(
    members.map(async (m) => {
      const user = await json(app, `/api/users/${m.did}`);
      return { ...user, role: user.role && { ...user.role, id: undefined } };
    }),
  );
  return JSON.parse(JSON.stringify(view));
}

describe(`a real PDS (${dialect})`, () => {
  let pds: PdsForum;
  let alice: Account;
  let bob: Account;
  let live: MigratedTestDatabase;
  const databases: MigratedTestDatabase[] = [];
  const fresh = async () => {
    const database = await createMigratedTestDatabase();
    databases.push(database);
    return database;
  };
  const env = (url: string, extra: Record<string, string> = {}) => ({
    DATABASE_URL: url,
    FORUM_DID: pds.forum.did,
    SOURCE: "firehose",
    FIREHOSE_URL: pds.firehoseUrl,
    PLC_URL: pds.plcUrl,
    ALLOW_LOOPBACK: "true",
    ...extra,
  });

  beforeAll(async () => {
    pds = await PdsForum.start();
    [alice, bob] = [await pds.account("alice"), await pds.account("bob")];
    live = await fresh();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
    await pds?.close();
  });

  function follow(database: MigratedTestDatabase): {
    indexer: Indexer;
    running: Promise<void>;
    source: FirehoseSource;
  } {
    const { indexer, source } = pds.firehoseIndexer(database.handle, { batchMaxWaitMs: 20 });
    return { indexer, source, running: indexer.run(source) };
  }

  it("follows the PDS firehose live, and catches up after a restart", async () => {
    // From the PDS's first event: nothing written before the subscription opens is missed.
    const { firehoseCursor } = live.handle.schema;
    await live.handle.db.insert(firehoseCursor).values({ service: "firehose", cursor: 0, updatedAt: new Date() });
    let following = follow(live);
    const app = createApp({
      database: live.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: pds.forum.did,
      indexer: following.indexer,
    });

    // Every record in atBB's published shape: wrapped references with their $type, action tokens.
    const now = () => new Date().toISOString();
    const forum = await pds.put(pds.forum, ids.forum, {
      name: "PDS Forum",
      description: "On a real PDS",
      createdAt: now(),
    });
    const category = await pds.put(pds.forum, ids.category, {
      name: "General",
      slug: "general",
      sortOrder: 1,
      createdAt: now(),
    });
    const inCategory = { $type: "space.atbb.forum.board#categoryRef", category: category.ref };
    const board = await pds.put(pds.forum, ids.board, {
      name: "Chat",
      slug: "chat",
      category: inCategory,
      sortOrder: 1,
      createdAt: now(),
    });
    const news = await pds.put(pds.forum, ids.board, {
      name: "News",
      category: inCategory,
      sortOrder: 2,
      createdAt: now(),
    });
    const admin = await pds.put(pds.forum, ids.role, {
      name: "Admin",
      permissions: ["*"],
      priority: 0,
      createdAt: now(),
    });
    const member = await pds.put(pds.forum, ids.role, {
      name: "Member",
      permissions: ["space.atbb.permission.createPosts"],
      priority: 100,
      createdAt: now(),
    });
    const membership = (role: Ref) => ({
      forum: { $type: "space.atbb.membership#forumRef", forum: forum.ref },
      role: { $type: "space.atbb.membership#roleRef", role },
      joinedAt: now(),
      createdAt: now(),
    });
    await pds.put(alice, ids.membership, membership(admin.ref));
    await pds.put(bob, ids.membership, membership(member.ref));
    // The forum's grant, at the record key of the member's DID: accepted, not stored yet.
    await pds.put(
      pds.forum,
      ids.roleAssignment,
      { did: alice.did, role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: admin.ref }, createdAt: now() },
      alice.did,
    );
    const topicIn = (b: { ref: Ref }, title: string, text: string) => ({
      title,
      text,
      forum: { $type: "space.atbb.post#forumRef", forum: forum.ref },
      board: { $type: "space.atbb.post#boardRef", board: b.ref },
      createdAt: now(),
    });
    const topic = await pds.put(alice, ids.post, topicIn(board, "Hello", "First topic"));
    const toTopic = { $type: "space.atbb.post#replyRef", root: topic.ref, parent: topic.ref };
    const replyCreatedAt = now();
    const reply = await pds.put(bob, ids.post, { text: "A reply", reply: toTopic, createdAt: replyCreatedAt });
    const doomed = await pds.put(bob, ids.post, { text: "Soon gone", reply: toTopic, createdAt: now() });
    await pds.put(bob, ids.post, { text: "A reply, edited", reply: toTopic, createdAt: replyCreatedAt }, reply.rkey);
    await pds.remove(bob, ids.post, doomed.rkey);
    const announcement = await pds.put(alice, ids.post, topicIn(news, "Read me", "Closed for replies"));
    await pds.put(pds.forum, ids.modAction, {
      action: "space.atbb.modAction.lock",
      subject: { post: announcement.ref },
      createdBy: alice.did,
      createdAt: now(),
    });
    await pds.put(pds.forum, ids.modAction, {
      action: "space.atbb.modAction.pin",
      subject: { post: announcement.ref },
      createdBy: alice.did,
      createdAt: now(),
    });
    // Invalid for our lexicon (no text), accepted by the PDS with validation off.
    await pds.put(bob, ids.post, {
      title: "no text",
      board: { $type: "space.atbb.post#boardRef", board: board.ref },
      createdAt: now(),
    });

    const thread = await waitFor("the thread", async () => {
      const boards = (await json(app, "/api/categories")).categories[0]?.boards ?? [];
      if (boards.length === 0) return null;
      const topics = (await json(app, `/api/boards/${boards[0].id}/topics`)).topics;
      if (topics.length === 0) return null;
      const t = await json(app, `/api/topics/${topics[0].id}`);
      return t.replies.some((r: any) => r.text === "A reply, edited") &&
        t.replies.some((r: any) => r.hidden === "deleted_by_author")
        ? t
        : null;
    });
    expect(thread.topic).toMatchObject({ title: "Hello", text: "First topic", author: { did: alice.did } });
    expect(thread.replies.map((r: any) => r.text ?? r.hidden)).toEqual(["A reply, edited", "deleted_by_author"]);
    await waitFor(
      "the invalid post to be counted",
      async () => following.indexer.status().rejected.invalid_record === 1,
    );
    // Everything else was accepted, and arrived in the published form. (A rejection is counted when the
    // event is read, before its batch commits: the moderation actions before it may not be visible yet.)
    expect(following.indexer.status()).toMatchObject({ rejected: { invalid_record: 1 }, unpublishedForms: {} });
    await waitFor("both moderation actions", async () => (await json(app, "/api/mod-actions")).modActions.length === 2);
    const newsTopics = (
      await json(app, `/api/boards/${(await json(app, "/api/categories")).categories[0].boards[1].id}/topics`)
    ).topics;
    expect(newsTopics.map((t: any) => [t.title, t.locked])).toEqual([["Read me", true]]);
    expect((await json(app, "/api/mod-actions")).modActions.map((a: any) => a.action)).toEqual(["pin", "lock"]);
    // As the repositories hold them, every record validates as published, but the one written invalid.
    const stored = [];
    for (const who of [pds.forum, alice, bob]) {
      for (const collection of collections) {
        const { data } = await who.agent.com.atproto.repo.listRecords({ repo: who.did, collection, limit: 100 });
        for (const { uri, value } of data.records)
          stored.push({ uri, problem: validatePublishedRecord(collection, value).ok ? null : collection });
      }
    }
    expect(stored.length).toBe(15);
    expect(stored.filter((r) => r.problem !== null).map((r) => r.problem)).toEqual([ids.post]);

    // Stopped: what is written meanwhile arrives after the restart, from the saved seq.
    await following.indexer.stop();
    await following.running;
    const late = await pds.put(alice, ids.post, {
      text: "Written while the AppView was down",
      reply: toTopic,
      createdAt: now(),
    });
    following = follow(live);
    await waitFor("the late reply", async () =>
      (await json(app, `/api/topics/${thread.topic.id}`)).replies.some((r: any) => r.uri === late.uri),
    );
    await following.indexer.stop();
    await following.running;
  }, 60_000);

  it("backfills a fresh database from the PDS to what live indexing shows", async () => {
    const relayUrl = await pds.relay();
    const target = await fresh();
    const config = loadConfig(cleanEnv(env(target.url, { RELAY_URL: relayUrl })));
    const { indexer, source } = pds.firehoseIndexer(target.handle);
    const report = await backfillIfNeeded({ config, database: target.handle, indexer, source, logger: silentLogger });
    const errors = await target.handle.db.select().from(target.handle.schema.backfillErrors);
    expect([report, errors]).toMatchObject([{ repos: 3, errors: 1 }, [{}]]);
    expect(errors.map((e) => [e.did, e.error.split(":")[0]])).toEqual([[bob.did, "invalid_record"]]);

    const app = (database: MigratedTestDatabase) =>
      createApp({
        database: database.handle,
        logger: silentLogger,
        migrationsFolder: migrationsFolders[dialect],
        forumDid: pds.forum.did,
      });
    expect(await forumView(app(target), [alice, bob])).toEqual(await forumView(app(live), [alice, bob]));
    // Nothing left to do, and a second run says so.
    expect(
      await backfillIfNeeded({ config, database: target.handle, indexer, source, logger: silentLogger }),
    ).toBeNull();
  }, 60_000);

  it("resumes a backfill killed midway and ends where an uninterrupted one does", async () => {
    const relayUrl = await pds.relay();
    const target = await fresh();
    // Slow enough (2 requests/s) to be killed in the middle.
    const backfillEnv = env(target.url, { RELAY_URL: relayUrl, BACKFILL_RATE: "2", BACKFILL_CONCURRENCY: "1" });
    const child = spawn(process.execPath, ["--conditions=development", cliEntry, "backfill"], {
      env: cleanEnv(backfillEnv),
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const progress = target.handle.schema.backfillProgress;
    await waitFor("some progress", async () => {
      if (child.exitCode !== null)
        throw new Error(`atbb backfill exited (${child.exitCode}) before it could be killed:\n${output}`);
      return (await target.handle.db.select().from(progress)).some((row) => row.status === "done");
    }).catch((error: Error) => {
      child.kill("SIGKILL");
      throw new Error(`${error.message}; atbb backfill said:\n${output}`);
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    const rows = await target.handle.db.select().from(progress);
    expect(rows.some((row) => row.status !== "done") || rows.length < 8).toBe(true);

    const resumed = await runCli(["backfill"], { ...backfillEnv, BACKFILL_RATE: "50" });
    expect(resumed.stdout + resumed.stderr).toMatch(/Backfilled \d+ record/);
    expect(resumed.code).toBe(0);
    const app = (database: MigratedTestDatabase) =>
      createApp({
        database: database.handle,
        logger: silentLogger,
        migrationsFolder: migrationsFolders[dialect],
        forumDid: pds.forum.did,
      });
    expect(await forumView(app(target), [alice, bob])).toEqual(await forumView(app(live), [alice, bob]));
  }, 90_000);

  it("atbb serve on a fresh database backfills, follows live, and verifies handles, as an operator runs it", async () => {
    const target = await fresh();
    const served = await startServe(
      env(target.url, { RELAY_URL: await pds.relay(), HANDLE_RESOLVER_URL: pds.pdsUrl, LOG_LEVEL: "warn" }),
    );
    const api = async (path: string) => (await fetch(`http://127.0.0.1:${served.port}${path}`)).json() as Promise<any>;
    try {
      const topicOf = async () => {
        const board = (await api("/api/categories")).categories[0]?.boards[0];
        const topic = board && (await api(`/api/boards/${board.id}/topics`)).topics[0];
        return topic ? await api(`/api/topics/${topic.id}`) : null;
      };
      // Backfilled: the thread as its authors' repositories hold it.
      const thread = await waitFor("the backfilled thread", async () => {
        const t = await topicOf();
        return t?.replies.some((r: any) => r.text === "A reply, edited") ? t : null;
      });
      expect(thread.topic).toMatchObject({ title: "Hello", author: { did: alice.did } });
      // Then live: a reply written now arrives through the firehose.
      const root = { uri: thread.topic.uri, cid: thread.topic.cid };
      const toTopic = { $type: "space.atbb.post#replyRef", root, parent: root };
      const liveReply = await pds.put(bob, ids.post, {
        text: "Written after serve started",
        reply: toTopic,
        createdAt: new Date().toISOString(),
      });
      await waitFor("the live reply", async () => (await topicOf())?.replies.some((r: any) => r.uri === liveReply.uri));
      // And handles, verified both ways by the keeper beside the indexer.
      await waitFor(
        "alice's verified handle",
        async () => (await api(`/api/users/${alice.did}`)).handle === "alice.test",
      );
    } finally {
      served.child.kill("SIGTERM");
    }
    expect(await served.exited).toBe(0);
  }, 90_000);

  it("atbb backfill verifies the handles of the users it creates, and a read replica shows them", async () => {
    const target = await fresh();
    const backfilled = await runCli(
      ["backfill"],
      env(target.url, { RELAY_URL: await pds.relay(), HANDLE_RESOLVER_URL: pds.pdsUrl }),
    );
    expect(backfilled.code).toBe(0);
    expect(backfilled.stdout).toMatch(/Checked the handles of [1-9]\d* user\(s\)/);
    const { users } = target.handle.schema;
    const handles = Object.fromEntries(
      (await target.handle.db.select({ did: users.did, handle: users.handle }).from(users)).map((u) => [
        u.did,
        u.handle,
      ]),
    );
    expect(handles).toMatchObject({ [alice.did]: "alice.test", [bob.did]: "bob.test" });
    // A serving-only process on the same database: it verifies nothing itself, and shows what was verified.
    const replica = await startServe(env(target.url, { LOG_LEVEL: "warn" }), ["--no-indexer"]);
    try {
      const user = (await (await fetch(`http://127.0.0.1:${replica.port}/api/users/${alice.did}`)).json()) as {
        handle: string | null;
      };
      expect(user.handle).toBe("alice.test");
    } finally {
      replica.child.kill("SIGTERM");
    }
    expect(await replica.exited).toBe(0);
  }, 90_000);
});

describe(`a fresh database on a quiet firehose (${dialect})`, () => {
  let pds: PdsForum;
  let target: MigratedTestDatabase;
  beforeAll(async () => {
    pds = await PdsForum.start();
    target = await createMigratedTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await target?.drop();
    await pds?.close();
  });

  it("resumes from the firehose's head, not from 0, and loses nothing written between the resume point and the live start", async () => {
    const alice = await pds.account("alice");
    const now = () => new Date().toISOString();
    // History the PDS holds: a forum, and a hundred posts that backfill reads from the repositories.
    const forum = await pds.put(pds.forum, ids.forum, { name: "Quiet", createdAt: now() });
    const category = await pds.put(pds.forum, ids.category, { name: "General", createdAt: now() });
    const board = await pds.put(pds.forum, ids.board, {
      name: "Chat",
      category: { $type: "space.atbb.forum.board#categoryRef", category: category.ref },
      createdAt: now(),
    });
    const topic = (title: string) => ({
      title,
      text: title,
      forum: { $type: "space.atbb.post#forumRef", forum: forum.ref },
      board: { $type: "space.atbb.post#boardRef", board: board.ref },
      createdAt: now(),
    });
    for (let i = 0; i < 100; i++) await pds.put(alice, ids.post, topic(`Old ${i}`));

    const config = loadConfig(
      cleanEnv({
        DATABASE_URL: target.url,
        FORUM_DID: pds.forum.did,
        SOURCE: "firehose",
        FIREHOSE_URL: pds.firehoseUrl,
        PLC_URL: pds.plcUrl,
        ALLOW_LOOPBACK: "true",
      }),
    );
    const { indexer, source } = pds.firehoseIndexer(target.handle, { batchMaxWaitMs: 20 });
    // The members: alice, by a first post the relay-less backfill can find.
    await target.handle.db
      .insert(target.handle.schema.users)
      .values({ did: alice.did, firstSeenAt: new Date(), updatedAt: new Date() });
    const report = await backfillIfNeeded({ config, database: target.handle, indexer, source, logger: silentLogger });
    expect(report).toMatchObject({ repos: 2, errors: 0 });
    const backfilled = indexer.status().applied;
    expect(backfilled).toBe(103);

    // Written after the resume point was taken and before live indexing starts.
    const between = await pds.put(alice, ids.post, topic("Between"));
    const running = indexer.run(source);
    try {
      const { posts } = target.handle.schema;
      await waitFor("the post written between", async () =>
        (await target.handle.db.select({ rkey: posts.rkey }).from(posts)).some((p) => p.rkey === between.rkey),
      );
      // Give a replay of the history time to show itself.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // One event applied live: the PDS's history was not replayed.
      expect(indexer.status().applied - backfilled).toBe(1);
      expect(await indexer.loadCursor()).toBeGreaterThan(100);
    } finally {
      await indexer.stop();
      await running;
    }
  }, 90_000);
});

describe(`handles on a real PDS (${dialect})`, () => {
  let pds: PdsForum;
  let didWeb: Server;
  let database: MigratedTestDatabase;
  beforeAll(async () => {
    pds = await PdsForum.start();
    database = await createMigratedTestDatabase();
  }, 60_000);
  afterAll(async () => {
    didWeb?.close();
    await database?.drop();
    await pds?.close();
  });

  it("verifies handles both ways, and follows changes on the firehose", async () => {
    const [alice, bob] = [await pds.account("alice"), await pds.account("bob")];
    const { users } = database.handle.schema;
    // A did:web whose document claims bob's handle: bob.test resolves to bob, so the claim fails.
    didWeb = createServer((request, response) => {
      response.writeHead(request.url === "/.well-known/did.json" ? 200 : 404, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ "@context": ["https://www.w3.org/ns/did/v1"], id: impostor, alsoKnownAs: ["at://bob.test"] }),
      );
    });
    await new Promise<void>((resolve) => didWeb.listen(0, "127.0.0.1", resolve));
    const impostor = `did:web:localhost%3A${(didWeb.address() as AddressInfo).port}`;

    const { firehoseCursor } = database.handle.schema;
    await database.handle.db.insert(firehoseCursor).values({ service: "firehose", cursor: 0, updatedAt: new Date() });
    const indexer = createIndexer({
      database: database.handle,
      forumDid: pds.forum.did,
      service: "firehose",
      logger: silentLogger,
      batchMaxWaitMs: 20,
    });
    const identity = identityFor({ plcUrl: pds.plcUrl, allowLoopback: true, handles: { resolverUrl: pds.pdsUrl } });
    const running = indexer.run(new FirehoseSource({ url: pds.firehoseUrl, identity, logger: silentLogger }));
    const keeper = createHandleKeeper({
      database: database.handle,
      identity,
      logger: silentLogger,
      recheckMs: 3_600_000,
    });
    const handles = async () => {
      const rows = await database.handle.db.select({ did: users.did, handle: users.handle }).from(users);
      return Object.fromEntries(rows.map((row) => [row.did, row.handle]));
    };

    // Members the forum knows, as if each had posted: identity events update
    // known users only (the network's other accounts never become users).
    await database.handle.db
      .insert(users)
      .values([alice.did, bob.did, impostor].map((did) => ({ did, firstSeenAt: new Date(), updatedAt: new Date() })));
    await waitFor("the handles verified", async () => {
      await keeper.round();
      const now = await handles();
      return now[alice.did] === "alice.test" && now[bob.did] === "bob.test" ? now : null;
    });
    expect((await handles())[impostor]).toBeNull();

    // A handle change reaches us as an identity event, and is verified afresh.
    await alice.agent.com.atproto.identity.updateHandle({ handle: "alice2.test" });
    await waitFor("the new handle", async () => {
      await keeper.round();
      return (await handles())[alice.did] === "alice2.test";
    });
    // Verified handles stand until their recheck date: nothing is due now.
    expect(await keeper.round()).toBe(0);
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: pds.forum.did,
    });
    expect(await json(app, `/api/users/${alice.did}`)).toMatchObject({ did: alice.did, handle: "alice2.test" });
    await indexer.stop();
    await running;
  }, 60_000);
});
