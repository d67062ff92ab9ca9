// Runs the real `atbb` command in a child process.
import { createTestDatabase, repoRoot } from "@atbb/testing";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { droppedAfterEach } from "./fresh-databases.ts";

export const cliEntry = join(repoRoot, "apps/appview/src/cli.ts");

/** A clean environment: only what the command needs, nothing from the test runner's config. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string> = {},
  command: string[] = [process.execPath, "--conditions=development", cliEntry],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], { env: cleanEnv(env), cwd: env.CWD ?? repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Served {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `atbb serve` (on env.PORT, else a free port) and waits until /api/health answers. */
export async function startServe(
  env: Record<string, string>,
  args: string[] = [],
  command: string[] = [process.execPath, "--conditions=development", cliEntry],
): Promise<Served> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(command[0]!, [...command.slice(1), "serve", ...args], {
    env: cleanEnv({ PORT: String(port), ...env }),
    cwd: env.CWD ?? repoRoot,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`atbb serve exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health/live`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`atbb serve did not answer:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, port, output: () => output, exited };
}

/**
 * For a test file: a function that returns the URL of a fresh database that
 * `atbb migrate` has brought to head, each dropped after its test.
 */
export function migratedDatabases(): () => Promise<string> {
  const freshDatabase = droppedAfterEach(createTestDatabase);
  return async () => {
    const database = await freshDatabase();
    const migrated = await runCli(["migrate"], { DATABASE_URL: database.url });
    if (migrated.code !== 0) throw new Error(`atbb migrate failed:\n${migrated.stderr}`);
    return database.url;
  };
}
