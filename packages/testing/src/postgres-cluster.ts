// A throwaway PostgreSQL cluster for the test run, started from the installed
// server binaries. Fast and disposable: fsync off, data in a temp dir.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The one role of the test cluster that logs in with a password (scram-sha-256) rather than trust. */
export const PASSWORD_ROLE = "atbb_password_check";

export interface PostgresCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  /** Directory of the cluster's Unix socket, for `?host=` URLs. */
  socketDir: string;
  stop(): void;
}

const HOW_TO_FIX =
  "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under " +
  "/usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: `apt-get install postgresql`; " +
  "Nix: `nix develop` or `devenv shell`), or point the tests at a server you run: " +
  "TEST_DATABASE_URL=postgres://user:password@host:5432/postgres (the user needs CREATEDB).";

export function findPostgresBin(): string {
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) {
    return onPath.stdout.trim().replace(/\/initdb$/, "");
  }
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin");
  }
  throw new Error(HOW_TO_FIX);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), "atbb-pg-"));
  const data = join(dir, "data");
  // PostgreSQL refuses to run as root; as root, run it as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    try {
      execFileSync(file, argv, { stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `${command} ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}` +
          (asRoot ? "\n(as root the cluster runs as the `postgres` user: does it exist?)" : ""),
      );
    }
  };
  if (asRoot) {
    const ids = execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim();
    const gid = execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  run(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
    "--no-instructions",
  ]);
  // Everyone is trusted, except one role that must give its password: the
  // tests of what atbb says about a wrong password log in as it.
  const hba = join(data, "pg_hba.conf");
  writeFileSync(hba, `host all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, "utf8")}`);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  run(join(bin, "pg_ctl"), ["-D", data, "-o", serverOptions, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketDir: dir,
    stop() {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
