import type { DatabaseHandle } from "@atbb/db";
import { createIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { JetstreamSource } from "../../src/source/jetstream.ts";
import { timeOf } from "./forum-events.ts";
import { FakeJetstream, type FakeFrame, type FakeJetstreamOptions } from "./jetstream-server.ts";

/** The largest readable time_us in a stream: where the cursor must end. */
export function finalCursor(messages: FakeFrame[]): number {
  let last = 0;
  for (const message of messages) {
    if (typeof message !== "string") continue;
    try {
      last = Math.max(last, timeOf(message));
    } catch {
      // hostile messages have none
    }
  }
  return last;
}

/**
 * Streams `messages` through a real WebSocket Jetstream into the indexer and
 * returns once the committed cursor covers the whole stream.
 */
export async function indexThroughJetstream(
  database: DatabaseHandle,
  forumDid: string,
  messages: FakeFrame[],
  options: FakeJetstreamOptions & { batchSize?: number; deadlineMs?: number } = {},
): Promise<{ indexer: Indexer; server: FakeJetstream }> {
  const server = await FakeJetstream.start(messages, options);
  const source = new JetstreamSource({ url: server.url, logger: silentLogger, backoffBaseMs: 5, backoffMaxMs: 20 });
  const indexer = createIndexer({
    database,
    forumDid,
    logger: silentLogger,
    batchSize: options.batchSize ?? 100,
    batchMaxWaitMs: 20,
  });
  const running = indexer.run(source);
  const target = finalCursor(messages);
  try {
    const deadline = Date.now() + (options.deadlineMs ?? 60_000);
    while ((indexer.status().cursor ?? 0) < target) {
      if (Date.now() > deadline)
        throw new Error(`indexer stuck at cursor ${indexer.status().cursor}, expected ${target}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await indexer.stop();
    await running;
    await server.stop();
  }
  return { indexer, server };
}
