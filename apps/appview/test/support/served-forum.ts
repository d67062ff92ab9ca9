// A forum run as an operator runs one, for the routes moderators and
// administrators use: a real AT Protocol network (@atproto/dev-env), the
// forum set up by the forum account (`atbb init`, then `atbb role grant`),
// `atbb serve` logged in as the forum account and following the PDS's
// firehose, and members logged in (sessions in the real session tables).
import { createDb, type DatabaseHandle } from "@atbb/db";
import { ids, type Collection } from "@atbb/lexicon";
import { createTestDatabase, type TestDatabase } from "@atbb/testing";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, runCli, startServe, type Served } from "./cli.ts";
import { sessionCookieFor } from "./member-session.ts";
import { PdsForum, type Account } from "./pds-forum.ts";
import { waitFor } from "./wait-for.ts";

export type Member = Account & { cookie: string };
export type Body = Record<string, unknown> | string;

export interface ForumPlan<Name extends string> {
  /** Who owns the forum (granted Owner by `atbb init`). */
  owner: Name;
  /** Everyone else, with the role `atbb role grant` gives them (null: none, they only have an account). */
  roles: Partial<Record<Name, string | null>>;
  forumName: string;
  /** Written before `atbb serve` starts (their authors' posts, say); its result is kept as `prepared`. */
  prepare?: (pds: PdsForum, people: Record<Name, Account>) => Promise<unknown>;
  serveEnv?: Record<string, string>;
}

export class ServedForum<Name extends string> {
  /** Each member with the Cookie header of their session (empty until `logIn`). */
  readonly people = {} as Record<Name, Member>;
  pds!: PdsForum;
  database!: TestDatabase;
  handle!: DatabaseHandle;
  served!: Served;
  base!: string;
  /** The forum account's login and everything else the forum's `atbb` needs. */
  env!: Record<string, string>;
  prepared: unknown;
  #markers = 0;

  static async start<Name extends string>(plan: ForumPlan<Name>): Promise<ServedForum<Name>> {
    const forum = new ServedForum<Name>();
    await forum.#start(plan);
    return forum;
  }

  async #start(plan: ForumPlan<Name>): Promise<void> {
    this.pds = await PdsForum.start();
    const names = [plan.owner, ...Object.keys(plan.roles)] as Name[];
    for (const name of names) this.people[name] = { ...(await this.pds.account(name)), cookie: "" };
    const { data } = await this.pds.forum.agent.com.atproto.server.createAppPassword({ name: "atbb" });
    const secrets = mkdtempSync(join(tmpdir(), "atbb-forum-"));
    writeFileSync(join(secrets, "app-password"), `${data.password}\n`, { mode: 0o600 });
    this.database = await createTestDatabase();
    this.env = {
      DATABASE_URL: this.database.url,
      FORUM_DID: this.pds.forum.did,
      FORUM_HANDLE: this.pds.forum.handle,
      FORUM_APP_PASSWORD_FILE: join(secrets, "app-password"),
      PLC_URL: this.pds.plcUrl,
      HANDLE_RESOLVER_URL: this.pds.pdsUrl,
      ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "warn",
    };
    await this.atbb("migrate");
    await this.atbb("init", "--owner", this.people[plan.owner].did, "--name", plan.forumName, "--default-category");
    for (const [name, role] of Object.entries(plan.roles) as [Name, string | null][])
      if (role !== null) await this.atbb("role", "grant", this.people[name].did, role);
    this.prepared = await plan.prepare?.(this.pds, this.people);

    this.served = await startServe({
      ...this.env,
      STATE_DIRECTORY: mkdtempSync(join(tmpdir(), "atbb-forum-state-")),
      PORT: String(await freePort()),
      SOURCE: "firehose",
      FIREHOSE_URL: this.pds.firehoseUrl,
      WRITES_PER_MINUTE: "100",
      ...plan.serveEnv,
    });
    this.base = `http://127.0.0.1:${this.served.port}`;
    this.handle = await createDb(this.database.url, { create: false });
  }

  /** Runs the real `atbb` as the forum's operator; a failure throws with what it said. */
  async atbb(...args: string[]): Promise<void> {
    const result = await runCli(args, this.env);
    if (result.code !== 0) throw new Error(`atbb ${args.join(" ")} failed (${result.code}):\n${result.stderr}`);
  }

  /** Logs these members in without the browser (for routes that never write to their own PDS). */
  async logIn(...names: Name[]): Promise<void> {
    for (const name of names) this.people[name].cookie = await sessionCookieFor(this.handle, this.people[name].did);
  }

  /** A member's session cookie as a browser holds it (for a browser context's addCookies). */
  browserCookie(name: Name): { name: string; value: string; url: string } {
    const [cookie, value] = this.people[name].cookie.split("=") as [string, string];
    return { name: cookie, value, url: this.base };
  }

  /** A request from the forum's own pages (origin = the forum), as `who` (null: nobody logged in). */
  send(
    method: string,
    path: string,
    who: { cookie: string } | null,
    init: { body?: Body; origin?: string } = {},
  ): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        origin: init.origin ?? this.base,
        ...(who ? { cookie: who.cookie } : {}),
      },
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });
  }

  /** A GET's JSON body, as `who` or as a guest. */
  async read(path: string, who?: { cookie: string }): Promise<any> {
    return (await fetch(`${this.base}${path}`, who ? { headers: { cookie: who.cookie } } : {})).json();
  }

  /** The forum account's records of a collection, as its repository holds them now. */
  async forumRecords(collection: Collection) {
    const { data } = await this.pds.forum.agent.com.atproto.repo.listRecords({
      repo: this.pds.forum.did,
      collection,
      limit: 100,
    });
    return data.records;
  }

  /** One record of the forum account's repository, or null when there is none. */
  async forumRecord(collection: Collection, rkey: string): Promise<any> {
    try {
      const { data } = await this.pds.forum.agent.com.atproto.repo.getRecord({
        repo: this.pds.forum.did,
        collection,
        rkey,
      });
      return data.value;
    } catch (error) {
      if ((error as { error?: string }).error === "RecordNotFound") return null;
      throw error;
    }
  }

  /**
   * Waits until the firehose has delivered everything written so far: a
   * marker role written after it has arrived (the echo of a local write
   * settles the time the network saw it, so comparisons start after it).
   * Roles, because no route tested here lists them.
   */
  async echoed(): Promise<void> {
    const name = `Marker ${++this.#markers}`;
    await this.pds.put(this.pds.forum, ids.role, {
      name,
      permissions: [],
      priority: 1000,
      createdAt: new Date().toISOString(),
    });
    await waitFor("the marker through the firehose", async () =>
      (await this.read("/api/roles")).roles.some((r: { name: string }) => r.name === name),
    );
  }

  async close(): Promise<void> {
    this.served?.child.kill("SIGTERM");
    await this.served?.exited;
    await this.handle?.close();
    await this.database?.drop();
    await this.pds?.close();
  }
}
