// Builds Jetstream v1 messages for a forum, deterministically: the same calls
// give the same TIDs, CIDs and timestamps. Tests, the API parity suite and the
// bench all speak the wire through this, in atBB's published record shapes
// (or, for the tests proving they are still read, the older flat ones).
import {
  ids,
  modActionToken,
  recordUri,
  toPublishedForm,
  type Collection,
  type ModActionKind,
  type RecordTypes,
  type StrongRef,
} from "@atbb/lexicon";
import { createHash } from "node:crypto";
import { toFlatForm } from "./flat-forms.ts";

const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const B32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A record key TID for a microsecond timestamp (AT Protocol's sortable base32). */
export function tid(timeUs: number, clockId = 0): string {
  let value = (BigInt(timeUs) << 10n) | BigInt(clockId & 1023);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = S32[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

/** A real CIDv1 (dag-cbor, sha2-256) of the content, base32-encoded. */
export function cidFor(content: unknown): string {
  const digest = createHash("sha256").update(JSON.stringify(content)).digest();
  const bytes = Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]);
  let bits = 0;
  let value = 0;
  let out = "b";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The CID a fixture gives a record: the hash of its flat form, so that the
 * same forum written in either shape has the same CIDs and its API bodies
 * can be compared byte for byte.
 */
export function recordCid<C extends Collection>(collection: C, record: RecordTypes[C]): string {
  return cidFor({ $type: collection, ...toFlatForm(collection, record) });
}

export type RecordShape = "published" | "flat";

export interface Written<C extends Collection = Collection> {
  uri: string;
  cid: string;
  rkey: string;
  did: string;
  collection: C;
  ref: StrongRef;
}

const isoAt = (timeUs: number) => new Date(Math.floor(timeUs / 1000)).toISOString();

/** Jetstream v1 messages as JSON text, each at the time (µs) it is given; the revision is that time's TID. */
export const jetstreamMessage = {
  commit: (
    did: string,
    timeUs: number,
    commit: { operation: string; collection: string; rkey: string; record: object; cid: string },
  ) =>
    JSON.stringify({
      did,
      time_us: timeUs,
      kind: "commit",
      commit: {
        rev: tid(timeUs),
        operation: commit.operation,
        collection: commit.collection,
        rkey: commit.rkey,
        record: commit.record,
        cid: commit.cid,
      },
    }),
  delete: (did: string, timeUs: number, collection: string, rkey: string) =>
    JSON.stringify({
      did,
      time_us: timeUs,
      kind: "commit",
      commit: { rev: tid(timeUs), operation: "delete", collection, rkey },
    }),
  identity: (did: string, timeUs: number, handle: string) =>
    JSON.stringify({
      did,
      time_us: timeUs,
      kind: "identity",
      identity: { did, handle, seq: timeUs, time: isoAt(timeUs) },
    }),
  account: (did: string, timeUs: number, active: boolean, status?: string) =>
    JSON.stringify({
      did,
      time_us: timeUs,
      kind: "account",
      account: { did, active, ...(status ? { status } : {}), seq: timeUs, time: isoAt(timeUs) },
    }),
};

/** A deterministic clock and message factory for one stream. */
export class ForumStream {
  readonly forumDid: string;
  readonly messages: string[] = [];
  readonly shape: RecordShape;
  #timeUs: number;
  #stepUs: number;

  /**
   * `stepUs`: time between events (Jetstream resumes 10 s early, so gaps matter in reconnect tests).
   * `shape`: records go out in atBB's published shape (the default) or the older flat one.
   */
  constructor(options: { forumDid?: string; startUs?: number; stepUs?: number; shape?: RecordShape } = {}) {
    this.forumDid = options.forumDid ?? "did:plc:forumforumforumforumaaaa";
    this.#timeUs = options.startUs ?? Date.UTC(2026, 10, 1) * 1000;
    this.#stepUs = options.stepUs ?? 1000;
    this.shape = options.shape ?? "published";
  }

  #tick(): number {
    this.#timeUs += this.#stepUs;
    return this.#timeUs;
  }

  isoNow(): string {
    return isoAt(this.#timeUs);
  }

  /** Appends a raw message (any string) — for hostile input. */
  raw(message: string): this {
    this.messages.push(message);
    return this;
  }

  commit<C extends Collection>(
    did: string,
    collection: C,
    record: RecordTypes[C],
    options: { rkey?: string; operation?: "create" | "update" } = {},
  ): Written<C> {
    const timeUs = this.#tick();
    const rkey = options.rkey ?? (collection === ids.forum ? "self" : tid(timeUs));
    const written = this.shape === "flat" ? toFlatForm(collection, record) : toPublishedForm(collection, record);
    const value = { $type: collection, ...written };
    const cid = recordCid(collection, record);
    this.messages.push(
      jetstreamMessage.commit(did, timeUs, {
        operation: options.operation ?? "create",
        collection,
        rkey,
        record: value,
        cid,
      }),
    );
    const uri = recordUri(did, collection, rkey);
    return { uri, cid, rkey, did, collection, ref: { uri, cid } };
  }

  update<C extends Collection>(written: Written<C>, record: RecordTypes[C]): Written<C> {
    return this.commit(written.did, written.collection, record, { rkey: written.rkey, operation: "update" });
  }

  remove(written: Pick<Written, "did" | "collection" | "rkey">): void {
    const timeUs = this.#tick();
    this.messages.push(jetstreamMessage.delete(written.did, timeUs, written.collection, written.rkey));
  }

  identity(did: string, handle: string): void {
    const timeUs = this.#tick();
    this.messages.push(jetstreamMessage.identity(did, timeUs, handle));
  }

  account(did: string, active: boolean, status?: string): void {
    const timeUs = this.#tick();
    this.messages.push(jetstreamMessage.account(did, timeUs, active, status));
  }

  // Forum vocabulary on top of commit().
  forum(name = "atBB Test Forum"): Written<typeof ids.forum> {
    return this.commit(this.forumDid, ids.forum, { name, description: "A forum for tests", createdAt: this.isoNow() });
  }
  category(name: string, sortOrder?: number): Written<typeof ids.category> {
    return this.commit(this.forumDid, ids.category, {
      name,
      ...(sortOrder === undefined ? {} : { sortOrder }),
      createdAt: this.isoNow(),
    });
  }
  board(category: Written, name: string, sortOrder?: number): Written<typeof ids.board> {
    return this.commit(this.forumDid, ids.board, {
      name,
      category: { $type: "space.atbb.forum.board#categoryRef", category: category.ref },
      ...(sortOrder === undefined ? {} : { sortOrder }),
      createdAt: this.isoNow(),
    });
  }
  role(name: string, permissions: string[], priority: number): Written<typeof ids.role> {
    return this.commit(this.forumDid, ids.role, { name, permissions, priority, createdAt: this.isoNow() });
  }
  join(did: string, forum: Written, role?: Written): Written<typeof ids.membership> {
    return this.commit(did, ids.membership, {
      forum: { $type: "space.atbb.membership#forumRef", forum: forum.ref },
      ...(role ? { role: { $type: "space.atbb.membership#roleRef", role: role.ref } } : {}),
      joinedAt: this.isoNow(),
      createdAt: this.isoNow(),
    });
  }
  /** The forum's grant of `role` to `did`, at the record key of the member's DID. */
  grant(did: string, role: Written): Written<typeof ids.roleAssignment> {
    return this.commit(
      this.forumDid,
      ids.roleAssignment,
      { did, role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: role.ref }, createdAt: this.isoNow() },
      { rkey: did },
    );
  }
  /** A topic; `forum` adds the post's forum reference (atBB's clients write one, it is optional). */
  topic(
    did: string,
    board: Written,
    title: string,
    text = `${title}: body`,
    forum?: Written,
  ): Written<typeof ids.post> {
    return this.commit(did, ids.post, {
      title,
      text,
      ...(forum ? { forum: { $type: "space.atbb.post#forumRef", forum: forum.ref } } : {}),
      board: { $type: "space.atbb.post#boardRef", board: board.ref },
      createdAt: this.isoNow(),
    });
  }
  /** A reply; `quote` names a post of the thread it quotes. */
  reply(did: string, root: Written, parent: Written, text: string, quote?: Written): Written<typeof ids.post> {
    return this.commit(did, ids.post, {
      text,
      reply: { $type: "space.atbb.post#replyRef", root: root.ref, parent: parent.ref },
      ...(quote ? { quote: { $type: "space.atbb.post#quoteRef", post: quote.ref } } : {}),
      createdAt: this.isoNow(),
    });
  }
  /** A mod action by its kind (ban, lock…), written as its token (space.atbb.modAction.ban). */
  modAction(
    action: ModActionKind,
    subject: { did: string } | { post: Written },
    extra: { reason?: string; expiresAt?: string } = {},
  ): Written<typeof ids.modAction> {
    const subjectValue = "did" in subject ? { did: subject.did } : { post: subject.post.ref };
    return this.commit(this.forumDid, ids.modAction, {
      action: modActionToken(action),
      subject: subjectValue,
      createdAt: this.isoNow(),
      ...extra,
    });
  }
}

/** The time_us of a message built by ForumStream. */
export const timeOf = (message: string): number => (JSON.parse(message) as { time_us: number }).time_us;
