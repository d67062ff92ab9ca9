// Members log in with their own PDS, in a real browser (Debian's chromium),
// against the real PDS of @atproto/dev-env and its OAuth authorization
// server, through `atbb serve` as an operator runs it.
import { createDb, type DatabaseHandle } from "@atbb/db";
import { ids } from "@atbb/lexicon";
import { createTestDatabase, dialect, type TestDatabase } from "@atbb/testing";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import { SESSION_COOKIE } from "../../src/login/member-sessions.ts";
import { createMemberLogin, GRANULAR_SCOPE } from "../../src/login/oauth-client.ts";
import { launchChromium, logInThroughBrowser } from "../support/browser.ts";
import { freePort, startServe, type Served } from "../support/cli.ts";
import { PdsForum, type Account } from "../support/pds-forum.ts";
import { waitFor } from "../support/wait-for.ts";

describe(`members' login in a real browser (${dialect})`, () => {
  let pds: PdsForum;
  let alice: Account;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let browser: Browser;
  let state: string;
  let port: number;
  let served: Served;
  let forumUri: string;
  const contexts: BrowserContext[] = [];

  const env = () => ({
    DATABASE_URL: database.url,
    STATE_DIRECTORY: state,
    PORT: String(port),
    FORUM_DID: pds.forum.did,
    SOURCE: "firehose",
    FIREHOSE_URL: pds.firehoseUrl,
    PLC_URL: pds.plcUrl,
    HANDLE_RESOLVER_URL: pds.pdsUrl,
    ALLOW_LOOPBACK: "true",
    LOG_LEVEL: "warn",
  });
  const base = () => `http://127.0.0.1:${port}`;
  const api = (path: string, cookie?: string, init: RequestInit = {}) =>
    fetch(`${base()}${path}`, {
      ...init,
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const membershipsInRepo = async () =>
    (
      await alice.agent.com.atproto.repo.listRecords({ repo: alice.did, collection: ids.membership })
    ).data.records.filter((r) => (r.value as { forum?: { forum?: { uri?: string } } }).forum?.forum?.uri === forumUri);

  /** Logs alice in in a fresh browser profile; returns her session cookie. */
  async function logIn() {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await logInThroughBrowser(page, base(), alice.handle, "alice-password");
    const cookie = (await context.cookies(base())).find((c) => c.name === SESSION_COOKIE);
    if (!cookie) throw new Error("no session cookie after the login");
    return { page, cookie };
  }

  beforeAll(async () => {
    [pds, browser] = await Promise.all([PdsForum.start(), launchChromium()]);
    alice = await pds.account("alice");
    forumUri = (await pds.put(pds.forum, ids.forum, { name: "Login Forum", createdAt: new Date().toISOString() })).uri;
    database = await createTestDatabase();
    state = mkdtempSync(join(tmpdir(), "atbb-login-"));
    port = await freePort();
    served = await startServe(env(), ["--migrate"]);
    handle = await createDb(database.url, { create: false });
    await waitFor("the forum indexed", async () => (await api("/api/forum")).ok);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    served?.child.kill("SIGTERM");
    await served?.exited;
    await handle?.close();
    await database?.drop();
    await pds?.close();
  });

  it("goes from the handle to the PDS's sign-in and consent pages and back with a session, and joins the forum once", async () => {
    const { page, cookie } = await logIn();
    expect(page.url()).toBe(`${base()}/`);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

    const session = await api("/api/auth/session", cookie.value);
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ did: alice.did, scope: GRANULAR_SCOPE, role: null, permissions: [] });

    // The browser holds a random id; the database only its hash, and the OAuth tokens sealed.
    const { memberSessions, oauthSessions, memberships } = handle.schema;
    const rows = await handle.db.select().from(memberSessions).where(eq(memberSessions.did, alice.did));
    expect(rows.map((r) => r.idHash)).toEqual([createHash("sha256").update(cookie.value).digest("base64url")]);
    const [sealed] = await handle.db.select().from(oauthSessions).where(eq(oauthSessions.did, alice.did));
    expect(sealed?.value).toMatch(/^v1\./);
    expect(sealed?.value).not.toMatch(/refresh_token|dpopJwk/);
    // Generated secrets are kept in the state directory, readable by atbb alone.
    expect(statSync(join(state, "session-secret")).mode & 0o777).toBe(0o600);

    // The membership: in alice's repository, in the published shape, and indexed at once.
    const written = await membershipsInRepo();
    expect(written).toHaveLength(1);
    expect(written[0]!.value).toMatchObject({
      $type: ids.membership,
      forum: { $type: `${ids.membership}#forumRef`, forum: { uri: forumUri } },
    });
    expect(
      ((await (await api(`/api/users/${alice.did}`)).json()) as { joinedAt: string | null }).joinedAt,
    ).not.toBeNull();

    // A second login (another browser) keeps the one membership.
    await logIn();
    expect(await membershipsInRepo()).toHaveLength(1);
    expect(await handle.db.select().from(memberships).where(eq(memberships.did, alice.did))).toHaveLength(1);
  }, 120_000);

  it("keeps the session across a restart; a forged cookie, a cross-site logout and a revoked cookie get nowhere; logout revokes at the PDS", async () => {
    const { cookie } = await logIn();
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
    served = await startServe(env());
    expect((await api("/api/auth/session", cookie.value)).status).toBe(200);

    expect((await api("/api/auth/session", "A".repeat(43))).status).toBe(401);
    expect((await api("/api/auth/session", alice.did)).status).toBe(401);

    const crossSite = await api("/api/auth/logout", cookie.value, {
      method: "POST",
      headers: { origin: "https://elsewhere.example" },
    });
    expect(crossSite.status).toBe(403);
    expect((await api("/api/auth/session", cookie.value)).status).toBe(200);

    // The OAuth session as stored, restored after logout, must no longer be good at the PDS:
    // a client of the same client_id refreshes it before, and cannot after.
    const { oauthSessions } = handle.schema;
    const login = await createMemberLogin(loadConfig(env()), handle, silentLogger);
    expect((await login.client.restore(alice.did, true)).did).toBe(alice.did);
    const [before] = await handle.db.select().from(oauthSessions).where(eq(oauthSessions.did, alice.did));
    const loggedOut = await api("/api/auth/logout", cookie.value, { method: "POST", headers: { origin: base() } });
    expect(loggedOut.status).toBe(204);
    expect((await api("/api/auth/session", cookie.value)).status).toBe(401);
    expect(await handle.db.select().from(oauthSessions).where(eq(oauthSessions.did, alice.did))).toEqual([]);

    await handle.db.insert(oauthSessions).values(before!);
    await expect(login.client.restore(alice.did, true)).rejects.toThrow(/revoked|invalid/i);
  }, 120_000);

  it("answers a handle that does not resolve with a clear 400, and a malformed one too", async () => {
    const unknown = await api("/api/auth/login?handle=nobody.test");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "unknown_handle" });
    const malformed = await api("/api/auth/login?handle=not%20a%20handle");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid_request" });
  });
});
