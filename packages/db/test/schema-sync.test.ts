// The committed migrations are exactly what drizzle-kit would generate from the
// schema files: nothing pending, nothing drifting.
import { dialect, migrationsFolders, repoRoot } from "@atbb/testing";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const appDir = join(repoRoot, "apps/appview");
// drizzle-kit prefixes --out with "./", so it must be relative to its cwd.
const outFlag = (folder: string) => `--out=${relative(appDir, folder)}`;
const drizzleKit = join(repoRoot, "apps/appview/node_modules/.bin/drizzle-kit");
const schemaFile = {
  postgresql: join(repoRoot, "packages/db/src/schema.ts"),
  sqlite: join(repoRoot, "packages/db/src/schema.sqlite.ts"),
}[dialect];

describe(`the ${dialect} migrations`, () => {
  it("are in sync with the schema: drizzle-kit generate finds nothing to write", async () => {
    const out = mkdtempSync(join(tmpdir(), "atbb-generate-"));
    cpSync(migrationsFolders[dialect], out, { recursive: true });
    const before = readdirSync(out).sort();
    const { stdout, stderr } = await run(
      drizzleKit,
      ["generate", `--dialect=${dialect}`, `--schema=${schemaFile}`, outFlag(out)],
      { cwd: appDir, env: { ...process.env, CI: "1" } },
    );
    // Without a TTY drizzle-kit can exit 0 having written nothing or having
    // written a file: read both what it said and what is on disk.
    expect(`${stdout}${stderr}`).toMatch(/No schema changes, nothing to migrate/);
    expect(readdirSync(out).sort()).toEqual(before);
  });

  it("pass drizzle-kit check without a warning", async () => {
    const { stdout, stderr } = await run(
      drizzleKit,
      ["check", `--dialect=${dialect}`, outFlag(migrationsFolders[dialect])],
      {
        cwd: appDir,
      },
    );
    const said = `${stdout}${stderr}`;
    expect(said).toMatch(/Everything's fine/);
    expect(said).not.toMatch(/warning|collision|error/i);
  });
});
