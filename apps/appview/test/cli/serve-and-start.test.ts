// Starting and stopping: listen failures in one line, the start paths as one
// process that signals reach, and arguments refused with the right help.
import { dialect, repoRoot } from "@atbb/testing";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, type CliResult, freePort, migratedDatabases, runCli } from "../support/cli.ts";

const migratedUrl = migratedDatabases();

/** One line of explanation, exit 1, and none of Node's "Unhandled 'error' event" stack. */
function expectOneLine(result: CliResult, explanation: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(explanation)]);
}

describe(`atbb serve that cannot listen (${dialect})`, () => {
  it("on a port in use, says so in one line", async () => {
    const url = await migratedUrl();
    const occupier: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      occupier.listen(0, "127.0.0.1", () => resolve((occupier.address() as { port: number }).port)),
    );
    try {
      expectOneLine(
        await runCli(["serve"], { DATABASE_URL: url, PORT: String(port), LOG_LEVEL: "error" }),
        new RegExp(
          `^atbb: Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use .* set PORT to a free port\\.$`,
        ),
      );
    } finally {
      occupier.close();
    }
  });

  it("on a HOST that is no address, or not one of this machine's, says so in one line", async () => {
    const url = await migratedUrl();
    const port = String(await freePort());
    expectOneLine(
      await runCli(["serve"], { DATABASE_URL: url, PORT: port, HOST: "256.1.1.1", LOG_LEVEL: "error" }),
      /^atbb: Cannot listen on HOST=256\.1\.1\.1: it is neither an IP address nor a host name that resolves\./,
    );
    // TEST-NET-3 (RFC 5737): never an address of this machine.
    expectOneLine(
      await runCli(["serve"], { DATABASE_URL: url, PORT: port, HOST: "203.0.113.7", LOG_LEVEL: "error" }),
      /^atbb: Cannot listen on HOST=203\.0\.113\.7: it is not an address of this machine\./,
    );
  });
});

/** Waits until the API answers on `port`, or the process exits. */
async function answering(port: number, exited: () => boolean): Promise<boolean> {
  for (let i = 0; i < 600 && !exited(); i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health/live`)).ok) return true;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function stopsAnswering(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/health/live`);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

// The workspace's start paths; they run from the checkout, once (their database is SQLite either way).
describe.runIf(dialect === "sqlite")("the start paths, stopped with SIGTERM", () => {
  const start: [string, string[]][] = [
    ["scripts/dev.sh start", ["bash", join(repoRoot, "scripts/dev.sh"), "start"]],
    ["pnpm start", ["pnpm", "start"]],
  ];
  for (const [name, command] of start) {
    it(`${name} migrates, serves, and stops when the process it started is sent SIGTERM`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "atbb-start-"));
      const port = await freePort();
      const child = spawn(command[0]!, command.slice(1), {
        cwd: repoRoot,
        env: cleanEnv({ DATABASE_URL: `file:${join(dir, "atbb.db")}`, PORT: String(port) }),
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        expect(await answering(port, () => child.exitCode !== null), output).toBe(true);
        child.kill("SIGTERM");
        await exited;
        // Whatever pnpm does with the signal, the server itself must be gone.
        expect(await stopsAnswering(port), output).toBe(true);
      } finally {
        child.kill("SIGKILL");
      }
    }, 120_000);
  }
});

describe("atbb arguments", () => {
  it("refuses an unknown option pointing at the command's own help, with no shell advice", async () => {
    const result = await runCli(["serve", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("atbb: Unknown option --bogus for `atbb serve`.\nRun `atbb serve --help` for usage.\n");
  });

  it("refuses a value given to a flag, and a flag of another command", async () => {
    expect(await runCli(["backfill", "--force=yes"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Option --force of `atbb backfill` takes no value."),
    });
    expect(await runCli(["migrate", "--migrate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "--migrate is an option of `atbb serve`, not of `atbb migrate`.\nRun `atbb migrate --help`",
      ),
    });
  });

  it("refuses *_FILE for a variable that cannot come from a file, naming those that can", async () => {
    const result = await runCli(["status"], { PORT_FILE: "/run/credentials/port" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "PORT_FILE: PORT cannot be read from a file; set PORT itself (only DATABASE_URL, FORUM_DID, PDS_URL, JETSTREAM_URL, FIREHOSE_URL, RELAY_URL, FORUM_APP_PASSWORD, OAUTH_KEY, SESSION_SECRET have a _FILE form)",
    );
    expect((await runCli(["--help"])).stdout).toContain(
      "DATABASE_URL, FORUM_DID, PDS_URL, JETSTREAM_URL, FIREHOSE_URL, RELAY_URL, FORUM_APP_PASSWORD, OAUTH_KEY, SESSION_SECRET may instead be read from",
    );
  });
});
