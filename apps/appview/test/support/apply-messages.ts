// Raw Jetstream messages through the real decoder and validator into the
// indexer, as one batch: how tests (and the bench) feed a ForumStream without
// a WebSocket. The indexer itself takes only validated events.
import type { CommitCandidate } from "../../src/events/index.ts";
import type { Indexer } from "../../src/indexer/indexer.ts";
import { jetstreamEvent } from "../../src/source/jetstream.ts";

export function applyMessages(indexer: Indexer, messages: string[]): Promise<void> {
  return indexer.applyEvents(messages.map((message) => jetstreamEvent(message, indexer.forumDid)));
}

/** What a local write applies: the record as the AppView sent it, with the uri and cid its PDS answered. */
export function localCandidate(message: string): CommitCandidate {
  const { did, commit } = JSON.parse(message) as {
    did: string;
    commit: Omit<CommitCandidate, "kind" | "timeUs" | "did">;
  };
  return {
    kind: "commit",
    timeUs: Date.now() * 1000,
    did,
    collection: commit.collection,
    rkey: commit.rkey,
    operation: commit.operation,
    cid: commit.cid,
    rev: commit.rev,
    record: commit.record,
  };
}
