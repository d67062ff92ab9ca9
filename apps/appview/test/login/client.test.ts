// The AppView as an OAuth client: confidential over https (metadata at its
// client_id, public keys beside it, a signing key kept or given), loopback in
// development; and its secrets, kept in the state directory for atbb alone.
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { type ConfigError, loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import { createMemberAccess } from "../../src/login/access.ts";
import { sealerFor } from "../../src/login/secrets.ts";

const FORUM = "did:plc:forumforumforumforum";
const noIndexer = { applyLocal: () => Promise.reject(new Error("nothing is written in these tests")) };

let database: MigratedTestDatabase;
beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterAll(async () => database?.drop());

const configFor = (env: Record<string, string>) =>
  loadConfig({ DATABASE_URL: "file::memory:", FORUM_DID: FORUM, PORT: "3456", ...env });

describe(`the OAuth client (${dialect})`, () => {
  it("over https is confidential: metadata at its client_id, public keys beside it, a signing key generated once and kept (0600)", async () => {
    const state = mkdtempSync(join(tmpdir(), "atbb-client-"));
    const config = configFor({ PUBLIC_URL: "https://forum.example.org/", STATE_DIRECTORY: state });
    const access = await createMemberAccess(config, FORUM, database.handle, noIndexer, silentLogger);
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: FORUM,
      members: access,
    });

    const metadata = (await (await app.request("/oauth-client-metadata.json")).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      client_id: "https://forum.example.org/oauth-client-metadata.json",
      redirect_uris: ["https://forum.example.org/api/auth/callback"],
      token_endpoint_auth_method: "private_key_jwt",
      jwks_uri: "https://forum.example.org/oauth/jwks.json",
      dpop_bound_access_tokens: true,
    });
    expect(String(metadata.scope).split(" ")).toEqual(
      expect.arrayContaining(["atproto", "repo:space.atbb.post", "repo:space.atbb.membership", "transition:generic"]),
    );
    const { keys } = (await (await app.request("/oauth/jwks.json")).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256" });
    expect(keys[0]).not.toHaveProperty("d");
    expect(access.login.secure).toBe(true);

    expect(statSync(join(state, "oauth-key.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, "session-secret")).mode & 0o777).toBe(0o600);
    const again = await createMemberAccess(config, FORUM, database.handle, noIndexer, silentLogger);
    expect(again.login.published?.jwks).toEqual(access.login.published?.jwks);
    await Promise.all([access.login.close(), again.login.close()]);
  });

  it("takes the operator's key and secret from files (OAUTH_KEY_FILE, SESSION_SECRET_FILE) and generates neither", async () => {
    const state = mkdtempSync(join(tmpdir(), "atbb-client-"));
    const pem = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const files = mkdtempSync(join(tmpdir(), "atbb-credentials-"));
    writeFileSync(join(files, "oauth-key"), pem);
    writeFileSync(join(files, "session-secret"), `${"s".repeat(40)}\n`);
    const config = configFor({
      PUBLIC_URL: "https://forum.example.org",
      STATE_DIRECTORY: state,
      OAUTH_KEY_FILE: join(files, "oauth-key"),
      SESSION_SECRET_FILE: join(files, "session-secret"),
    });
    const access = await createMemberAccess(config, FORUM, database.handle, noIndexer, silentLogger);
    expect((access.login.published!.jwks as { keys: unknown[] }).keys).toHaveLength(1);
    expect(() => statSync(join(state, "oauth-key.json"))).toThrow();
    expect(() => statSync(join(state, "session-secret"))).toThrow();
    // The given secret seals: a value sealed with it opens with it alone.
    const sealed = access.login.sealer.seal("a refresh token");
    expect(sealerFor("s".repeat(40)).open(sealed)).toBe("a refresh token");
    expect(() => sealerFor("t".repeat(40)).open(sealed)).toThrow();
    await access.login.close();
  });

  it("in development is a loopback client: no published metadata, callback on 127.0.0.1, cookies not Secure", async () => {
    const state = mkdtempSync(join(tmpdir(), "atbb-client-"));
    const access = await createMemberAccess(
      configFor({ STATE_DIRECTORY: state }),
      FORUM,
      database.handle,
      noIndexer,
      silentLogger,
    );
    expect(access.login.published).toBeNull();
    expect(access.login.client.clientMetadata.redirect_uris).toEqual(["http://127.0.0.1:3456/api/auth/callback"]);
    expect(access.login.origin).toBe("http://127.0.0.1:3456");
    expect(access.login.secure).toBe(false);
    expect(() => statSync(join(state, "oauth-key.json"))).toThrow();
    expect(readFileSync(join(state, "session-secret"), "utf8").length).toBeGreaterThanOrEqual(48);
    const app = createApp({
      database: database.handle,
      logger: silentLogger,
      migrationsFolder: migrationsFolders[dialect],
      forumDid: FORUM,
      members: access,
    });
    expect((await app.request("/oauth-client-metadata.json")).status).toBe(404);
    await access.login.close();
  });

  it("refuses login settings it cannot use, naming each", () => {
    const problems = (env: Record<string, string>) => {
      try {
        configFor(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ PUBLIC_URL: "forum.example.org" })).toEqual([expect.stringContaining("PUBLIC_URL")]);
    expect(problems({ PUBLIC_URL: "https://forum.example.org/?x=1" })).toEqual([expect.stringContaining("PUBLIC_URL")]);
    expect(problems({ SESSION_SECRET: "short" })).toEqual([
      expect.stringContaining("SESSION_SECRET: must be at least 32 characters"),
    ]);
    expect(problems({ WRITES_PER_MINUTE: "0" })).toEqual([expect.stringContaining("WRITES_PER_MINUTE")]);
  });
});
