// Indexing in a thread of its own (worker.ts), seen from the API's thread.
// libsql's local client runs each statement synchronously on the thread that
// calls it: in the API's thread, every indexer batch stalled every request for
// as long as it took. The indexer opens its own connection in its thread;
// WAL lets the API read beside it.
import { MessageChannel, Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import type { Verdict } from "../events/index.ts";
import type { IndexerStatus } from "../indexer/status.ts";
import type { Logger } from "../logger.ts";
import type { FromIndexing, IndexingThreadData, LocalWrite, ToIndexing } from "./messages.ts";
import type { Indexing } from "./run.ts";

/** How long a stopped thread has to end by itself before it is terminated. */
const EXIT_BOUND_MS = 3_000;

const NOT_STARTED: IndexerStatus = {
  connected: false,
  cursor: null,
  lagMs: null,
  applied: 0,
  rejected: {},
  unpublishedForms: {},
  ignoredRoleClaims: 0,
  failing: null,
};

/** The module the thread runs: the .ts source when atbb runs from its sources, else the compiled .js beside this one. */
function workerModule(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);
}

export function startIndexingThread(config: Config, forumDid: string, logger: Logger): Indexing {
  const channel = new MessageChannel();
  const data: IndexingThreadData = {
    config,
    forumDid,
    prettyLogs: Boolean(process.stdout.isTTY),
    localWrites: channel.port2,
  };
  const worker = new Worker(workerModule(), { workerData: data, transferList: [channel.port2] });
  let status = NOT_STARTED;
  let nextId = 0;
  const pending = new Map<number, { resolve: (verdict: Verdict) => void; reject: (error: Error) => void }>();
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<unknown>((resolve) => (fail = resolve));
  let stopped: (cursor: number | null) => void = () => {};
  const stoppedAt = new Promise<number | null>((resolve) => (stopped = resolve));
  let stopping = false;
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));

  worker.on("message", (message: FromIndexing) => {
    switch (message.kind) {
      case "status":
        status = message.status;
        return;
      case "applied":
        pending.get(message.id)?.resolve(message.verdict);
        pending.delete(message.id);
        return;
      case "apply-failed":
        pending.get(message.id)?.reject(new Error(message.error));
        pending.delete(message.id);
        return;
      case "failed":
        fail(new Error(message.error));
        return;
      case "stopped":
        stopped(message.cursor);
        return;
    }
  });
  worker.on("error", (error) => {
    logger.error({ err: error }, "the indexing thread failed");
    fail(error);
  });
  void exited.then((code) => {
    const gone = new Error(`the indexing thread exited (code ${code})`);
    for (const { reject } of pending.values()) reject(gone);
    pending.clear();
    if (!stopping) fail(gone);
    stopped(status.cursor);
  });

  return {
    status: () => status,
    applyLocal(candidate) {
      return new Promise<Verdict>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const write: LocalWrite = { id, candidate };
        channel.port1.postMessage(write);
      });
    },
    failure,
    async stop() {
      stopping = true;
      worker.postMessage({ kind: "stop" } satisfies ToIndexing);
      const cursor = await stoppedAt;
      const bound = setTimeout(() => void worker.terminate(), EXIT_BOUND_MS);
      await exited;
      clearTimeout(bound);
      channel.port1.close();
      return cursor;
    },
  };
}
