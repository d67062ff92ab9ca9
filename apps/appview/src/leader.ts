// With PostgreSQL several AppViews may serve one database, but only one may
// index. The indexer runs while this process holds a session-level advisory
// lock on a dedicated connection; if that connection (or the process) dies,
// PostgreSQL releases the lock and another process takes over.
import { postgresClient } from "@atbb/db";
import type { Logger } from "./logger.ts";

export const INDEXER_LOCK_KEY = 0x61746263; // "atbc": distinct from the migration lock

export interface Leadership {
  /** Resolves when this process becomes the leader; rejects only when stopped. */
  acquired: Promise<void>;
  /** Resolves if leadership is lost (lock connection broken). */
  lost: Promise<void>;
  release(): Promise<void>;
}

export function electLeader(url: string, logger: Logger, retryMs = 2000): Leadership {
  const sql = postgresClient(url, { max: 1, idle_timeout: 0, max_lifetime: null });
  let stopped = false;
  let markLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  const acquired = (async () => {
    let waitingLogged = false;
    while (!stopped) {
      try {
        const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(${INDEXER_LOCK_KEY}) as locked`;
        if (row?.locked) {
          logger.info("this process is the indexer (leader)");
          void watch();
          return;
        }
        if (!waitingLogged) logger.info("another process is indexing; serving only, standing by");
        waitingLogged = true;
      } catch (error) {
        logger.warn({ err: (error as Error).message }, "leader election query failed; retrying");
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    throw new Error("stopped");
  })();

  // Losing the lock's connection means losing the lock: poll it cheaply.
  async function watch() {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      try {
        await sql`select 1`;
      } catch {
        if (!stopped) logger.error("lost the indexer lock connection; stopping indexing");
        markLost();
        return;
      }
    }
  }

  return {
    acquired,
    lost,
    async release() {
      stopped = true;
      await sql.end({ timeout: 2 }).catch(() => {});
    },
  };
}
