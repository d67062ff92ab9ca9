import { jsonToLex } from "@atproto/api";
import type { Event } from "@atproto/sync";
import { ids } from "@atbb/lexicon";
import { describe, expect, it } from "vitest";
import { listedCandidate } from "../../src/backfill/backfill.ts";
import { validate, type Verdict } from "../../src/events/index.ts";
import { firehoseCandidate } from "../../src/source/firehose.ts";
import { jetstreamEvent } from "../../src/source/jetstream.ts";
import { cidFor, ForumStream, tid } from "../support/forum-events.ts";

const alice = "did:plc:alicealicealicealiceaaaa";

const opOf = (verdict: Verdict) => {
  if (!verdict.ok) throw new Error(`rejected: ${verdict.rejection.reason}: ${verdict.rejection.detail}`);
  return verdict.op;
};

/** A write as @atproto/sync hands it over: decoded CBOR, links as CID objects. */
function firehoseEvent(message: string): Event {
  const { did, time_us: timeUs, kind, commit, account } = JSON.parse(message);
  const meta = { seq: 7, time: new Date(timeUs / 1000).toISOString(), did };
  if (kind === "account") return { ...meta, event: "account", active: account.active, status: account.status } as Event;
  if (kind === "identity") return { ...meta, event: "identity", handle: "alice.test" } as Event;
  const { operation, collection, rkey, cid, record, rev } = commit;
  if (operation === "delete") return { ...meta, event: "delete", collection, rkey, rev } as Event;
  return {
    ...meta,
    event: operation,
    collection,
    rkey,
    rev,
    cid: jsonToLex({ $link: cid }),
    record: jsonToLex(record),
  } as Event;
}

describe("the event contract", () => {
  it("gives the same operation for the same write, whichever source decoded it", () => {
    const s = new ForumStream();
    const board = s.board(s.category("General"), "Chat");
    const topic = s.topic(alice, board, "Hello");
    // An open union keeps fields the lexicon does not name; a link among them is CBOR's CID on the firehose.
    const linked = { ...JSON.parse(s.messages.at(-1)!).commit.record, attachment: { $link: cidFor("an attachment") } };
    const withLink = s.commit(alice, ids.post, linked, { rkey: topic.rkey, operation: "update" });
    s.remove(topic);
    s.account(alice, false, "takendown");
    s.identity(alice, "alice.test");

    for (const message of s.messages) {
      const fromJetstream = opOf(jetstreamEvent(message, s.forumDid).verdict);
      const fromFirehose = opOf(validate(firehoseCandidate(firehoseEvent(message))!, s.forumDid));
      expect(fromFirehose).toEqual(fromJetstream);
    }
    // Backfill lists what a repository holds now, dated by the listing, versioned by the revision read before it.
    const { commit } = JSON.parse(s.messages[3]!);
    const listed = opOf(
      validate(
        listedCandidate(alice, ids.post, { uri: withLink.uri, cid: commit.cid, value: commit.record }, commit.rev),
        s.forumDid,
      ),
    );
    const live = opOf(jetstreamEvent(s.messages[3]!, s.forumDid).verdict);
    expect({ ...listed, timeUs: 0 }).toEqual({ ...live, operation: "create", timeUs: 0 });
  });

  it("names a bad DID as the reason, whatever else is wrong with a Jetstream message", () => {
    const timeUs = Date.UTC(2026, 10, 1) * 1000;
    const reasonOf = (event: object) => {
      const { verdict } = jetstreamEvent(
        JSON.stringify({ time_us: timeUs, ...event }),
        "did:plc:forumforumforumforumaaaa",
      );
      return verdict.ok ? "accepted" : verdict.rejection.reason;
    };
    const nul = {
      operation: "create",
      collection: ids.post,
      rkey: tid(timeUs),
      cid: cidFor(1),
      record: { text: "\u0000", createdAt: "2026-01-01T00:00:00Z" },
    };
    expect([
      reasonOf({ did: "alice", kind: "mystery" }),
      reasonOf({ did: alice, kind: "mystery" }),
      reasonOf({ did: "alice", kind: "commit", commit: nul }),
      reasonOf({ did: alice, kind: "commit", commit: nul }),
      reasonOf({ did: "alice", kind: "identity", identity: "not an object" }),
      reasonOf({ did: alice, kind: "identity", identity: {} }),
    ]).toEqual([
      "invalid_envelope",
      "unknown_kind",
      "invalid_envelope",
      "invalid_record",
      "invalid_envelope",
      "accepted",
    ]);
  });
});
