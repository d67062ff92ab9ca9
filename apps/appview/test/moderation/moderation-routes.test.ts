// Moderators act through the forum: against the real PDS of @atproto/dev-env,
// `atbb serve` logged in as the forum account writes each action as a
// space.atbb.modAction naming the moderator, shows it at once (and still once
// after the firehose echo), and in every refusal writes nothing, neither in
// the forum's repository nor in the database. The forum is set up as an
// operator would: `atbb init`, then `atbb role grant`.
import { ids } from "@atbb/lexicon";
import { dialect } from "@atbb/testing";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { launchChromium, logInThroughBrowser } from "../support/browser.ts";
import { startServe } from "../support/cli.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import type { Account, PdsForum, Ref } from "../support/pds-forum.ts";
import { ServedForum, type Body, type Member } from "../support/served-forum.ts";
import { waitFor } from "../support/wait-for.ts";

type Name = "alice" | "mia" | "max" | "carol" | "bob";
type Post = "bobsTopic" | "bobsReply" | "alicesTopic" | "maxsTopic";

/** The posts moderators act on, written to their authors' repositories as any client would. */
async function writePosts(pds: PdsForum, people: Record<Name, Account>) {
  const repo = pds.forum.agent.com.atproto.repo;
  const forum = (await repo.getRecord({ repo: pds.forum.did, collection: ids.forum, rkey: "self" })).data;
  const board = (await repo.listRecords({ repo: pds.forum.did, collection: ids.board })).data.records[0]!;
  const inForum = {
    forum: { $type: "space.atbb.post#forumRef", forum: { uri: forum.uri, cid: forum.cid } },
    createdAt: new Date().toISOString(),
  };
  const topic = (who: Account, title: string) =>
    pds.put(who, ids.post, {
      ...inForum,
      title,
      text: `${title}, the text`,
      board: { $type: "space.atbb.post#boardRef", board: { uri: board.uri, cid: board.cid } },
    });
  const reply = (who: Account, to: Ref, text: string) =>
    pds.put(who, ids.post, { ...inForum, text, reply: { $type: "space.atbb.post#replyRef", root: to, parent: to } });
  const bobsTopic = await topic(people.bob, "Bob asks");
  const bobsReply = await reply(people.bob, bobsTopic.ref, "Bob again");
  const alicesTopic = await topic(people.alice, "The rules");
  const maxsTopic = await topic(people.max, "Max's notes");
  return { bobsTopic, bobsReply, alicesTopic, maxsTopic };
}

