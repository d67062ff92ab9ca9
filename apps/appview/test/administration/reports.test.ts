// Members report posts to the moderators: against the real PDS of
// @atproto/dev-env, a member files a report (kept in this AppView's database,
// never on a PDS), moderators read the queue with each post and its author,
// and resolve each by dismissing it, hiding the post or banning its author —
// the hide or ban written by the forum account naming the moderator, shown at
// once and once after the firehose echo. A reporter sees only their own
// reports; a plain member cannot read the queue; filing is rate limited like
// posting. In every refusal nothing is written anywhere.
import { ids } from "@atbb/lexicon";
import { dialect } from "@atbb/testing";
import { PERMISSION } from "../../src/permissions.ts";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import type { Account, PdsForum } from "../support/pds-forum.ts";
import { ServedForum, type Body, type Member } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type Name = "alice" | "mia" | "hal" | "carol" | "dan" | "bob" | "eve";
type Topic = "spam" | "rude" | "fine" | "fourth" | "rules";
/** Reports each member may file in a minute (WRITES_PER_MINUTE), small enough to reach. */
const PER_MINUTE = 4;

/** The topics reported: bob's four, and alice's (the Owner's) rules. */
async function writeTopics(pds: PdsForum, who: Record<Name, Account>) {
  const repo = pds.forum.agent.com.atproto.repo;
  const forumRecord = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
  const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
  const topic = (author: Account, title: string) =>
    pds.put(author, ids.post, {
      forum: { $type: "space.atbb.post#forumRef", forum: { uri: forumRecord.uri, cid: forumRecord.cid } },
      board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
      title,
      text: `${title}, the text`,
      createdAt: new Date().toISOString(),
    });
  const written = {} as Record<Topic, { uri: string; cid: string }>;
  for (const key of ["spam", "rude", "fine", "fourth"] as const) written[key] = await topic(who.bob, `Bob's ${key}`);
  written.rules = await topic(who.alice, "The rules");
  return written;
}

/** A role that may hide posts but not ban, given to hal by the forum's own grant. */
async function grantHider(pds: PdsForum, hal: Account) {
  const role = await pds.put(pds.forum, ids.role, {
    name: "Hider",
    permissions: [PERMISSION.moderatePosts],
    priority: 25,
    createdAt: new Date().toISOString(),
  });
  await pds.put(
    pds.forum,
    ids.roleAssignment,
    {
      did: hal.did,
      role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: role.ref },
      createdAt: new Date().toISOString(),
    },
    hal.did,
  );
}

