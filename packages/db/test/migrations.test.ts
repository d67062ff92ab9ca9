import { createDb, migrate, migrationStatus, MigrationError, readMigrations } from "@atbb/db";
import { createTestDatabase, dialect, migrationsFolders, type TestDatabase } from "@atbb/testing";
import { sql } from "drizzle-orm";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const folder = migrationsFolders[dialect];
const databases: TestDatabase[] = [];
async function freshDatabase() {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}
afterEach(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

async function appliedRows(url: string): Promise<number> {
  const handle = await createDb(url);
  try {
    const table = handle.dialect === "postgresql" ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
    const rows = await handle.rows<{ n: number }>(sql`select count(*) as n from ${table}`);
    return Number(rows[0]!.n);
  } finally {
    await handle.close();
  }
}

describe(`migrations (${dialect})`, () => {
  it("keep exactly one statement in every chunk, with no empty trailing chunk", () => {
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".sql"))) {
      const chunks = readFileSync(join(folder, file), "utf8").split("--> statement-breakpoint");
      for (const chunk of chunks) {
        const code = chunk.replace(/--.*$/gm, "").trim();
        expect(code, `${file} has an empty chunk`).not.toBe("");
        // A trigger's body is a list of statements, each ended by ";", inside the one CREATE TRIGGER.
        const outer = code.replace(/\bBEGIN\b[\s\S]*\bEND\b/, "BEGIN END");
        const statements = outer.split(";").filter((s) => s.trim() !== "");
        expect(statements, `${file}: ${code.slice(0, 80)}`).toHaveLength(1);
      }
    }
  });

  it("have journal timestamps that strictly increase", () => {
    const migrations = readMigrations(folder);
    expect(migrations.length).toBeGreaterThan(0);
    for (let i = 1; i < migrations.length; i++) {
      expect(migrations[i]!.createdAt).toBeGreaterThan(migrations[i - 1]!.createdAt);
    }
  });

  it("apply every migration to a fresh database and report each one", async () => {
    const { url } = await freshDatabase();
    const seen: string[] = [];
    const report = await migrate(url, { migrationsFolder: folder, onApplied: (m) => seen.push(m.tag) });
    const tags = readMigrations(folder).map((m) => m.tag);
    expect(report.applied.map((m) => m.tag)).toEqual(tags);
    expect(seen).toEqual(tags);
    expect(await migrationStatus(url, folder)).toEqual({ applied: tags, pending: [], unknown: [] });
  });

  it("do nothing when run again", async () => {
    const { url } = await freshDatabase();
    await migrate(url, { migrationsFolder: folder });
    const again = await migrate(url, { migrationsFolder: folder });
    expect(again.applied).toEqual([]);
    expect(await appliedRows(url)).toBe(readMigrations(folder).length);
  });

  it("apply exactly once when four run at the same time on a fresh database", async () => {
    const { url } = await freshDatabase();
    const reports = await Promise.all([1, 2, 3, 4].map(() => migrate(url, { migrationsFolder: folder })));
    const appliedCounts = reports.map((r) => r.applied.length).sort((a, b) => a - b);
    expect(appliedCounts).toEqual([0, 0, 0, readMigrations(folder).length]);
    expect(await appliedRows(url)).toBe(readMigrations(folder).length);
  });

  it("apply nothing when four run at the same time on an up-to-date database", async () => {
    const { url } = await freshDatabase();
    await migrate(url, { migrationsFolder: folder });
    const reports = await Promise.all([1, 2, 3, 4].map(() => migrate(url, { migrationsFolder: folder })));
    expect(reports.map((r) => r.applied.length)).toEqual([0, 0, 0, 0]);
    expect(await appliedRows(url)).toBe(readMigrations(folder).length);
  });

  it("refuse a pending migration older than the newest applied one", async () => {
    const { url } = await freshDatabase();
    await migrate(url, { migrationsFolder: folder });
    // A branch merged late: a migration dated before the newest applied one.
    const late = mkdtempSync(join(tmpdir(), "atbb-late-"));
    cpSync(folder, late, { recursive: true });
    const journalPath = join(late, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8"));
    const last = journal.entries.at(-1);
    writeFileSync(join(late, "9999_late.sql"), "CREATE TABLE late_table (id integer);");
    journal.entries.push({ ...last, idx: 99, tag: "9999_late", when: last.when - 1 });
    // Keep the journal itself ordered, so only the "older than applied" rule can object.
    journal.entries.sort((a: { when: number }, b: { when: number }) => a.when - b.when);
    writeFileSync(journalPath, JSON.stringify(journal));
    await expect(migrate(url, { migrationsFolder: late })).rejects.toThrow(/9999_late.*older than the newest applied/);
  });

  it("refuse a journal whose timestamps do not increase", () => {
    const broken = mkdtempSync(join(tmpdir(), "atbb-broken-"));
    cpSync(folder, broken, { recursive: true });
    const journalPath = join(broken, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8"));
    journal.entries.push({ ...journal.entries[0], idx: journal.entries.length, tag: journal.entries[0].tag });
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(() => readMigrations(broken)).toThrow(MigrationError);
    expect(() => readMigrations(broken)).toThrow(/out of order/);
  });
});
