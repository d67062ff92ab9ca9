// What every operator command (init, category, board, role, mod) shares: the
// database and the indexer (each write is applied locally at once), the
// forum account's writer, output for people or for scripts (--json), and
// exit codes that say what happened.
import { createDb, type DatabaseHandle } from "@atbb/db";
import type { Config } from "../../config.ts";
import { forumAccountOf, missingForumAccount } from "../../forum-agent/account.ts";
import { createForumSession, ForumLoginError } from "../../forum-agent/session.ts";
import { createForumWriter, ForumWriteError, type ForumWriter } from "../../forum-agent/writer.ts";
import { StructureRefusal } from "../../forum-structure/places.ts";
import { identityFor } from "../../identity.ts";
import { createIndexer } from "../../indexer/indexer.ts";
import { createLogger } from "../../logger.ts";
import { migrationsFolder } from "../../migrations.ts";
import { refuseUnmigrated } from "../../serve.ts";
import { UsageError } from "../usage-error.ts";

/** Exit codes of the operator commands (2, a usage error, is atbb's own). */
export const EXIT = {
  ok: 0,
  /** The PDS could not be reached, or something else failed on the way. */
  failed: 1,
  usage: 2,
  /** A record changed in the forum's repository behind this AppView's back: nothing written. */
  conflict: 3,
  /** The PDS refused the forum account's login (a wrong app password, another account than FORUM_DID). */
  login: 4,
  /** Refused as asked: not valid, not found, or not allowed without --force. */
  refused: 5,
} as const;

/** A refusal the operator can act on (not found, not empty without --force…): exit 5. */
export class Refusal extends Error {}

export interface Operator {
  config: Config;
  database: DatabaseHandle;
  writer: ForumWriter;
  /** A member named by DID or handle, as a DID. */
  memberDid(member: string): Promise<string>;
}

export interface Output {
  json: boolean;
  /** One line for people (unless --json). */
  say(line: string): void;
}

/** Runs a command with the forum account logged in; its result is printed as JSON with --json. */
export async function withOperator(
  config: Config,
  command: string,
  json: boolean,
  run: (operator: Operator, out: Output) => Promise<Record<string, unknown>>,
): Promise<number> {
  const out: Output = { json, say: (line) => (json ? undefined : console.log(line)) };
  const fail = (code: number, problem: string, message: string) => {
    if (json) console.log(JSON.stringify({ ok: false, problem, error: message }));
    console.error(`atbb ${command}: ${message}`);
    return code;
  };
  const missing = missingForumAccount(config);
  if (missing)
    throw new UsageError(`${missing}. Set FORUM_HANDLE (or FORUM_DID) and FORUM_APP_PASSWORD_FILE.`, command);
  const logger = createLogger(json ? "error" : "warn");
  const database = await createDb(config.databaseUrl, { create: false });
  try {
    await refuseUnmigrated(database, migrationsFolder(config.dialect));
    const session = createForumSession(forumAccountOf(config, logger), { logger, retry: { baseMs: 0 } });
    const identity = identityFor(
      { plcUrl: config.plcUrl, allowLoopback: config.allowLoopback, handles: config.handles },
      logger,
    );
    // The account logged in decides which DID is the forum's (FORUM_DID, when set, must agree: session.ts).
    const agent = await session.agent().catch((error: Error) => error);
    // A refused login (a wrong password) is the operator's to fix; anything else may pass.
    if (agent instanceof Error)
      return agent instanceof ForumLoginError && agent.final
        ? fail(EXIT.login, "login", agent.message)
        : fail(EXIT.failed, "unreachable", agent.message);
    const forumDid = agent.session!.did;
    const indexer = createIndexer({ database, forumDid, logger, notifications: config.notifications });
    const writer = await createForumWriter(session, indexer);
    const operator: Operator = {
      config,
      database,
      writer,
      async memberDid(member) {
        if (member.startsWith("did:")) return member;
        const did = await identity.resolveHandle(member.replace(/^@/, "").toLowerCase());
        if (did === null)
          throw new Refusal(`the handle ${member} does not resolve to a DID; give the member's DID instead`);
        return did;
      },
    };
    const result = await run(operator, out);
    if (json) console.log(JSON.stringify({ ok: true, ...result }));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ForumWriteError) {
      const code = {
        conflict: EXIT.conflict,
        login: EXIT.login,
        invalid: EXIT.refused,
        refused: EXIT.refused,
        unreachable: EXIT.failed,
      }[error.problem];
      return fail(code, error.problem, error.message);
    }
    if (error instanceof Refusal || error instanceof StructureRefusal)
      return fail(EXIT.refused, "refused", error.message);
    throw error;
  } finally {
    await database.close();
  }
}

// Shared with the administrators' routes; kept importable from here for the commands.
export { isoNow, slugOf } from "../../forum-structure/places.ts";
