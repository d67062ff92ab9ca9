// Raw Jetstream messages through the real decoder and validator into the
// indexer, as one batch: how tests (and the bench) feed a ForumStream without
// a WebSocket. The indexer itself takes only validated events.
import type { Indexer } from "../../src/indexer/indexer.ts";
import { jetstreamEvent } from "../../src/source/jetstream.ts";

export function applyMessages(indexer: Indexer, messages: string[]): Promise<void> {
  return indexer.applyEvents(messages.map((message) => jetstreamEvent(message, indexer.forumDid)));
}
