// The forum account acting, against a real PDS (@atproto/dev-env): `atbb init`
// and the operator's commands as a real child process logged in with an app
// password, each write checked in the API (applied locally at once) and in
// the forum's repository; then the firehose echo, which changes nothing; and
// the failures an operator meets, each with its exit code and nothing written.
import { ids } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { freePort, runCli, startServe } from "../support/cli.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";

const json = async (app: ReturnType<typeof createApp>, path: string) => (await (await app.request(path)).json()) as any;

describe(`the forum account acting on a real PDS (${dialect})`, () => {
  let pds: PdsForum;
  let alice: Account;
  let bob: Account;
  let mallory: Account;
  let database: MigratedTestDatabase;
  let app: ReturnType<typeof createApp>;
  let env: Record<string, string>;
  const atbb = async (...args: string[]) => runCli(args, env);
  const atbbJson = async (...args: string[]) => {
    const result = await runCli([...args, "--json"], env);
    return { ...result, body: JSON.parse(result.stdout || "{}") as any };
  };
  /** The forum's roles as its repository holds them, by name. */
  const repoRoles = async () =>
    new Map(
      (
        await pds.forum.agent.com.atproto.repo.listRecords({ repo: pds.forum.did, collection: ids.role })
      ).data.records.map((r) => [(r.value as { name: string }).name, { uri: r.uri, cid: r.cid }]),
    );
  const getRecord = async (collection: string, rkey: string) =>
    (await pds.forum.agent.com.atproto.repo.getRecord({ repo: pds.forum.did, collection, rkey })).data as {
      cid: string;
      value: any;
    };

  beforeAll(async () => {
    pds = await PdsForum.start();
    [alice, bob, mallory] = [await pds.account("alice"), await pds.account("bob"), await pds.account("mallory")];
    const { data } = await pds.forum.agent.com.atproto.server.createAppPassword({ name: "atbb" });
    const secrets = mkdtempSync(join(tmpdir(), "atbb-secret-"));
    writeFileSync(join(secrets, "app-password"), `${data.password}\n`, { mode: 0o600 });
    database = await createMigratedTestDatabase();
    env = {
      DATABASE_URL: database.url,
      FORUM_HANDLE: pds.forum.handle,
      FORUM_APP_PASSWORD_FILE: join(secrets, "app-password"),
      PLC_URL: pds.plcUrl,
      HANDLE_RESOLVER_URL: pds.pdsUrl,
      ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "warn",
    };
    app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: pds.forum.did,
    });
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
    await pds?.close();
  });

  it("atbb init sets up a fresh forum account, shown by the API at once; a second run writes nothing", async () => {
    const first = await atbbJson(
      "init",
      "--owner",
      alice.handle,
      "--name",
      "PDS Forum",
      "--description",
      "Set up by atbb init",
      "--default-category",
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.body).toMatchObject({ ok: true, forumDid: pds.forum.did, owner: alice.did });
    // The forum, four roles, the owner's grant, the default role, a category and a board.
    expect(first.body.written).toHaveLength(9);

    expect(await json(app, "/api/forum")).toMatchObject({ name: "PDS Forum", description: "Set up by atbb init" });
    const roles = (await json(app, "/api/roles")).roles;
    expect(roles.map((r: any) => [r.name, r.priority])).toEqual([
      ["Owner", 0],
      ["Admin", 10],
      ["Moderator", 20],
      ["Member", 30],
    ]);
    expect(roles[0].permissions).toEqual(["*"]);
    expect(await json(app, `/api/members/${alice.did}/permissions`)).toMatchObject({
      role: { name: "Owner" },
      permissions: ["*"],
    });
    const categories = (await json(app, "/api/categories")).categories;
    expect(categories.map((c: any) => [c.name, c.boards.map((b: any) => b.name)])).toEqual([
      ["General", ["General discussion"]],
    ]);

    const forum = await getRecord(ids.forum, "self");
    const inRepo = await repoRoles();
    expect(forum.value).toMatchObject({
      $type: ids.forum,
      name: "PDS Forum",
      defaultRole: { $type: "space.atbb.forum.forum#roleRef", role: inRepo.get("Member") },
    });
    expect((await getRecord(ids.roleAssignment, alice.did)).value).toMatchObject({
      did: alice.did,
      role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: inRepo.get("Owner") },
    });

    const before = await databaseSnapshot(database.handle);
    const again = await atbb("init", "--owner", alice.did, "--default-category");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to do");
    expect(await databaseSnapshot(database.handle)).toEqual(before);
  }, 60_000);

  it("an interrupted init completes on the next run", async () => {
    // As if a run had stopped after the forum record: the default role is not set yet.
    const forum = await getRecord(ids.forum, "self");
    const { defaultRole: _gone, ...withoutDefault } = forum.value;
    await pds.put(pds.forum, ids.forum, withoutDefault, "self");
    const rerun = await atbbJson("init", "--owner", alice.did);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.body.written).toHaveLength(1);
    expect((await getRecord(ids.forum, "self")).value.defaultRole.role.uri).toBe(forum.value.defaultRole.role.uri);
  }, 60_000);

  it("adds, edits, lists and removes categories and boards, grants and revokes roles, and moderates", async () => {
    const category = await atbbJson(
      "category",
      "add",
      "Help and Support",
      "--sort-order",
      "2",
      "--description",
      "Ask here",
    );
    expect(category.code, category.stderr).toBe(0);
    expect(category.body.category.value).toMatchObject({
      name: "Help and Support",
      slug: "help-and-support",
      sortOrder: 2,
    });
    expect((await json(app, "/api/categories")).categories.map((c: any) => c.name)).toEqual([
      "General",
      "Help and Support",
    ]);
    expect((await getRecord(ids.category, category.body.category.rkey)).value).toMatchObject({
      slug: "help-and-support",
      description: "Ask here",
    });

    const board = await atbbJson("board", "add", "help-and-support", "Questions", "--sort-order", "1");
    expect(board.code, board.stderr).toBe(0);
    const edited = await atbbJson("board", "edit", "questions", "--name", "Questions and Answers");
    expect(edited.code, edited.stderr).toBe(0);
    const stored = await getRecord(ids.board, board.body.board.rkey);
    expect(stored.value).toMatchObject({
      name: "Questions and Answers",
      slug: "questions-and-answers",
      sortOrder: 1,
      category: { $type: "space.atbb.forum.board#categoryRef", category: { uri: category.body.category.uri } },
    });
    expect(stored.cid).toBe(edited.body.board.cid);
    const help = (await json(app, "/api/categories")).categories[1];
    expect(help.boards.map((b: any) => b.name)).toEqual(["Questions and Answers"]);
    const listed = await atbb("board", "list");
    expect(listed.stdout).toContain("questions-and-answers");

    // Roles: a grant shows at once; revoking falls back to the default role at once.
    const granted = await atbbJson("role", "grant", bob.handle, "moderator");
    expect(granted.code, granted.stderr).toBe(0);
    expect(await json(app, `/api/members/${bob.did}/permissions`)).toMatchObject({
      role: { name: "Moderator", priority: 20 },
    });
    expect((await getRecord(ids.roleAssignment, bob.did)).value.role.role.uri).toBe(
      granted.body.grant.value.role.role.uri,
    );
    expect(granted.body.replaced).toBeNull();
    // A member holds one grant: a second takes the first one's place, and the command says which it took away.
    const promoted = await atbb("role", "grant", bob.handle, "admin");
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain(`Granted Admin to ${bob.did} in place of Moderator`);
    const demoted = await atbb("role", "grant", bob.handle, "moderator");
    expect(demoted.stdout).toContain("in place of Admin");
    const revoked = await atbb("role", "revoke", bob.did, "Moderator");
    expect(revoked.code, revoked.stderr).toBe(0);
    // Bob has no membership here: without the grant he is a guest, at once.
    expect(await json(app, `/api/members/${bob.did}/permissions`)).toEqual({
      did: bob.did,
      role: null,
      permissions: [],
    });
    await expect(getRecord(ids.roleAssignment, bob.did)).rejects.toThrow();
    expect((await atbb("role", "revoke", bob.did)).code).toBe(5);

    // A topic of bob's in the new board, indexed here as it would arrive.
    const topic = await pds.put(bob, ids.post, {
      title: "How?",
      text: "How do I?",
      board: { $type: "space.atbb.post#boardRef", board: { uri: board.body.board.uri, cid: stored.cid } },
      createdAt: new Date().toISOString(),
    });
    const indexer = createIndexer({ database: database.handle, forumDid: pds.forum.did, logger: silentLogger });
    const verdict = await indexer.applyLocal({
      kind: "commit",
      timeUs: Date.now() * 1000,
      did: bob.did,
      collection: ids.post,
      rkey: topic.rkey,
      operation: "create",
      cid: topic.cid,
      record: (
        await pds.forum.agent.com.atproto.repo.getRecord({ repo: bob.did, collection: ids.post, rkey: topic.rkey })
      ).data.value,
    });
    expect(verdict.ok).toBe(true);
    const topicId = (await json(app, `/api/boards/${help.boards[0].id}/topics`)).topics[0].id;

    const lock = await atbbJson("mod", "lock", topic.uri, "--reason", "answered");
    expect(lock.code, lock.stderr).toBe(0);
    expect((await json(app, `/api/topics/${topicId}`)).topic.locked).toBe(true);
    const hide = await atbb("mod", "hide", String(topicId));
    expect(hide.code, hide.stderr).toBe(0);
    expect((await json(app, `/api/topics/${topicId}`)).topic.hidden).toBe("removed_by_moderator");
    const ban = await atbbJson("mod", "ban", mallory.handle, "--reason", "spam", "--expires", "7d");
    expect(ban.code, ban.stderr).toBe(0);
    const log = (await json(app, "/api/mod-actions")).modActions;
    expect(log[0]).toMatchObject({ action: "ban", subject: { did: mallory.did }, reason: "spam", expired: false });
    expect((await getRecord(ids.modAction, ban.body.modAction.rkey)).value).toMatchObject({
      action: "space.atbb.modAction.ban",
      subject: { did: mallory.did },
    });
    expect((await atbb("mod", "lock", "at://did:plc:nobodynobodynobody/space.atbb.post/3kaaaaaaaaaa2")).code).toBe(5);
    expect((await atbb("mod", "ban", mallory.did, "--expires", "yesterday")).code).toBe(2);

    // Removal: refused while a board holds topics or a category holds boards, unless --force.
    const refused = await atbb("board", "remove", "questions-and-answers");
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("holds 1 topic");
    expect((await atbb("category", "remove", "help-and-support")).code).toBe(5);
    const forced = await atbb("category", "remove", "help-and-support", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("Removed the board Questions and Answers");
    expect((await json(app, "/api/categories")).categories.map((c: any) => c.name)).toEqual(["General"]);
    await expect(getRecord(ids.board, board.body.board.rkey)).rejects.toThrow();
  }, 120_000);

  it("says plainly when the password is wrong, the PDS unreachable, or a record changed behind its back, and writes nothing locally", async () => {
    const before = await databaseSnapshot(database.handle);
    const { FORUM_APP_PASSWORD_FILE: _file, ...withoutFile } = env;
    const wrong = await runCli(["category", "add", "Nope"], { ...withoutFile, FORUM_APP_PASSWORD: "not-the-password" });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain("refused the app password");

    const unreachable = await runCli(["category", "add", "Nope"], {
      ...env,
      PDS_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("cannot log in to the PDS");

    // The board changed in the repository by another client; this AppView has not seen it.
    const general = (await pds.forum.agent.com.atproto.repo.listRecords({ repo: pds.forum.did, collection: ids.board }))
      .data.records[0]!;
    const rkey = general.uri.split("/").pop()!;
    await pds.put(pds.forum, ids.board, { ...(general.value as object), name: "Renamed elsewhere" }, rkey);
    const conflict = await runCli(["board", "edit", rkey, "--name", "Mine"], env);
    expect(conflict.code).toBe(3);
    expect(conflict.stderr).toContain("changed in the forum's repository");
    expect((await getRecord(ids.board, rkey)).value.name).toBe("Renamed elsewhere");
    expect(await databaseSnapshot(database.handle)).toEqual(before);
  }, 60_000);

  it("the firehose echo of every write changes nothing; claims and grants from members count for nothing", async () => {
    // Mallory claims Owner in her own membership and grants herself Admin from her own repository.
    const forum = await getRecord(ids.forum, "self");
    const roles = (await json(app, "/api/roles")).roles;
    const owner = (await repoRoles()).get("Owner")!;
    await pds.put(mallory, ids.membership, {
      forum: {
        $type: "space.atbb.membership#forumRef",
        forum: { uri: `at://${pds.forum.did}/${ids.forum}/self`, cid: forum.cid },
      },
      role: { $type: "space.atbb.membership#roleRef", role: owner },
      createdAt: new Date().toISOString(),
    });
    await pds.put(
      mallory,
      ids.roleAssignment,
      {
        did: mallory.did,
        role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: owner },
        createdAt: new Date().toISOString(),
      },
      mallory.did,
    );
    const apiView = async () => ({
      forum: await json(app, "/api/forum"),
      categories: await json(app, "/api/categories"),
      roles: await json(app, "/api/roles"),
      alice: await json(app, `/api/members/${alice.did}/permissions`),
      log: await json(app, "/api/mod-actions"),
    });
    const before = await apiView();

    const { firehoseCursor } = database.handle.schema;
    await database.handle.db.insert(firehoseCursor).values({ service: "firehose", cursor: 0, updatedAt: new Date() });
    const { indexer, source } = pds.firehoseIndexer(database.handle, { batchMaxWaitMs: 20 });
    const running = indexer.run(source);
    // Mallory's grant is the last write: once it is rejected, the stream has caught up; then let the last batch commit.
    const deadline = Date.now() + 30_000;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    while ((indexer.status().rejected.not_forum_owner ?? 0) < 1 && Date.now() < deadline) await sleep(100);
    for (let applied = -1; applied !== indexer.status().applied; ) {
      applied = indexer.status().applied;
      await sleep(500);
    }
    await indexer.stop();
    await running;

    expect(indexer.status().rejected).toMatchObject({ not_forum_owner: 1 });
    expect(indexer.status().ignoredRoleClaims).toBeGreaterThanOrEqual(1);
    const after = await apiView();
    // The board renamed behind our back is the one change the echo brings.
    expect(after.categories.categories[0].boards[0].name).toBe("Renamed elsewhere");
    expect({ ...after, categories: null }).toEqual({ ...before, categories: null });
    expect(after.categories.categories.map((c: any) => c.boards.length)).toEqual([1]);
    expect(await json(app, `/api/members/${mallory.did}/permissions`)).toEqual({
      did: mallory.did,
      role: { ...roles[3], permissions: undefined },
      permissions: roles[3].permissions,
    });
  }, 60_000);

  it("serve reports the forum account's session in /api/health: authenticated, or failed with the reason", async () => {
    const health = async (serveEnv: Record<string, string>) => {
      const served = await startServe(serveEnv, ["--no-indexer"]);
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const body = (await (await fetch(`http://127.0.0.1:${served.port}/api/health`)).json()) as any;
          if (body.forumAgent.state !== "retrying" || Date.now() > deadline) return body;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        served.child.kill("SIGTERM");
        await served.exited;
      }
    };
    expect((await health(env)).forumAgent).toMatchObject({
      state: "authenticated",
      did: pds.forum.did,
      handle: pds.forum.handle,
      pds: new URL(pds.pdsUrl).origin,
    });
    const { FORUM_APP_PASSWORD_FILE: _file, ...withoutFile } = env;
    const wrong = await health({ ...withoutFile, FORUM_APP_PASSWORD: "not-the-password" });
    expect(wrong).toMatchObject({ status: "degraded", forumAgent: { state: "failed" } });
    expect(wrong.forumAgent.reason).toContain("refused the app password");
    expect((await health(withoutFile)).forumAgent).toMatchObject({
      state: "not_configured",
      reason: expect.stringContaining("FORUM_APP_PASSWORD"),
    });
  }, 60_000);
});
