// The two secrets of members' login: the key that seals OAuth tokens and DPoP
// keys at rest, and the confidential client's signing key. Each comes from
// the operator (a file passed as a systemd credential) or is generated at the
// first start into the state directory, readable by atbb alone, and kept:
// a new sealing key would lock every member out, a new signing key would
// invalidate the client's published JWKS.
import { JoseKey } from "@atproto/jwk-jose";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.ts";

const SEAL_VERSION = "v1";

/** Seals and opens values stored in the database (AES-256-GCM: a changed byte fails to open). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function sealerFor(secret: string): Sealer {
  // The operator's secret may be any long string: hash it to a key of the right size.
  const key = createHash("sha256").update(`atbb session secret\0${secret}`).digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [
        SEAL_VERSION,
        iv.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
        body.toString("base64url"),
      ].join(".");
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== SEAL_VERSION || !iv || !tag || body === undefined)
        throw new Error("a sealed login value is not in a form this atbb reads");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

/** Reads a generated secret from the state directory, or makes it (mode 0600) on the first start. */
function keptSecret(directory: string, name: string, make: () => Promise<string>, logger: Logger): Promise<string> {
  const path = join(directory, name);
  try {
    return Promise.resolve(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(
        `Cannot read ${path} (${(error as NodeJS.ErrnoException).code}): atbb needs to read what it generated there.`,
      );
  }
  return make().then((value) => {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    try {
      // wx: two processes starting at once must not overwrite each other's secret.
      writeFileSync(path, value, { mode: 0o600, flag: "wx" });
      logger.info({ path }, `generated ${name}; keep it with the database`);
      return value;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path, "utf8");
      throw new Error(
        `Cannot write ${path} (${(error as NodeJS.ErrnoException).code}): set the variable instead, or make the directory writable.`,
      );
    }
  });
}

export async function sessionSecret(given: string | null, stateDirectory: string, logger: Logger): Promise<string> {
  if (given !== null) return given;
  return (
    await keptSecret(stateDirectory, "session-secret", async () => randomBytes(48).toString("base64url"), logger)
  ).trim();
}

/** The confidential client's signing key (ES256, with a kid), as a private JWK or PKCS#8 PEM. */
export async function signingKey(given: string | null, stateDirectory: string, logger: Logger): Promise<JoseKey> {
  const text =
    given ??
    (await keptSecret(
      stateDirectory,
      "oauth-key.json",
      async () => JSON.stringify((await JoseKey.generate(["ES256"], `atbb-${Date.now()}`)).privateJwk),
      logger,
    ));
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith("{")
      ? await JoseKey.fromJWK({ kid: "atbb-1", ...(JSON.parse(trimmed) as Record<string, unknown>) })
      : await JoseKey.fromPKCS8(trimmed, "ES256", "atbb-1");
    if (!key.isPrivate) throw new Error("it is a public key");
    return key;
  } catch (error) {
    throw new Error(
      `OAUTH_KEY: not a private signing key (a private JWK, or a PKCS#8 PEM for ES256): ${(error as Error).message}`,
    );
  }
}