describe(`reports of posts (${dialect})`, () => {
  let forum: ServedForum<Name>;
  /** alice owns the forum, mia moderates, hal may hide posts only; carol, dan and eve report bob's posts. */
  let people: Record<Name, Member>;
  const topic = {} as Record<Topic, { id: string; uri: string; cid: string }>;

  const call = (method: string, path: string, who: Member | null, body?: Body, origin?: string) =>
    forum.send(method, `/api${path}`, who, { ...(body !== undefined ? { body } : {}), ...(origin ? { origin } : {}) });
  const json = async (response: Response) => [response.status, (await response.json()) as any] as const;
  const report = (who: Member | null, id: string, body: Body) => call("POST", `/posts/${id}/reports`, who, body);
  const resolve = (who: Member | null, id: string, body: Body) => call("POST", `/reports/${id}/resolution`, who, body);
  /** What a report or its resolution could change: reports and moderation here, and the forum's repository. */
  async function everywhere() {
    const { modActions, posts, roleGrants, users } = await databaseSnapshot(forum.handle);
    const { reports } = forum.handle.schema;
    return {
      reports: await forum.handle.db.select().from(reports).orderBy(asc(reports.id)),
      modActions,
      posts,
      roleGrants,
      bans: users.map((u) => [u.did, u.banExpiresAt]),
      repository: (await forum.forumRecords(ids.modAction)).map((r) => [r.uri, r.cid]),
    };
  }
  async function refusesAll(cases: [what: string, response: () => Promise<Response>, status: number, code: string][]) {
    await forum.echoed();
    const before = await everywhere();
    const answers = [];
    for (const [what, response, status, code] of cases) {
      const answer = await response();
      answers.push([what, answer.status, ((await answer.json()) as { error: string }).error]);
      expect(answers.at(-1)).toEqual([what, status, code]);
    }
    expect(answers).toHaveLength(cases.length);
    expect(await everywhere()).toEqual(before);
  }
  const queue = async () => (await forum.read("/api/reports", people.mia)).reports as any[];

  beforeAll(async () => {
    forum = await ServedForum.start<Name>({
      owner: "alice",
      roles: { mia: "Moderator", hal: null, carol: "Member", dan: "Member", bob: "Member", eve: "Member" },
      forumName: "Reported Forum",
      prepare: async (pds, who) => {
        await grantHider(pds, who.hal);
        return writeTopics(pds, who);
      },
      serveEnv: { WRITES_PER_MINUTE: String(PER_MINUTE) },
    });
    people = forum.people;
    const written = forum.prepared as Awaited<ReturnType<typeof writeTopics>>;
    const boardId = (await forum.read("/api/categories")).categories[0].boards[0].id;
    const listed = await waitFor("the topics indexed", async () => {
      const { topics } = await forum.read(`/api/boards/${boardId}/topics`);
      return topics?.length === 5 ? topics : null;
    });
    for (const [key, { uri, cid }] of Object.entries(written))
      topic[key as Topic] = { id: listed.find((t: any) => t.uri === uri).id, uri, cid };
    await waitFor(
      "hal's grant indexed",
      async () => (await forum.read(`/api/members/${people.hal.did}/permissions`)).role?.name === "Hider",
    );
    await forum.logIn("alice", "mia", "hal", "carol", "dan", "bob", "eve");
  }, 240_000);

  afterAll(async () => {
    await forum?.close();
  });

  it("files a member's report here only, once per post while it is open, and refuses bad reports writing nothing", async () => {
    const { carol } = people;
    const before = await everywhere();
    const [filed, answer] = await json(await report(carol, topic.spam.id, { reason: "spam", text: "Buy now links" }));
    expect([filed, answer]).toEqual([201, { id: expect.any(String), status: "open" }]);
    const after = await everywhere();
    // Kept in this AppView only: no record anywhere, one row here.
    expect({ ...after, reports: [] }).toEqual({ ...before, reports: [] });
    expect(after.reports).toHaveLength(before.reports.length + 1);
    expect((await forum.read("/api/reports/mine", carol)).reports).toEqual([
      expect.objectContaining({
        id: answer.id,
        reporterDid: carol.did,
        reason: "spam",
        text: "Buy now links",
        status: "open",
        post: expect.objectContaining({ id: topic.spam.id, uri: topic.spam.uri, cid: topic.spam.cid }),
      }),
    ]);

    const spam = topic.spam.id;
    await refusesAll([
      ["the same post again", () => report(carol, spam, { reason: "spam" }), 409, "already_reported"],
      ["without a session", () => report(null, spam, { reason: "spam" }), 401, "unauthenticated"],
      [
        "from another site",
        () => call("POST", `/posts/${spam}/reports`, carol, { reason: "spam" }, "https://elsewhere.example"),
        403,
        "cross_origin",
      ],
      ["a reason not on the list", () => report(carol, topic.rude.id, { reason: "ugly" }), 400, "invalid_request"],
      [
        "other without a word",
        () => report(carol, topic.rude.id, { reason: "other", text: " " }),
        400,
        "invalid_request",
      ],
      [
        "a text too long",
        () => report(carol, topic.rude.id, { reason: "spam", text: "x".repeat(1001) }),
        400,
        "invalid_request",
      ],
      ["an unknown field", () => report(carol, topic.rude.id, { reason: "spam", post: 1 }), 400, "invalid_request"],
      ["a body that is not JSON", () => report(carol, topic.rude.id, "{"), 400, "invalid_request"],
      ["an id that is not one", () => report(carol, "abc", { reason: "spam" }), 400, "invalid_request"],
      ["no such post", () => report(carol, "999999", { reason: "spam" }), 404, "not_found"],
    ]);
  }, 120_000);

  it("shows the queue, open first with each post and its author, to moderators only; a reporter sees only their own", async () => {
    const { carol, dan, bob } = people;
    expect((await report(dan, topic.spam.id, { reason: "other", text: "Looks like an ad" })).status).toBe(201);
    expect((await report(dan, topic.rude.id, { reason: "harassment", text: "Insults" })).status).toBe(201);
    const open = await queue();
    expect(open.map((r) => [r.reporterDid, r.post.id, r.status])).toEqual([
      [carol.did, topic.spam.id, "open"],
      [dan.did, topic.spam.id, "open"],
      [dan.did, topic.rude.id, "open"],
    ]);
    expect(open[2].post).toMatchObject({
      uri: topic.rude.uri,
      author: { did: bob.did },
      title: "Bob's rude",
      text: "Bob's rude, the text",
      hidden: null,
    });
    expect((await forum.read("/api/reports/mine", carol)).reports.map((r: any) => r.reporterDid)).toEqual([carol.did]);
    expect((await forum.read("/api/reports/mine", dan)).total).toBe(2);
    expect((await forum.read("/api/reports/mine", bob)).reports).toEqual([]);
    const page = await forum.read("/api/reports?limit=1&offset=1", people.mia);
    expect([page.total, page.reports.map((r: any) => r.id)]).toEqual([3, [open[1].id]]);

    const status = async (path: string, who: Member | null) => {
      const answer = await fetch(`${forum.base}/api${path}`, who ? { headers: { cookie: who.cookie } } : {});
      return [answer.status, ((await answer.json()) as { error: string }).error];
    };
    expect(await status("/reports", carol)).toEqual([403, "no_permission"]);
    expect(await status("/reports", null)).toEqual([401, "unauthenticated"]);
    expect(await status("/reports/mine", null)).toEqual([401, "unauthenticated"]);
    expect(await status("/reports?limit=0", people.mia)).toEqual([400, "invalid_request"]);
  }, 60_000);

  it("resolves a report by hiding the post: written by the forum account naming the moderator, shown at once and once after the echo", async () => {
    const { mia, carol, dan } = people;
    const [carols, dans] = (await queue()).filter((r) => r.post.id === topic.spam.id);
    const [status, resolved] = await json(await resolve(mia, carols.id, { action: "hide", reason: "Advertising" }));
    expect(status).toBe(200);
    expect(resolved).toMatchObject({
      id: carols.id,
      status: "hidden",
      resolvedBy: mia.did,
      resolvedAt: expect.any(String),
    });
    expect(resolved.modActionUri).toMatch(new RegExp(`^at://${forum.pds.forum.did}/space\\.atbb\\.modAction/`));
    expect(await forum.forumRecord(ids.modAction, resolved.modActionUri.split("/").pop())).toMatchObject({
      action: "space.atbb.modAction.delete",
      subject: { post: { uri: topic.spam.uri, cid: topic.spam.cid } },
      reason: "Advertising",
      createdBy: mia.did,
    });
    expect((await forum.read(`/api/topics/${topic.spam.id}`)).topic).toMatchObject({ hidden: "removed_by_moderator" });
    const log = await forum.read("/api/mod-actions");
    expect(log.modActions.filter((a: any) => a.uri === resolved.modActionUri)).toEqual([
      expect.objectContaining({ action: "delete", createdBy: mia.did, reason: "Advertising" }),
    ]);
    expect((await forum.read("/api/reports/mine", carol)).reports[0]).toMatchObject({ status: "hidden" });
    await forum.echoed();
    expect(await forum.read("/api/mod-actions")).toEqual(log);

    // The post is hidden already: the other report of it is resolved with nothing written.
    const before = await everywhere();
    const [again, second] = await json(await resolve(mia, dans.id, { action: "hide" }));
    expect([again, second.status, second.modActionUri]).toEqual([200, "hidden", null]);
    expect((await everywhere()).repository).toEqual(before.repository);
    expect((await everywhere()).modActions).toEqual(before.modActions);
    expect((await forum.read("/api/reports/mine", dan)).reports.find((r: any) => r.id === dans.id).status).toBe(
      "hidden",
    );
    // Open reports come first: the resolved ones are now last.
    expect((await queue()).map((r) => r.status)).toEqual(["open", "hidden", "hidden"]);
  }, 120_000);

  it("refuses a resolution not allowed, already made, or badly asked for, writing nothing", async () => {
    const { alice, mia, hal, carol, dan } = people;
    expect((await report(carol, topic.rules.id, { reason: "off_topic" })).status).toBe(201);
    const rules = (await queue()).find((r) => r.post.id === topic.rules.id).id;
    const rude = (await queue()).find((r) => r.post.id === topic.rude.id).id;
    const hidden = (await queue()).find((r) => r.status === "hidden").id;
    await refusesAll([
      ["without a session", () => resolve(null, rude, { action: "dismiss" }), 401, "unauthenticated"],
      ["by a member", () => resolve(dan, rude, { action: "dismiss" }), 403, "no_permission"],
      ["banning with a role that may only hide", () => resolve(hal, rude, { action: "ban" }), 403, "no_permission"],
      ["hiding the Owner's post", () => resolve(mia, rules, { action: "hide" }), 403, "outranked"],
      ["banning the Owner", () => resolve(mia, rules, { action: "ban" }), 403, "outranked"],
      ["an action not on the list", () => resolve(mia, rude, { action: "delete" }), 400, "invalid_request"],
      [
        "a reason too long",
        () => resolve(mia, rude, { action: "hide", reason: "x".repeat(3001) }),
        400,
        "invalid_request",
      ],
      ["an id that is not one", () => resolve(mia, "abc", { action: "dismiss" }), 400, "invalid_request"],
      ["no such report", () => resolve(mia, "999999", { action: "dismiss" }), 404, "not_found"],
      ["resolved already", () => resolve(mia, hidden, { action: "ban" }), 409, "already_resolved"],
    ]);
    // The Owner may act on their own forum's rules topic report by dismissing it.
    expect(await json(await resolve(alice, rules, { action: "dismiss" }))).toEqual([
      200,
      expect.objectContaining({ status: "dismissed", resolvedBy: alice.did, modActionUri: null }),
    ]);
  }, 120_000);

  it("resolves a report by banning the author, the ban written by the forum account naming the moderator", async () => {
    const { mia, bob } = people;
    const rude = (await queue()).find((r) => r.post.id === topic.rude.id);
    const [status, resolved] = await json(await resolve(mia, rude.id, { action: "ban", reason: "Insults" }));
    expect([status, resolved.status, resolved.resolvedBy]).toEqual([200, "banned", mia.did]);
    expect(await forum.forumRecord(ids.modAction, resolved.modActionUri.split("/").pop())).toMatchObject({
      action: "space.atbb.modAction.ban",
      subject: { did: bob.did },
      reason: "Insults",
      createdBy: mia.did,
    });
    expect((await forum.read(`/api/topics/${topic.fine.id}`)).topic).toMatchObject({ hidden: "author_banned" });
    expect((await forum.read("/api/auth/session", bob)).banned).toEqual({ expiresAt: null });
    await forum.echoed();
    expect(
      (await forum.read("/api/mod-actions")).modActions.filter((a: any) => a.uri === resolved.modActionUri),
    ).toHaveLength(1);
  }, 120_000);

  it("limits how fast a member files reports, as posting is limited, writing nothing when refused", async () => {
    const { eve } = people;
    // Reports filed within moments of each other: all but the last fit in the minute's allowance.
    const topics = Object.values(topic);
    expect(topics).toHaveLength(PER_MINUTE + 1);
    for (const { id } of topics.slice(0, PER_MINUTE))
      expect((await report(eve, id, { reason: "spam" })).status).toBe(201);
    await forum.echoed();
    const before = await everywhere();
    const refused = await report(eve, topics[PER_MINUTE]!.id, { reason: "spam" });
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([429, "rate_limited"]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await everywhere()).toEqual(before);
  }, 60_000);
});
