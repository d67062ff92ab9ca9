// The indexing thread's body (started by thread.ts): its own database
// connection, so that SQLite's synchronous work — libsql runs each statement
// on the calling thread — blocks this thread's event loop, never the API's.
import "../load-hooks.ts";
import { parentPort, receiveMessageOnPort, threadId, workerData } from "node:worker_threads";
import type { FromIndexing, IndexingThreadData, LocalWrite, ToIndexing } from "./messages.ts";

const STATUS_EVERY_MS = 250;

// Loaded after the hooks (a static import would be resolved before they are registered).
const [{ createDb }, { createLogger }, { startIndexing }, { describeError }] = await Promise.all([
  import("@atbb/db"),
  import("../logger.ts"),
  import("./run.ts"),
  import("../indexer/write-errors.ts"),
]);

const parent = parentPort!;
const { config, forumDid, prettyLogs, localWrites } = workerData as IndexingThreadData;
const tell = (message: FromIndexing) => parent.postMessage(message);
const logger = createLogger(config.logLevel, prettyLogs);
const database = await createDb(config.databaseUrl, { create: false });
logger.info({ thread: threadId }, "indexing in a thread of its own");

let applyLocalWrite: (write: LocalWrite) => Promise<void> = async () => {};
const running = await startIndexing(config, forumDid, database, logger, {
  // Local writes that came while a batch was written go first: each waits for one batch at most.
  async betweenBatches() {
    const waiting: Promise<void>[] = [];
    for (let next = receiveMessageOnPort(localWrites); next; next = receiveMessageOnPort(localWrites))
      waiting.push(applyLocalWrite(next.message as LocalWrite));
    await Promise.all(waiting);
    reportStatus();
  },
});
const { indexer } = running;
applyLocalWrite = async ({ id, candidate }) => {
  try {
    tell({ kind: "applied", id, verdict: await indexer.applyLocal(candidate) });
  } catch (error) {
    tell({ kind: "apply-failed", id, error: describeError(error) });
  }
  reportStatus();
};
// While the indexer waits for events, writes are taken as they come.
localWrites.on("message", (write: LocalWrite) => void applyLocalWrite(write));

function reportStatus() {
  tell({ kind: "status", status: indexer.status() });
}
const statusTimer = setInterval(reportStatus, STATUS_EVERY_MS);
reportStatus();

void running.failure.then((error) => tell({ kind: "failed", error: describeError(error) }));

parent.on("message", (message: ToIndexing) => {
  if (message.kind !== "stop") return;
  void (async () => {
    await running.stop();
    clearInterval(statusTimer);
    reportStatus();
    tell({ kind: "stopped", cursor: indexer.status().cursor });
    localWrites.close();
    parent.close();
    await database.close();
  })();
});
