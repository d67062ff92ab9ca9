// `atbb` commands as an operator runs them, each in its own process:
// `atbb migrate` timed to its exit; `atbb serve` started, probed until
// healthy, measured (peak RSS), stopped.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { NODE_FLAGS } from "../src/node-flags.ts";

// Run as the launchers run it: with their Node flags.
const cli = join(import.meta.dirname, "../src/cli.ts");

/** `atbb migrate` on `databaseUrl`: the command's wall time, and the part its own report gives to applying migrations. */
export async function runMigrate(databaseUrl: string): Promise<{ commandMs: number; migrationsMs: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...NODE_FLAGS, "--conditions=development", cli, "migrate"],
    { env: { ...process.env, DATABASE_URL: databaseUrl } },
  );
  const commandMs = performance.now() - started;
  const applied = /Applied \d+ migration\(s\) in (\d+) ms/.exec(stdout);
  if (!applied) throw new Error(`atbb migrate did not report applying migrations on a fresh database:\n${stdout}`);
  return { commandMs, migrationsMs: Number(applied[1]) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Resolves once `atbb serve` answers its health check; readyMs counts from the spawn. */
export async function startServer(
  databaseUrl: string,
  options: { indexer?: { forumDid: string; jetstreamUrl: string }; env?: Record<string, string> } = {},
) {
  const port = await freePort();
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    ...options.env,
  };
  // The stream replays from its start: nothing to backfill from PDSes. The
  // members' DIDs are made up: the handle keeper's PLC lookups fail at once on
  // a closed loopback port (hence ALLOW_LOOPBACK) instead of waiting on the network.
  if (options.indexer) {
    Object.assign(env, {
      FORUM_DID: options.indexer.forumDid,
      JETSTREAM_URL: options.indexer.jetstreamUrl,
      SOURCE: "jetstream",
      BACKFILL: "off",
      PLC_URL: "http://127.0.0.1:9",
      ALLOW_LOOPBACK: "true",
    });
  } else delete env.FORUM_DID;
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, "--conditions=development", cli, "serve", ...(options.indexer ? [] : ["--no-indexer"])],
    {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`atbb serve exited with ${code}`))),
  );
  exited.catch(() => {});
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5))]);
  }
  return { base, child, readyMs: performance.now() - started };
}

/** Peak resident set of a process so far, from the kernel's high-water mark. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
