// A bare indexer process for crash tests: follows JETSTREAM_URL into
// DATABASE_URL until killed. Run with `node --conditions=development`.
import { createDb } from "@atbb/db";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { JetstreamSource } from "../../src/source/jetstream.ts";

const { DATABASE_URL, FORUM_DID, JETSTREAM_URL, BATCH_SIZE } = process.env;
if (!DATABASE_URL || !FORUM_DID || !JETSTREAM_URL)
  throw new Error("DATABASE_URL, FORUM_DID and JETSTREAM_URL are required");
const database = await createDb(DATABASE_URL);
const indexer = createIndexer({
  database,
  forumDid: FORUM_DID,
  logger: silentLogger,
  batchSize: Number(BATCH_SIZE ?? 20),
  batchMaxWaitMs: 5,
});
process.stdout.write("ready\n");
await indexer.run(
  new JetstreamSource({ url: JETSTREAM_URL, logger: silentLogger, backoffBaseMs: 5, backoffMaxMs: 20 }),
);
