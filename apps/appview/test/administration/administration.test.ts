// Administrators act through the forum: against the real PDS of
// @atproto/dev-env, `atbb serve` logged in as the forum account changes the
// forum's name, its categories and boards, and its members' roles, each
// written to the forum's repository and shown at once (and still once after
// the firehose echo). In every refusal nothing is written, neither in the
// forum's repository nor in the database.
import { ids, type Collection } from "@atbb/lexicon";
import { dialect } from "@atbb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import { ServedForum, type Body, type Member } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type Name = "alice" | "ada" | "mia" | "carol" | "dan";
const STRUCTURE: Collection[] = [ids.forum, ids.category, ids.board, ids.role, ids.roleAssignment];

describe(`administrators acting through the forum (${dialect})`, () => {
  let forum: ServedForum<Name>;
  /** alice owns the forum, ada is an Admin, mia a Moderator, carol and dan are Members. */
  let people: Record<Name, Member>;

  const call = (method: string, path: string, who: Member | null, body?: Body, origin?: string) =>
    forum.send(method, `/api${path}`, who, { ...(body !== undefined ? { body } : {}), ...(origin ? { origin } : {}) });
  const json = async (response: Response) => [response.status, (await response.json()) as any] as const;
  const rkeyOf = (uri: string) => uri.split("/").pop()!;
  /** What an administrator's change could touch: the structure and roles here and in the forum's repository. */
  async function everywhere() {
    const { forums, categories, boards, roles, roleGrants, rolePermissions, posts } = await databaseSnapshot(
      forum.handle,
    );
    const repository: Record<string, [string, string][]> = {};
    for (const collection of STRUCTURE)
      repository[collection] = (await forum.forumRecords(collection)).map((r) => [r.uri, r.cid]);
    return { forums, categories, boards, roles, roleGrants, rolePermissions, posts, repository };
  }
  const categories = async () => (await forum.read("/api/categories")).categories as any[];
  const roleId = async (name: string) =>
    (await forum.read("/api/roles")).roles.find((r: { name: string }) => r.name === name).id as string;
  const roleOf = async (who: Member) => (await forum.read(`/api/members/${who.did}/permissions`)).role;
  /** Each refusal answers its status and error code; afterwards, nothing anywhere has changed. */
  async function refusesAll(cases: [what: string, response: Promise<Response>, status: number, code: string][]) {
    await forum.echoed();
    const before = await everywhere();
    const answers = [];
    for (const [what, response, status, code] of cases) {
      const answer = await response;
      answers.push([what, answer.status, ((await answer.json()) as { error: string }).error]);
      expect(answers.at(-1)).toEqual([what, status, code]);
    }
    expect(answers).toHaveLength(cases.length);
    expect(await everywhere()).toEqual(before);
  }

  beforeAll(async () => {
    forum = await ServedForum.start<Name>({
      owner: "alice",
      roles: { ada: "Admin", mia: "Moderator", carol: "Member", dan: "Member" },
      forumName: "Administered Forum",
      // A topic on the first board, so that removing the board has something to refuse for; dan's
      // membership, so that he falls back to the forum's default role once his grant is revoked.
      prepare: async (pds, who) => {
        const repo = pds.forum.agent.com.atproto.repo;
        const forumRecord = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
        const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
        const forumRef = { uri: forumRecord.uri, cid: forumRecord.cid };
        await pds.put(who.dan, ids.membership, {
          forum: { $type: "space.atbb.membership#forumRef", forum: forumRef },
          joinedAt: new Date().toISOString(),
          createdAt: new Date().toISOString(),
        });
        await pds.put(who.carol, ids.post, {
          forum: { $type: "space.atbb.post#forumRef", forum: forumRef },
          board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
          title: "Hello",
          text: "Carol says hello",
          createdAt: new Date().toISOString(),
        });
      },
    });
    people = forum.people;
    await waitFor("carol's topic and dan's membership indexed", async () => {
      const board = (await categories())[0]?.boards[0];
      const { joinedAt } = await forum.read(`/api/users/${people.dan.did}`);
      return board && joinedAt && (await forum.read(`/api/boards/${board.id}/topics`)).topics?.length === 1;
    });
    await forum.logIn("alice", "ada", "mia", "carol", "dan");
  }, 240_000);

  afterAll(async () => {
    await forum?.close();
  });

  it("changes the forum's name, resending the whole record, and refuses a version changed since", async () => {
    const { alice, ada } = people;
    const [status, written] = await json(await call("PATCH", "/forum", alice, { name: "Renamed Forum" }));
    expect(status).toBe(200);
    expect(written.uri).toBe(`at://${forum.pds.forum.did}/${ids.forum}/self`);
    const record = await forum.forumRecord(ids.forum, "self");
    // Only the name changed: the fields `atbb init` wrote are all still there.
    expect(record).toMatchObject({
      name: "Renamed Forum",
      createdAt: expect.any(String),
      defaultRole: expect.anything(),
    });
    expect(await forum.read("/api/forum")).toMatchObject({ name: "Renamed Forum" });
    expect(await json(await call("PATCH", "/forum", alice, { description: "About things" }))).toEqual([
      200,
      expect.objectContaining({ uri: written.uri }),
    ]);
    expect(await forum.read("/api/forum")).toMatchObject({ name: "Renamed Forum", description: "About things" });
    await forum.echoed();
    expect(await forum.read("/api/forum")).toMatchObject({ name: "Renamed Forum", description: "About things" });

    await refusesAll([
      ["without a session", call("PATCH", "/forum", null, { name: "X" }), 401, "unauthenticated"],
      // manageForum is the Owner's alone.
      ["by an Admin", call("PATCH", "/forum", ada, { name: "X" }), 403, "no_permission"],
      [
        "from another site",
        call("PATCH", "/forum", alice, { name: "X" }, "https://elsewhere.example"),
        403,
        "cross_origin",
      ],
      ["an empty name", call("PATCH", "/forum", alice, { name: " " }), 400, "invalid_request"],
      ["a name too long", call("PATCH", "/forum", alice, { name: "x".repeat(301) }), 400, "invalid_request"],
      ["an unknown field", call("PATCH", "/forum", alice, { title: "X" }), 400, "invalid_request"],
      ["a body that is not JSON", call("PATCH", "/forum", alice, "{"), 400, "invalid_request"],
      ["a version seen before", call("PATCH", "/forum", alice, { name: "X", cid: written.cid }), 409, "conflict"],
    ]);
  }, 120_000);

  it("adds, edits and removes categories and boards: written by the forum account, shown at once and once after the echo", async () => {
    const { ada } = people;
    const [added, category] = await json(
      await call("POST", "/categories", ada, { name: "Off Topic", description: "Anything", sortOrder: 5 }),
    );
    expect(added).toBe(201);
    expect(await forum.forumRecord(ids.category, rkeyOf(category.uri))).toMatchObject({
      name: "Off Topic",
      slug: "off-topic",
      description: "Anything",
      sortOrder: 5,
    });
    expect((await categories()).filter((c) => c.uri === category.uri)).toEqual([
      expect.objectContaining({ id: category.id, name: "Off Topic", description: "Anything", sortOrder: 5 }),
    ]);

    // An edit resends the whole record: the description and order stay.
    const [edited, renamed] = await json(await call("PATCH", `/categories/${category.id}`, ada, { name: "Chatter" }));
    expect([edited, renamed.id, renamed.uri]).toEqual([200, category.id, category.uri]);
    expect(await forum.forumRecord(ids.category, rkeyOf(category.uri))).toMatchObject({
      name: "Chatter",
      slug: "chatter",
      description: "Anything",
      sortOrder: 5,
    });
    const [boardAdded, board] = await json(
      await call("POST", "/boards", ada, { name: "Games", categoryId: Number(category.id) }),
    );
    expect(boardAdded).toBe(201);
    expect(await forum.forumRecord(ids.board, rkeyOf(board.uri))).toMatchObject({
      name: "Games",
      slug: "games",
      category: { category: { uri: category.uri, cid: renamed.cid } },
    });
    expect(await json(await call("PATCH", `/boards/${board.id}`, ada, { description: "Play" }))).toEqual([
      200,
      expect.objectContaining({ id: board.id }),
    ]);
    await forum.echoed();
    const shown = (await categories()).filter((c) => c.uri === category.uri);
    expect(shown).toEqual([expect.objectContaining({ name: "Chatter", description: "Anything" })]);
    expect(shown[0].boards).toEqual([expect.objectContaining({ id: board.id, name: "Games", description: "Play" })]);

    // A category holding a board stays unless cascade is asked for.
    const boardsOf = `/categories/${category.id}`;
    await refusesAll([
      ["a category holding a board", call("DELETE", boardsOf, ada), 409, "not_empty"],
      ["cascade that is not true or false", call("DELETE", `${boardsOf}?cascade=yes`, ada), 400, "invalid_request"],
    ]);
    const [removed, gone] = await json(await call("DELETE", `${boardsOf}?cascade=true`, ada));
    expect([removed, gone]).toEqual([
      200,
      {
        removed: [
          { kind: "board", uri: board.uri, name: "Games" },
          { kind: "category", uri: category.uri, name: "Chatter" },
        ],
        topics: 0,
      },
    ]);
    expect(await forum.forumRecord(ids.category, rkeyOf(category.uri))).toBeNull();
    expect(await forum.forumRecord(ids.board, rkeyOf(board.uri))).toBeNull();
    expect((await categories()).some((c) => c.uri === category.uri)).toBe(false);
    await forum.echoed();
    expect((await categories()).some((c) => c.uri === category.uri)).toBe(false);
  }, 120_000);

  it("refuses a structure change that is not allowed or not well formed, and one made behind this AppView's back, writing nothing", async () => {
    const { ada, mia, alice } = people;
    const [general] = await categories();
    const board = general.boards[0];
    const category = `/categories/${general.id}`;
    // Someone changes the category in the repository itself: an edit naming the version seen before is refused.
    const seen = (await forum.forumRecords(ids.category)).find((r) => r.uri === general.uri)!;
    await forum.pds.put(
      forum.pds.forum,
      ids.category,
      { ...(seen.value as object), name: "Changed" },
      rkeyOf(general.uri),
    );
    await refusesAll([
      ["adding without a session", call("POST", "/categories", null, { name: "X" }), 401, "unauthenticated"],
      ["adding as a Moderator", call("POST", "/categories", mia, { name: "X" }), 403, "no_permission"],
      ["editing as a Moderator", call("PATCH", category, mia, { name: "X" }), 403, "no_permission"],
      ["removing as a Moderator", call("DELETE", category, mia), 403, "no_permission"],
      [
        "adding a board as a Moderator",
        call("POST", "/boards", mia, { name: "X", categoryId: 1 }),
        403,
        "no_permission",
      ],
      ["removing a board without a session", call("DELETE", `/boards/${board.id}`, null), 401, "unauthenticated"],
      ["a category with no name", call("POST", "/categories", ada, {}), 400, "invalid_request"],
      ["a negative order", call("POST", "/categories", ada, { name: "X", sortOrder: -1 }), 400, "invalid_request"],
      ["a board with no category", call("POST", "/boards", ada, { name: "X" }), 400, "invalid_request"],
      ["a board in no such category", call("POST", "/boards", ada, { name: "X", categoryId: 99999 }), 404, "not_found"],
      ["an id that is not one", call("PATCH", "/categories/abc", ada, { name: "X" }), 400, "invalid_request"],
      ["no such category", call("PATCH", "/categories/99999", ada, { name: "X" }), 404, "not_found"],
      ["an unknown field", call("PATCH", category, ada, { colour: "red" }), 400, "invalid_request"],
      ["a version changed since", call("PATCH", category, ada, { name: "X", cid: seen.cid }), 409, "conflict"],
      ["a board holding a topic", call("DELETE", `/boards/${board.id}`, alice), 409, "not_empty"],
    ]);
  }, 120_000);

  it("grants and revokes roles below one's own, written as the forum's grant and shown at once", async () => {
    const { ada, dan } = people;
    const moderator = await roleId("Moderator");
    const [granted, answer] = await json(
      await call("PUT", `/members/${dan.did}/role`, ada, { roleId: Number(moderator) }),
    );
    expect([granted, answer]).toEqual([
      200,
      {
        did: dan.did,
        role: expect.objectContaining({ id: moderator, name: "Moderator" }),
        changed: true,
        uri: `at://${forum.pds.forum.did}/${ids.roleAssignment}/${dan.did}`,
      },
    ]);
    const roleRecord = (await forum.forumRecords(ids.role)).find((r) => (r.value as any).name === "Moderator")!;
    expect(await forum.forumRecord(ids.roleAssignment, dan.did)).toMatchObject({
      did: dan.did,
      role: { role: { uri: roleRecord.uri, cid: roleRecord.cid } },
    });
    expect(await roleOf(dan)).toMatchObject({ name: "Moderator" });
    expect((await forum.read("/api/auth/session", dan)).capabilities).toMatchObject({ canModerate: true });

    // The same grant again changes nothing.
    await forum.echoed();
    const before = await everywhere();
    expect(await json(await call("PUT", `/members/${dan.did}/role`, ada, { roleId: Number(moderator) }))).toEqual([
      200,
      expect.objectContaining({ changed: false }),
    ]);
    expect(await everywhere()).toEqual(before);

    const [revoked, after] = await json(await call("DELETE", `/members/${dan.did}/role`, ada));
    expect([revoked, after]).toEqual([
      200,
      { did: dan.did, role: expect.objectContaining({ name: "Member" }), changed: true, uri: null },
    ]);
    expect(await forum.forumRecord(ids.roleAssignment, dan.did)).toBeNull();
    expect(await roleOf(dan)).toMatchObject({ name: "Member" });
    await forum.echoed();
    expect(await roleOf(dan)).toMatchObject({ name: "Member" });
    expect((await forum.read("/api/members?limit=100", ada)).members.filter((m: any) => m.did === dan.did)).toEqual([
      expect.objectContaining({ granted: false, role: expect.objectContaining({ name: "Member" }) }),
    ]);
  }, 120_000);

  it("refuses a grant to or of an equal or higher role, without the permission or well-formed input, writing nothing", async () => {
    const { alice, ada, mia, carol, dan } = people;
    const [owner, admin, member] = await Promise.all(["Owner", "Admin", "Member"].map((n) => roleId(n)));
    const grant = (who: Member | null, target: string, body: Body) => call("PUT", `/members/${target}/role`, who, body);
    await refusesAll([
      ["granting without a session", grant(null, carol.did, { roleId: Number(member) }), 401, "unauthenticated"],
      ["granting as a Moderator", grant(mia, carol.did, { roleId: Number(member) }), 403, "no_permission"],
      ["revoking as a Member", call("DELETE", `/members/${dan.did}/role`, carol), 403, "no_permission"],
      ["an Admin granting Owner", grant(ada, carol.did, { roleId: Number(owner) }), 403, "outranked"],
      ["an Admin granting Admin", grant(ada, carol.did, { roleId: Number(admin) }), 403, "outranked"],
      ["an Admin changing the Owner's role", grant(ada, alice.did, { roleId: Number(member) }), 403, "outranked"],
      ["an Admin revoking the Owner's grant", call("DELETE", `/members/${alice.did}/role`, ada), 403, "outranked"],
      ["an Admin changing their own role", grant(ada, ada.did, { roleId: Number(member) }), 403, "outranked"],
      ["a DID that is not one", grant(ada, "not-a-did", { roleId: Number(member) }), 400, "invalid_request"],
      ["a role id that is not one", grant(ada, carol.did, { roleId: "Member" }), 400, "invalid_request"],
      ["no such role", grant(ada, carol.did, { roleId: 99999 }), 404, "not_found"],
      [
        "revoking what was not granted",
        call("DELETE", `/members/did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/role`, ada),
        404,
        "not_found",
      ],
    ]);
  }, 120_000);

  it("lists the members with their roles, a page at a time, to those who manage members", async () => {
    const { ada, carol } = people;
    const everyone = Object.values(people)
      .map((p) => p.did)
      .sort();
    const pages = [];
    for (let offset = 0; offset < 6; offset += 2) {
      const page = await forum.read(`/api/members?limit=2&offset=${offset}`, ada);
      expect([page.total, page.offset, page.limit]).toEqual([everyone.length, offset, 2]);
      pages.push(...page.members);
    }
    expect(pages.map((m) => m.did)).toEqual(everyone);
    expect(pages.find((m) => m.did === people.alice.did)).toMatchObject({
      role: { name: "Owner" },
      granted: true,
    });
    const refused = async (who: Member | null, query: string) => {
      const answer = await fetch(`${forum.base}/api/members${query}`, who ? { headers: { cookie: who.cookie } } : {});
      return [answer.status, ((await answer.json()) as { error: string }).error];
    };
    expect(await refused(null, "")).toEqual([401, "unauthenticated"]);
    expect(await refused(carol, "")).toEqual([403, "no_permission"]);
    expect(await refused(ada, "?limit=0")).toEqual([400, "invalid_request"]);
    expect(await refused(ada, "?limit=101")).toEqual([400, "invalid_request"]);
    expect(await refused(ada, "?offset=-1")).toEqual([400, "invalid_request"]);
  }, 60_000);

  it("shows the backfill's state and the errors it recorded, newest first, to those who manage members", async () => {
    const { ada, carol } = people;
    const unreadable = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb";
    const { backfillErrors, backfillProgress } = forum.handle.schema;
    // What `atbb backfill` records when a repository cannot be read.
    await forum.handle.db.insert(backfillProgress).values([
      {
        did: unreadable,
        collection: ids.post,
        status: "failed",
        recordsIndexed: 3,
        startedAt: new Date(),
        updatedAt: new Date(),
      },
      {
        did: unreadable,
        collection: ids.membership,
        status: "done",
        recordsIndexed: 1,
        startedAt: new Date(),
        updatedAt: new Date(),
      },
    ]);
    await forum.handle.db.insert(backfillErrors).values([
      { did: unreadable, collection: ids.post, uri: null, error: "first", createdAt: new Date(1_000) },
      { did: unreadable, collection: null, uri: null, error: "second", createdAt: new Date(2_000) },
    ]);
    const report = await forum.read("/api/backfill?limit=1", ada);
    expect(report).toMatchObject({
      status: "failed",
      failed: 1,
      unfinished: [{ did: unreadable, collection: ids.post, status: "failed", recordsIndexed: 3 }],
      errors: [{ did: unreadable, collection: null, error: "second" }],
      total: 2,
      offset: 0,
      limit: 1,
    });
    expect((await forum.read("/api/backfill?limit=1&offset=1", ada)).errors).toMatchObject([{ error: "first" }]);
    const status = async (who: Member | null) =>
      (await fetch(`${forum.base}/api/backfill`, who ? { headers: { cookie: who.cookie } } : {})).status;
    expect([await status(null), await status(carol)]).toEqual([401, 403]);
    expect((await fetch(`${forum.base}/api/backfill?limit=x`, { headers: { cookie: ada.cookie } })).status).toBe(400);
  }, 60_000);

  it("removes a board holding topics only when asked to cascade, its topics left without a board", async () => {
    const { ada } = people;
    const [general] = await categories();
    const board = general.boards[0];
    const [status, removed] = await json(await call("DELETE", `/boards/${board.id}?cascade=true`, ada));
    expect([status, removed]).toEqual([
      200,
      { removed: [{ kind: "board", uri: board.uri, name: board.name }], topics: 1 },
    ]);
    expect(await forum.forumRecord(ids.board, rkeyOf(board.uri))).toBeNull();
    await waitFor("the board gone from the read API", async () => (await categories())[0].boards.length === 0);
  }, 60_000);
});
