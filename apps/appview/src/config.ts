// Configuration comes from the environment, is validated once at start, and
// every problem is reported at once, each naming its variable.
import { ACCEPTED_URL_FORMS, dialectOf, type Dialect } from "@atbb/db";
import { isDid } from "@atbb/lexicon/syntax";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { FILE_VARIABLES } from "./config-variables.ts";
import { LOG_LEVELS, type LogLevel } from "./logger.ts";

/** The default database of a checkout (src/, run by scripts/dev.sh and pnpm), relative to the current directory. */
export const CHECKOUT_DATABASE_URL = "file:./data/atbb.db";

/**
 * Where the embedded SQLite database lives when DATABASE_URL is not set: the
 * service's state directory (systemd's StateDirectory=, which sets
 * STATE_DIRECTORY), else the user's data directory ($XDG_DATA_HOME/atbb, or
 * ~/.local/share/atbb). An installed atbb must not depend on the directory it
 * was started from. Run from a checkout, it is ./data/atbb.db there, where
 * contributors expect it.
 */
export function defaultDatabaseUrl(
  env: NodeJS.ProcessEnv,
  fromCheckout = import.meta.url.endsWith("/src/config.ts"),
): string {
  const state = env.STATE_DIRECTORY?.split(":")[0];
  if (state) return `file:${join(state, "atbb.db")}`;
  if (fromCheckout) return CHECKOUT_DATABASE_URL;
  const data = env.XDG_DATA_HOME || (env.HOME ? join(env.HOME, ".local", "share") : null);
  return data ? `file:${join(data, "atbb", "atbb.db")}` : CHECKOUT_DATABASE_URL;
}
/**
 * Where generated secrets are kept: the service's state directory
 * (StateDirectory=), else beside the default database of a checkout
 * (./data), else the user's data directory.
 */
export function defaultStateDirectory(
  env: NodeJS.ProcessEnv,
  fromCheckout = import.meta.url.endsWith("/src/config.ts"),
): string {
  const state = env.STATE_DIRECTORY?.split(":")[0];
  if (state) return state;
  if (fromCheckout) return "./data";
  const data = env.XDG_DATA_HOME || (env.HOME ? join(env.HOME, ".local", "share") : null);
  return data ? join(data, "atbb") : "./data";
}

export const DEFAULT_JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network";
export const DEFAULT_PLC_URL = "https://plc.directory";
export const SOURCES = ["jetstream", "firehose"] as const;

const isLoopbackUrl = (url: string): boolean => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
export type SourceKind = (typeof SOURCES)[number];

export interface Config {
  databaseUrl: string;
  dialect: Dialect;
  host: string;
  port: number;
  /** Without it the AppView serves what it has but does not index. */
  forumDid: string | null;
  pdsUrl: string | null;
  /** The forum account's login: its handle (else FORUM_DID) and an app password. Without a password it cannot write. */
  forumAccount: { handle: string | null; appPassword: string | null };
  jetstreamUrl: string;
  /** Where live events come from: Jetstream (JSON), or a relay's/PDS's firehose with signatures checked. */
  source: SourceKind;
  firehoseUrl: string | null;
  plcUrl: string;
  /** Development networks only: identity lookups and backfill may reach plain http on loopback. */
  allowLoopback: boolean;
  relayUrl: string | null;
  handles: {
    /** Resolve handles with this service's com.atproto.identity.resolveHandle (a development network); else DNS and https. */
    resolverUrl: string | null;
    /** How long a verified handle stands before it is verified again. */
    recheckHours: number;
  };
  backfill: {
    /** `serve` backfills by itself when needed; `atbb backfill` always can. */
    auto: boolean;
    /** A cursor older than this (Jetstream keeps ~24–36 h) means events were missed. */
    maxAgeHours: number;
    concurrency: number;
    requestsPerSecond: number;
    /** `serve` retries a backfill that could not read everything after this long, doubling up to an hour. */
    retrySeconds: number;
  };
  logLevel: LogLevel;
  corsOrigins: string[];
  login: LoginConfig;
  /** Serve the forum's pages at / beside the API; off, only /api (and the OAuth client's documents) answer. */
  web: boolean;
  /**
   * Logged-out readers' hot reads (forum index, board topics, topic pages; JSON
   * and pages) kept in memory up to `maxBytes`, each given again only while the
   * database's data version is unchanged (api/response-cache.ts); null: off.
   */
  responseCache: { maxBytes: number } | null;
  /**
   * Derive members' notifications as their causes are indexed (indexer/notifications.ts).
   * Off, the indexer derives none and the bell, /notifications and its API say they are off;
   * what the table holds stays, and turning them on again derives from then on only.
   */
  notifications: boolean;
}

