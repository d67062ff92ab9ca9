import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { rejectionLog } from "../../src/indexer/rejection-log.ts";
import { applyMessages } from "../support/apply-messages.ts";

const databases: MigratedTestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

/** A real pino logger whose lines are kept, parsed. */
function capturingLogger() {
  const lines: { msg: string; reason?: string; suppressed?: number }[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe(`logging rejected events (${dialect})`, () => {
  it("logs ten of a thousand rejections of one reason in a minute, and counts all thousand", async () => {
    const database = await createMigratedTestDatabase();
    databases.push(database);
    const { logger, lines } = capturingLogger();
    const indexer = createIndexer({ database: database.handle, forumDid: "did:plc:forumforumforumforumaaaa", logger });
    await applyMessages(
      indexer,
      Array.from({ length: 1_000 }, (_, i) => `not json ${i}`),
    );
    expect(indexer.status().rejected).toEqual({ invalid_json: 1_000 });
    expect(lines.filter((line) => line.msg === "event rejected")).toHaveLength(10);
  });

  it("says how many were left out when the next minute starts, per reason", () => {
    const { logger, lines } = capturingLogger();
    let now = 0;
    const log = rejectionLog(logger, 2, () => now);
    const rejection = (reason: "invalid_json" | "invalid_rkey") => log({ reason, detail: "x", timeUs: null });
    for (let i = 0; i < 5; i++) rejection("invalid_json");
    rejection("invalid_rkey");
    now = 60_000;
    rejection("invalid_json");
    expect(lines.map((line) => [line.msg, line.reason, line.suppressed])).toEqual([
      ["event rejected", "invalid_json", undefined],
      ["event rejected", "invalid_json", undefined],
      ["event rejected", "invalid_rkey", undefined],
      ["more events rejected for this reason, not logged one by one", "invalid_json", 3],
      ["event rejected", "invalid_json", undefined],
    ]);
  });
});