describe(`moderators acting through the forum (${dialect})`, () => {
  let forum: ServedForum<Name>;
  /** alice owns the forum, mia and max moderate, carol and bob are members; bob posts (a real OAuth login). */
  let people: Record<Name, Member>;
  const post = {} as Record<Post, { id: string; uri: string }>;

  const act = (who: Member | null, path: string, body?: Body, origin?: string) =>
    forum.send("POST", `/api/moderation${path}`, who, {
      ...(body !== undefined ? { body } : {}),
      ...(origin ? { origin } : {}),
    });
  const read = (path: string, who?: Member) => forum.read(path, who);
  const replyAs = (who: Member, topicId: string, text: string) =>
    forum.send("POST", `/api/topics/${topicId}/replies`, who, { body: { text } });
  const postsOf = async (who: Account) =>
    (await who.agent.com.atproto.repo.listRecords({ repo: who.did, collection: ids.post })).data.records.map(
      (r) => r.uri,
    );
  const forumActions = () => forum.forumRecords(ids.modAction);
  const forumRecord = (uri: string) => forum.forumRecord(ids.modAction, uri.split("/").pop()!);
  /** What an action could change: moderation and posts here (and who is banned until when), and the forum's repository. */
  async function everywhere() {
    const { modActions, posts, roleGrants, users } = await databaseSnapshot(forum.handle);
    return {
      modActions,
      posts,
      roleGrants,
      bans: users.map((u) => [u.did, u.banExpiresAt]),
      repository: (await forumActions()).map((r) => [r.uri, r.cid]),
    };
  }
  const echoed = () => forum.echoed();
  const topicOf = async (id: string) => (await read(`/api/topics/${id}`)).topic;
  const replyOf = async (topicId: string, id: string) =>
    (await read(`/api/topics/${topicId}`)).replies.find((r: any) => r.id === id);

  /**
   * One action taken: written by the forum account naming the moderator, in
   * the log at once; the same request again answers alreadyActive and
   * changes nothing anywhere.
   */
  async function actOnce(who: Member, path: string, body: Body | undefined, expected: Record<string, unknown>) {
    const response = await act(who, path, body);
    expect([path, response.status]).toEqual([path, 201]);
    const { alreadyActive, modAction } = (await response.json()) as any;
    expect(alreadyActive).toBe(false);
    expect(modAction).toMatchObject({ ...expected, createdBy: who.did });
    expect(modAction.uri).toMatch(new RegExp(`^at://${forum.pds.forum.did}/space\\.atbb\\.modAction/`));
    expect(await forumRecord(modAction.uri)).toMatchObject({
      action: `space.atbb.modAction.${expected.action}`,
      createdBy: who.did,
    });
    const atOnce = await read("/api/mod-actions");
    expect(atOnce.modActions[0]).toEqual(modAction);
    // The firehose echo changes nothing a reader sees: the action is there once, as it was.
    await echoed();
    expect(await read("/api/mod-actions")).toEqual(atOnce);

    const before = await everywhere();
    const again = await act(who, path, body);
    expect([path, again.status, await again.json()]).toEqual([path, 200, { alreadyActive: true, modAction: null }]);
    expect(await everywhere()).toEqual(before);
    return modAction;
  }

  beforeAll(async () => {
    const browser = await launchChromium();
    try {
      forum = await ServedForum.start<Name>({
        owner: "alice",
        roles: { mia: "Moderator", max: "Moderator", carol: "Member", bob: "Member" },
        forumName: "Moderated Forum",
        prepare: writePosts,
      });
      people = forum.people;
      const written = forum.prepared as Awaited<ReturnType<typeof writePosts>>;
      const boardId = (await read("/api/categories")).categories[0].boards[0].id;
      const topics = await waitFor("the topics indexed", async () => {
        const listed = (await read(`/api/boards/${boardId}/topics`)).topics;
        return listed?.length === 3 ? listed : null;
      });
      const idOf = (uri: string) => topics.find((t: any) => t.uri === uri).id as string;
      for (const key of ["bobsTopic", "alicesTopic", "maxsTopic"] as const)
        post[key] = { id: idOf(written[key].uri), uri: written[key].uri };
      const bobs = await waitFor(
        "bob's reply indexed",
        async () => (await read(`/api/topics/${post.bobsTopic.id}`)).replies?.[0],
      );
      post.bobsReply = { id: bobs.id, uri: written.bobsReply.uri };

      // Bob writes through the forum, so his login is the real one; the others only act as moderators.
      const context = await browser.newContext();
      await logInThroughBrowser(await context.newPage(), forum.base, people.bob.handle, "bob-password");
      const cookie = (await context.cookies(forum.base)).find((c) => c.name === SESSION_COOKIE)!;
      people.bob.cookie = `${SESSION_COOKIE}=${cookie.value}`;
      await forum.logIn("alice", "mia", "max", "carol");
    } finally {
      await browser.close();
    }
  }, 240_000);

  afterAll(async () => {
    await forum?.close();
  });

  it("hides and shows a post, locks and unlocks, pins and unpins a topic: each written once by the forum account naming the moderator, and shown at once", async () => {
    const { mia, bob } = people;
    const { bobsTopic, bobsReply } = post;

    await actOnce(
      mia,
      `/posts/${bobsReply.id}/hide`,
      { reason: "Off topic" },
      {
        action: "delete",
        subject: { postUri: bobsReply.uri },
        reason: "Off topic",
      },
    );
    // Hidden from reads, with the reason it is hidden.
    expect(await replyOf(bobsTopic.id, bobsReply.id)).toMatchObject({ hidden: "removed_by_moderator", text: null });
    expect((await topicOf(bobsTopic.id)).replyCount).toBe(0);
    await actOnce(mia, `/posts/${bobsReply.id}/unhide`, undefined, {
      action: "undelete",
      subject: { postUri: bobsReply.uri },
      reason: null,
    });
    expect(await replyOf(bobsTopic.id, bobsReply.id)).toMatchObject({ hidden: null, text: "Bob again" });

    // A locked topic refuses replies through the posting route, and takes them again once unlocked.
    await actOnce(
      mia,
      `/topics/${bobsTopic.id}/lock`,
      { reason: "Cooling off" },
      {
        action: "lock",
        subject: { postUri: bobsTopic.uri },
      },
    );
    expect((await topicOf(bobsTopic.id)).locked).toBe(true);
    const bobsPosts = await postsOf(bob);
    const lockedOut = await replyAs(bob, bobsTopic.id, "Let me in");
    expect([lockedOut.status, ((await lockedOut.json()) as any).error]).toEqual([403, "locked"]);
    expect(await postsOf(bob)).toEqual(bobsPosts);
    await actOnce(mia, `/topics/${bobsTopic.id}/unlock`, {}, { action: "unlock", subject: { postUri: bobsTopic.uri } });
    expect((await topicOf(bobsTopic.id)).locked).toBe(false);
    expect((await replyAs(bob, bobsTopic.id, "Back in")).status).toBe(201);

    // Pins are kept in the moderation log.
    await actOnce(mia, `/topics/${bobsTopic.id}/pin`, undefined, {
      action: "pin",
      subject: { postUri: bobsTopic.uri },
    });
    await actOnce(mia, `/topics/${bobsTopic.id}/unpin`, undefined, {
      action: "unpin",
      subject: { postUri: bobsTopic.uri },
    });
    expect((await read("/api/mod-actions")).modActions.map((a: any) => [a.action, a.createdBy])).toEqual(
      ["unpin", "pin", "unlock", "lock", "undelete", "delete"].map((action) => [action, mia.did]),
    );
  }, 120_000);

  it("bans a member until unbanned, or until the ban's end passes with no new record", async () => {
    const { mia, bob } = people;
    const { bobsTopic } = post;
    // A few seconds ahead: long enough to see the ban at work, then it is waited out.
    const expiresAt = new Date(Date.now() + 10_000).toISOString();
    await actOnce(
      mia,
      `/members/${bob.did}/ban`,
      { reason: "Cool down", expiresAt },
      {
        action: "ban",
        subject: { did: bob.did },
        reason: "Cool down",
        expiresAt,
        expired: false,
      },
    );
    expect((await topicOf(bobsTopic.id)).hidden).toBe("author_banned");
    expect(await read("/api/auth/session", bob)).toMatchObject({
      banned: { expiresAt },
      capabilities: { canCreateTopics: false, canReply: false },
    });
    const banned = await replyAs(bob, bobsTopic.id, "Am I banned?");
    expect([banned.status, ((await banned.json()) as any).error]).toEqual([403, "banned"]);

    const written = await forumActions();
    await waitFor("the ban's end to pass", async () => Date.now() > Date.parse(expiresAt) + 200, 60_000);
    expect((await topicOf(bobsTopic.id)).hidden).toBe(null);
    expect((await read("/api/mod-actions")).modActions[0]).toMatchObject({ action: "ban", expired: true });
    expect(await read("/api/auth/session", bob)).toMatchObject({
      banned: null,
      capabilities: { canCreateTopics: true, canReply: true },
    });
    expect((await replyAs(bob, bobsTopic.id, "Free again")).status).toBe(201);
    // The ban ended by itself: the forum account wrote nothing, and there is no ban left to lift.
    expect(await forumActions()).toEqual(written);
    await echoed();
    const before = await everywhere();
    const nothingToLift = await act(mia, `/members/${bob.did}/unban`);
    expect([nothingToLift.status, await nothingToLift.json()]).toEqual([200, { alreadyActive: true, modAction: null }]);
    expect(await everywhere()).toEqual(before);

    // A ban without an end lasts until an unban.
    await actOnce(mia, `/members/${bob.did}/ban`, { reason: "For good" }, { action: "ban", expiresAt: null });
    expect((await topicOf(bobsTopic.id)).hidden).toBe("author_banned");
    await actOnce(
      mia,
      `/members/${bob.did}/unban`,
      { reason: "Appeal heard" },
      {
        action: "unban",
        subject: { did: bob.did },
        reason: "Appeal heard",
      },
    );
    expect((await topicOf(bobsTopic.id)).hidden).toBe(null);
    expect(await read("/api/auth/session", bob)).toMatchObject({ banned: null, capabilities: { canReply: true } });
  }, 120_000);

  it("tells each member what they may do, from their role's permissions", async () => {
    const { alice, mia, carol } = people;
    const all = {
      canCreateTopics: true,
      canReply: true,
      canModerate: true,
      canHidePosts: true,
      canBan: true,
      canLock: true,
      canPin: true,
      canManageCategories: true,
      canManageRoles: true,
      canManageMembers: true,
      canManageForum: true,
    };
    expect((await read("/api/auth/session", alice)).capabilities).toEqual(all);
    const manageNothing = {
      canManageCategories: false,
      canManageRoles: false,
      canManageMembers: false,
      canManageForum: false,
    };
    expect((await read("/api/auth/session", mia)).capabilities).toEqual({ ...all, ...manageNothing });
    expect((await read("/api/auth/session", carol)).capabilities).toEqual({
      ...all,
      ...manageNothing,
      canModerate: false,
      canHidePosts: false,
      canBan: false,
      canLock: false,
      canPin: false,
    });
  });

  it("refuses, writing nothing anywhere: no session, another site, no permission, an equal or higher role, bad input, an unknown target", async () => {
    const { alice, mia, max, carol, bob } = people;
    const { bobsTopic, bobsReply, alicesTopic, maxsTopic } = post;
    const everyRoute = [
      `/members/${bob.did}/ban`,
      `/members/${bob.did}/unban`,
      `/topics/${bobsTopic.id}/lock`,
      `/topics/${bobsTopic.id}/unlock`,
      `/topics/${bobsTopic.id}/pin`,
      `/topics/${bobsTopic.id}/unpin`,
      `/posts/${bobsReply.id}/hide`,
      `/posts/${bobsReply.id}/unhide`,
    ];
    await echoed();
    const before = await everywhere();
    const refusals: [string, Response, number, string][] = [];
    const refuse = async (what: string, response: Promise<Response>, status: number, code: string) =>
      refusals.push([what, await response, status, code]);
    for (const path of everyRoute) {
      await refuse(`${path} without a session`, act(null, path), 401, "unauthenticated");
      await refuse(`${path} by a member`, act(carol, path), 403, "no_permission");
    }
    await refuse("from another site", act(mia, everyRoute[6]!, {}, "https://elsewhere.example"), 403, "cross_origin");
    await refuse("banning the Owner", act(mia, `/members/${alice.did}/ban`), 403, "outranked");
    await refuse("banning another moderator", act(mia, `/members/${max.did}/ban`), 403, "outranked");
    await refuse("banning oneself", act(mia, `/members/${mia.did}/ban`), 403, "outranked");
    await refuse("hiding the Owner's topic", act(mia, `/posts/${alicesTopic.id}/hide`), 403, "outranked");
    await refuse("locking another moderator's topic", act(mia, `/topics/${maxsTopic.id}/lock`), 403, "outranked");
    await refuse("a DID that is not one", act(mia, "/members/not-a-did/ban"), 400, "invalid_request");
    await refuse("an id that is not one", act(mia, "/posts/abc/hide"), 400, "invalid_request");
    const ban = `/members/${bob.did}/ban`;
    await refuse("a reason too long", act(mia, ban, { reason: "x".repeat(3001) }), 400, "invalid_request");
    await refuse("an end in the past", act(mia, ban, { expiresAt: "2020-01-01T00:00:00Z" }), 400, "invalid_request");
    await refuse("an end that is no date", act(mia, ban, { expiresAt: "tomorrow" }), 400, "invalid_request");
    await refuse(
      "an end for a lock",
      act(mia, `/topics/${bobsTopic.id}/lock`, { expiresAt: "2099-01-01T00:00:00Z" }),
      400,
      "invalid_request",
    );
    await refuse("an unknown field", act(mia, ban, { reason: "x", until: "never" }), 400, "invalid_request");
    await refuse("a body that is not JSON", act(mia, ban, "{"), 400, "invalid_request");
    await refuse("an unknown post", act(mia, "/posts/999999/hide"), 404, "not_found");
    await refuse("a reply is not a topic", act(mia, `/topics/${bobsReply.id}/lock`), 404, "not_found");
    await refuse("an unknown member", act(mia, "/members/did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/ban"), 404, "not_found");
    for (const [what, response, status, code] of refusals)
      expect([what, response.status, ((await response.json()) as { error: string }).error]).toEqual([
        what,
        status,
        code,
      ]);
    expect(await everywhere()).toEqual(before);
  }, 120_000);

  it("shows each action exactly once after the firehose echoes it", async () => {
    const log = await read("/api/mod-actions");
    const thread = await read(`/api/topics/${post.bobsTopic.id}`);
    await echoed();
    expect(await read("/api/mod-actions")).toEqual(log);
    expect(await read(`/api/topics/${post.bobsTopic.id}`)).toEqual(thread);
    const inRepository = (await forumActions()).map((r) => r.uri).sort();
    expect(log.total).toBe(inRepository.length);
    expect(log.modActions.map((a: any) => a.uri).sort()).toEqual(inRepository);
  }, 60_000);

  it("answers 503 and writes nothing when the forum account cannot write: not configured, not logged in, its PDS unreachable", async () => {
    const { mia } = people;
    const hide = `/posts/${post.bobsTopic.id}/hide`;
    const refusedBy = async (serveEnv: Record<string, string>) => {
      const other = await startServe(
        { ...serveEnv, STATE_DIRECTORY: mkdtempSync(join(tmpdir(), "atbb-moderation-state-")) },
        ["--no-indexer"],
      );
      try {
        const origin = `http://127.0.0.1:${other.port}`;
        const response = await fetch(`${origin}/api/moderation${hide}`, {
          method: "POST",
          headers: { origin, cookie: mia.cookie },
        });
        return [response.status, ((await response.json()) as { error: string }).error];
      } finally {
        other.child.kill("SIGTERM");
        await other.exited;
      }
    };
    const before = await everywhere();
    const { FORUM_HANDLE: _handle, FORUM_APP_PASSWORD_FILE: _file, ...withoutAccount } = forum.env;
    expect(await refusedBy(withoutAccount)).toEqual([503, "forum_account_unavailable"]);
    expect(await refusedBy({ ...withoutAccount, FORUM_APP_PASSWORD: "not-the-password" })).toEqual([
      503,
      "forum_account_unavailable",
    ]);
    expect(await everywhere()).toEqual(before);

    const { repository: _gone, ...here } = before;
    await forum.pds.close();
    const unreachable = await act(mia, hide);
    expect([unreachable.status, ((await unreachable.json()) as { error: string }).error]).toEqual([
      503,
      "forum_account_unavailable",
    ]);
    const { modActions, posts, roleGrants, users } = await databaseSnapshot(forum.handle);
    expect({ modActions, posts, roleGrants, bans: users.map((u) => [u.did, u.banExpiresAt]) }).toEqual(here);
    forum.pds = null as never;
  }, 120_000);
});
