// The AppView as an AT Protocol OAuth client (@atproto/oauth-client-node does
// PAR, PKCE, DPoP, token refresh and the handle → DID → PDS → authorization
// server discovery). Public over https it is a confidential client
// (private_key_jwt): its metadata is served at the URL that is its client_id,
// its JWKS beside it. Anywhere else it is a loopback client (no key, redirect
// to http://127.0.0.1), which authorization servers accept for development.
import type { DatabaseHandle } from "@atbb/db";
import {
  buildAtprotoLoopbackClientMetadata,
  NodeOAuthClient,
  type OAuthClientMetadataInput,
} from "@atproto/oauth-client-node";
import type { Config } from "../config.ts";
import { guardedFetch } from "../identity.ts";
import type { Logger } from "../logger.ts";
import { sealerFor, sessionSecret, signingKey, type Sealer } from "./secrets.ts";
import { refreshLock, sessionStore, stateStore } from "./stores.ts";

/** What a member is asked for: writing atBB's records, nothing else of their repository. */
export const GRANULAR_SCOPE = "atproto repo:space.atbb.post repo:space.atbb.membership";
/** For authorization servers that do not know granular scopes yet. */
export const FALLBACK_SCOPE = "atproto transition:generic";
const CLIENT_SCOPE = `${GRANULAR_SCOPE} transition:generic`;

export const CALLBACK_PATH = "/api/auth/callback";
export const CLIENT_METADATA_PATH = "/oauth-client-metadata.json";
export const JWKS_PATH = "/oauth/jwks.json";

export interface MemberLogin {
  client: NodeOAuthClient;
  /** Where the forum is reached: the origin state-changing requests must come from. */
  origin: string;
  /** True when cookies must be Secure (https). */
  secure: boolean;
  sealer: Sealer;
  /** The confidential client's metadata and public keys, served at its client_id; null for a loopback client. */
  published: { metadata: OAuthClientMetadataInput; jwks: unknown } | null;
  /** Closes the connections refresh locks wait on. */
  close(): Promise<void>;
}

export interface LoginEvents {
  onSessionUpdated?: (did: string) => void;
  onSessionDeleted?: (did: string) => void;
}

export async function createMemberLogin(
  config: Config,
  database: DatabaseHandle,
  logger: Logger,
  events: LoginEvents = {},
): Promise<MemberLogin> {
  const { login } = config;
  const sealer = sealerFor(await sessionSecret(login.sessionSecret, login.stateDirectory, logger));
  const confidential = login.publicUrl?.startsWith("https:") === true;
  const origin = login.publicUrl !== null ? new URL(login.publicUrl).origin : `http://127.0.0.1:${config.port}`;
  const base = login.publicUrl ?? origin;

  let metadata: OAuthClientMetadataInput;
  let keyset: Awaited<ReturnType<typeof signingKey>>[] | undefined;
  if (confidential) {
    const key = await signingKey(login.oauthKey, login.stateDirectory, logger);
    keyset = [key];
    metadata = {
      client_id: `${base}${CLIENT_METADATA_PATH}`,
      client_name: "atBB forum",
      client_uri: base,
      redirect_uris: [`${base}${CALLBACK_PATH}`],
      scope: CLIENT_SCOPE,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      application_type: "web",
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "ES256",
      dpop_bound_access_tokens: true,
      jwks_uri: `${base}${JWKS_PATH}`,
    };
  } else {
    // The loopback rule: the redirect goes to 127.0.0.1, on the port of a
    // PUBLIC_URL there (several processes behind one address share one
    // client_id), else on the port served.
    const loopback = /^http:\/\/127\.0\.0\.1(:\d+)?$/.test(origin) ? origin : `http://127.0.0.1:${config.port}`;
    metadata = buildAtprotoLoopbackClientMetadata({
      scope: CLIENT_SCOPE,
      redirect_uris: [`${loopback}${CALLBACK_PATH}`],
    });
  }

  const lock = refreshLock(database);
  const client = new NodeOAuthClient({
    clientMetadata: metadata,
    ...(keyset ? { keyset } : {}),
    stateStore: stateStore(database, sealer),
    sessionStore: sessionStore(database, sealer),
    requestLock: lock.lock,
    fetch: guardedFetch(config.allowLoopback),
    allowHttp: config.allowLoopback,
    plcDirectoryUrl: config.plcUrl,
    ...(config.handles.resolverUrl ? { handleResolver: config.handles.resolverUrl } : {}),
    ...(events.onSessionUpdated ? { onSessionUpdated: events.onSessionUpdated } : {}),
    ...(events.onSessionDeleted ? { onSessionDeleted: events.onSessionDeleted } : {}),
  });
  return {
    client,
    origin,
    secure: origin.startsWith("https:"),
    sealer,
    published: confidential ? { metadata: client.clientMetadata, jwks: client.jwks } : null,
    close: lock.close,
  };
}