/** How members log in (AT Protocol OAuth) and how often they may write. */
export interface LoginConfig {
  /**
   * Where browsers reach the forum. Over https the AppView is a confidential
   * OAuth client whose client_id is `${publicUrl}/oauth-client-metadata.json`;
   * otherwise (development) a loopback client on http://127.0.0.1:PORT.
   */
  publicUrl: string | null;
  /** The confidential client's signing key (a private JWK or PKCS#8 PEM); unset, one is generated into the state directory. */
  oauthKey: string | null;
  /** Seals OAuth tokens and keys at rest; unset, one is generated into the state directory. */
  sessionSecret: string | null;
  /** Where generated keys are kept (mode 0600). */
  stateDirectory: string;
  /** How long a login lasts without use; each use renews it. */
  sessionDays: number;
  /** Writes a member may make per minute (posts, edits, deletes). */
  writesPerMinute: number;
}

export { FILE_VARIABLES };

const url = (protocols: string[], what: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be ${what} (${protocols.map((p) => `${p}//…`).join(" or ")})`,
  );

const positive = (what: string, fallback: number, min: number, integer = false) =>
  z
    .string()
    .default(String(fallback))
    .refine((value) => {
      const n = Number(value);
      return value.trim() !== "" && Number.isFinite(n) && n >= min && (!integer || Number.isInteger(n));
    }, `must be ${what}, at least ${min}`)
    .transform(Number);

const environment = z.object({
  DATABASE_URL: z.string().refine(
    (value) => {
      try {
        dialectOf(value);
        return true;
      } catch {
        return false;
      }
    },
    { message: `must be one of: ${ACCEPTED_URL_FORMS.join("; ")}` },
  ),
  HOST: z.string().min(1, "must not be empty").default("127.0.0.1"),
  PORT: z
    .string()
    .default("3000")
    .refine(
      (value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535,
      "must be a port number from 1 to 65535",
    )
    .transform(Number),
  FORUM_DID: z.string().refine(isDid, "must be a DID such as did:plc:abc123 or did:web:forum.example.org").optional(),
  PDS_URL: url(["https:", "http:"], "an http(s) URL").optional(),
  FORUM_HANDLE: z
    .string()
    .regex(
      /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i,
      "must be a handle such as forum.example.org",
    )
    .optional(),
  FORUM_APP_PASSWORD: z.string().optional(),
  JETSTREAM_URL: url(["wss:", "ws:"], "a WebSocket URL").default(DEFAULT_JETSTREAM_URL),
  SOURCE: z.enum(SOURCES, { message: `must be one of ${SOURCES.join(", ")}` }).default("jetstream"),
  FIREHOSE_URL: url(["wss:", "ws:"], "a WebSocket URL").optional(),
  PLC_URL: url(["https:", "http:"], "an http(s) URL").default(DEFAULT_PLC_URL),
  RELAY_URL: url(["https:", "http:"], "an http(s) URL").optional(),
  HANDLE_RESOLVER_URL: url(["https:", "http:"], "an http(s) URL").optional(),
  ALLOW_LOOPBACK: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
  HANDLE_RECHECK_HOURS: positive("a number of hours", 24, 0.01),
  BACKFILL: z.enum(["auto", "off"], { message: "must be auto or off" }).default("auto"),
  WEB: z
    .enum(["on", "off"], { message: "must be on (serve the forum's pages at /) or off (the API alone)" })
    .default("on"),
  RESPONSE_CACHE: z
    .enum(["on", "off"], { message: "must be on (keep logged-out readers' hot pages in memory) or off" })
    .default("on"),
  RESPONSE_CACHE_MB: positive("a number of megabytes", 64, 0.01),
  NOTIFICATIONS: z
    .enum(["on", "off"], {
      message: "must be on (derive members' notifications as posts and mod actions arrive) or off (derive none)",
    })
    .default("on"),
  BACKFILL_MAX_AGE_HOURS: positive("a number of hours", 20, 0.01),
  BACKFILL_CONCURRENCY: positive("a whole number", 4, 1, true),
  BACKFILL_RATE: positive("requests per second", 10, 0.1),
  BACKFILL_RETRY_SECONDS: positive("a number of seconds", 60, 1),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  PUBLIC_URL: url(["https:", "http:"], "an http(s) URL")
    .refine(
      (value) => !/[?#]/.test(value),
      "must be the forum's address without a query or fragment, such as https://forum.example.org",
    )
    .transform((value) => value.replace(/\/+$/, ""))
    .optional(),
  OAUTH_KEY: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 48`)").optional(),
  SESSION_DAYS: positive("a number of days", 30, 0.01),
  WRITES_PER_MINUTE: positive("a whole number", 20, 1, true),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine(
      (origins) => origins.every((o) => o === "*" || /^https?:\/\/[^/]+$/.test(o)),
      "must be a comma-separated list of origins like https://forum.example.org, or *",
    ),
});

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Resolves `<NAME>_FILE` variables into `<NAME>`, trimming the file's trailing newline. */
function readFileVariables(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  const fromFiles: readonly string[] = FILE_VARIABLES;
  for (const name of Object.keys(environment.shape)) {
    if (env[`${name}_FILE`] !== undefined && !fromFiles.includes(name)) {
      problems.push(
        `${name}_FILE: ${name} cannot be read from a file; set ${name} itself (only ${FILE_VARIABLES.join(", ")} have a _FILE form)`,
      );
    }
  }
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set: set only one`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  // Empty means unset, as systemd and shells tend to hand them over.
  for (const [key, value] of Object.entries(resolved)) if (value === "") resolved[key] = undefined;
  return resolved;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const resolved = readFileVariables(env, problems);
  resolved.DATABASE_URL ??= defaultDatabaseUrl(env);
  const parsed = environment.safeParse(resolved);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  if (parsed.success && parsed.data.SOURCE === "firehose" && parsed.data.FIREHOSE_URL === undefined) {
    problems.push("FIREHOSE_URL: must be set when SOURCE=firehose (e.g. wss://bsky.network, or your PDS)");
  }
  if (parsed.success && !parsed.data.ALLOW_LOOPBACK) {
    // Identity lookups refuse loopback addresses (the addresses they reach come from
    // DID documents anyone writes): a loopback service here would fail at the first lookup.
    for (const name of ["PLC_URL", "HANDLE_RESOLVER_URL"] as const) {
      const value = parsed.data[name];
      if (value !== undefined && isLoopbackUrl(value)) {
        problems.push(
          `${name}: ${value} is a loopback address; for a development network (such as @atproto/dev-env) also set ALLOW_LOOPBACK=true`,
        );
      }
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dialect: dialectOf(e.DATABASE_URL),
    host: e.HOST,
    port: e.PORT,
    forumDid: e.FORUM_DID ?? null,
    pdsUrl: e.PDS_URL ?? null,
    forumAccount: { handle: e.FORUM_HANDLE?.toLowerCase() ?? null, appPassword: e.FORUM_APP_PASSWORD ?? null },
    jetstreamUrl: e.JETSTREAM_URL,
    source: e.SOURCE,
    firehoseUrl: e.FIREHOSE_URL ?? null,
    plcUrl: e.PLC_URL,
    allowLoopback: e.ALLOW_LOOPBACK,
    relayUrl: e.RELAY_URL ?? null,
    handles: { resolverUrl: e.HANDLE_RESOLVER_URL ?? null, recheckHours: e.HANDLE_RECHECK_HOURS },
    backfill: {
      auto: e.BACKFILL === "auto",
      maxAgeHours: e.BACKFILL_MAX_AGE_HOURS,
      concurrency: e.BACKFILL_CONCURRENCY,
      requestsPerSecond: e.BACKFILL_RATE,
      retrySeconds: e.BACKFILL_RETRY_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    login: {
      publicUrl: e.PUBLIC_URL ?? null,
      oauthKey: e.OAUTH_KEY ?? null,
      sessionSecret: e.SESSION_SECRET ?? null,
      stateDirectory: defaultStateDirectory(env),
      sessionDays: e.SESSION_DAYS,
      writesPerMinute: e.WRITES_PER_MINUTE,
    },
    web: e.WEB === "on",
    responseCache: e.RESPONSE_CACHE === "on" ? { maxBytes: Math.round(e.RESPONSE_CACHE_MB * 1_048_576) } : null,
    notifications: e.NOTIFICATIONS === "on",
  };
}
