// Two `atbb serve` processes on one PostgreSQL, as replicas behind one
// address: a member logged in through one is logged in through the other, and
// when their access token has expired, requests to both at once refresh it
// once (a refresh token is good for one use: two refreshes would log them out).
import { createDb, type DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { sealerFor } from "../../src/login/secrets.ts";
import { launchChromium, logInThroughBrowser } from "../support/browser.ts";
import { freePort, startServe, type Served } from "../support/cli.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

const STORED = "OAuth session stored";

describe.runIf(dialect === "postgresql")("two atbb serve on one PostgreSQL", () => {
  let pds: PdsForum;
  let alice: Account;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let browser: Browser;
  let state: string;
  let boardId: number;
  let cookie: string;
  const replicas: Served[] = [];
  const url = (served: Served) => `http://127.0.0.1:${served.port}`;

  beforeAll(async () => {
    [pds, browser] = await Promise.all([PdsForum.start(), launchChromium()]);
    alice = await pds.account("alice");
    const now = () => new Date().toISOString();
    const forum = await pds.put(pds.forum, ids.forum, { name: "Replicated", createdAt: now() });
    const category = await pds.put(pds.forum, ids.category, { name: "General", createdAt: now() });
    await pds.put(pds.forum, ids.board, {
      name: "Chat",
      category: { $type: "space.atbb.forum.board#categoryRef", category: category.ref },
      createdAt: now(),
    });
    const member = await pds.put(pds.forum, ids.role, {
      name: "Member",
      permissions: ["space.atbb.permission.createTopics"],
      priority: 100,
      createdAt: now(),
    });
    await pds.put(
      pds.forum,
      ids.roleAssignment,
      {
        did: alice.did,
        role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: member.ref },
        createdAt: now(),
      },
      alice.did,
    );
    await pds.put(alice, ids.membership, {
      forum: { $type: "space.atbb.membership#forumRef", forum: forum.ref },
      role: { $type: "space.atbb.membership#roleRef", role: member.ref },
      joinedAt: now(),
      createdAt: now(),
    });

    database = await createTestDatabase();
    state = mkdtempSync(join(tmpdir(), "atbb-replicas-"));
    const front = await freePort();
    const env = (port: number) => ({
      DATABASE_URL: database.url,
      STATE_DIRECTORY: state,
      PORT: String(port),
      // Replicas behind one address: one client_id, one origin.
      PUBLIC_URL: `http://127.0.0.1:${front}`,
      FORUM_DID: pds.forum.did,
      SOURCE: "firehose",
      FIREHOSE_URL: pds.firehoseUrl,
      PLC_URL: pds.plcUrl,
      HANDLE_RESOLVER_URL: pds.pdsUrl,
      ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "info",
    });
    replicas.push(await startServe(env(front), ["--migrate"]));
    replicas.push(await startServe(env(await freePort())));
    handle = await createDb(database.url, { create: false });
    const read = async (path: string) => (await (await fetch(`${url(replicas[1]!)}${path}`)).json()) as any;
    boardId = Number(
      (await waitFor("the board", async () => (await read("/api/categories")).categories?.[0]?.boards?.[0])).id,
    );
    await waitFor(
      "alice's role",
      async () => (await read(`/api/members/${alice.did}/permissions`)).permissions?.length === 1,
    );

    const context = await browser.newContext();
    await logInThroughBrowser(await context.newPage(), url(replicas[0]!), alice.handle, "alice-password");
    cookie = (await context.cookies(url(replicas[0]!))).find((c) => c.name === SESSION_COOKIE)!.value;
    await context.close();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const served of replicas) served.child.kill("SIGTERM");
    await Promise.all(replicas.map((s) => s.exited));
    await handle?.close();
    await database?.drop();
    await pds?.close();
  });

  it("share a member's session, and refresh an expired token once under requests to both at once", async () => {
    const [a, b] = replicas as [Served, Served];
    const session = (served: Served) =>
      fetch(`${url(served)}/api/auth/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect((await session(a)).status).toBe(200);
    expect((await session(b)).status).toBe(200);

    // The access token expires: the stored session says so.
    const { oauthSessions } = handle.schema;
    const sealer = sealerFor(readFileSync(join(state, "session-secret"), "utf8").trim());
    const [row] = await handle.db.select().from(oauthSessions).where(eq(oauthSessions.did, alice.did));
    const stored = JSON.parse(sealer.open(row!.value)) as { tokenSet: { expires_at?: string; refresh_token?: string } };
    const refreshToken = stored.tokenSet.refresh_token;
    stored.tokenSet.expires_at = new Date(Date.now() - 60_000).toISOString();
    await handle.db
      .update(oauthSessions)
      .set({ value: sealer.seal(JSON.stringify(stored)) })
      .where(eq(oauthSessions.did, alice.did));

    const storedBefore = a.output().split(STORED).length + b.output().split(STORED).length;
    const writes = await Promise.all(
      [a, b, a, b, a, b].map((served, i) =>
        fetch(`${url(served)}/api/topics`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: `http://127.0.0.1:${a.port}`,
            cookie: `${SESSION_COOKIE}=${cookie}`,
          },
          body: JSON.stringify({ boardId, title: `Topic ${i}`, text: "Written while the token was refreshed" }),
        }),
      ),
    );
    expect(writes.map((w) => w.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const storedAfter = a.output().split(STORED).length + b.output().split(STORED).length;
    expect(storedAfter - storedBefore).toBe(1);

    const [after] = await handle.db.select().from(oauthSessions).where(eq(oauthSessions.did, alice.did));
    const refreshed = JSON.parse(sealer.open(after!.value)) as {
      tokenSet: { expires_at: string; refresh_token: string };
    };
    expect(refreshed.tokenSet.refresh_token).not.toBe(refreshToken);
    expect(new Date(refreshed.tokenSet.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect((await session(b)).status).toBe(200);
    expect(
      (await alice.agent.com.atproto.repo.listRecords({ repo: alice.did, collection: ids.post })).data.records,
    ).toHaveLength(6);
  }, 60_000);
});
