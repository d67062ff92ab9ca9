import { describe, expect, it } from "vitest";
import {
  boardRefOf,
  categoryRefOf,
  forumRefOf,
  ids,
  isValidRecordKeyFor,
  modActionKindOf,
  roleRefOf,
  toPublishedForm,
  unpublishedFormsOf,
  validatePublishedRecord,
  validateRecord,
} from "../src/index.ts";

const now = "2026-11-22T10:00:00.000Z";
const cid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
const ref = (collection: string, rkey = "3kabc2345abcd") => ({
  uri: `at://did:plc:forumaaaaaaaaaaaaaaaaaaa/${collection}/${rkey}`,
  cid,
});
const forum = ref(ids.forum, "self");
const board = ref(ids.board);
const role = ref(ids.role);

/** One record of every collection in atBB's published form. */
const published = {
  [ids.forum]: { $type: ids.forum, name: "atBB", description: "A forum", createdAt: now },
  [ids.category]: { $type: ids.category, name: "General", slug: "general", sortOrder: 1, createdAt: now },
  [ids.board]: {
    $type: ids.board,
    name: "Chat",
    slug: "chat",
    category: { $type: "space.atbb.forum.board#categoryRef", category: ref(ids.category) },
    createdAt: now,
  },
  [ids.role]: {
    $type: ids.role,
    name: "Moderator",
    permissions: ["space.atbb.permission.moderatePosts"],
    priority: 10,
    createdAt: now,
  },
  [ids.roleAssignment]: {
    $type: ids.roleAssignment,
    did: "did:plc:aliceaaaaaaaaaaaaaaaaaaa",
    role: { $type: "space.atbb.forum.roleAssignment#roleRef", role },
    createdAt: now,
  },
  [ids.post]: {
    $type: ids.post,
    text: "hello",
    title: "Hi",
    forum: { $type: "space.atbb.post#forumRef", forum },
    board: { $type: "space.atbb.post#boardRef", board },
    createdAt: now,
  },
  [ids.membership]: {
    $type: ids.membership,
    forum: { $type: "space.atbb.membership#forumRef", forum },
    role: { $type: "space.atbb.membership#roleRef", role },
    joinedAt: now,
    createdAt: now,
  },
  [ids.modAction]: {
    $type: ids.modAction,
    action: "space.atbb.modAction.ban",
    subject: { did: "did:plc:trollaaaaaaaaaaaaaaaaaaa" },
    createdBy: "did:plc:modaaaaaaaaaaaaaaaaaaaaa",
    createdAt: now,
  },
};
const reply = {
  $type: ids.post,
  text: "re",
  reply: { $type: "space.atbb.post#replyRef", root: ref(ids.post), parent: ref(ids.post, "3kabc2345abce") },
  createdAt: now,
};

describe("atBB's published record form", () => {
  for (const [collection, record] of Object.entries(published)) {
    it(`is what ${collection} validates as, written and read, and unchanged by toPublishedForm`, () => {
      const c = collection as keyof typeof published;
      expect(validatePublishedRecord(c, record)).toEqual({ ok: true, record });
      expect(validateRecord(c, record)).toEqual({ ok: true, record });
      expect(unpublishedFormsOf(c, record)).toEqual([]);
      expect(toPublishedForm(c, record as never)).toEqual(record);
    });
  }

  it("takes every mod action token, ours (pin, unpin) included", () => {
    for (const kind of ["ban", "unban", "lock", "unlock", "delete", "undelete", "pin", "unpin"]) {
      const subject = kind.endsWith("ban") ? { did: "did:plc:trollaaaaaaaaaaaaaaaaaaa" } : { post: ref(ids.post) };
      const record = { ...published[ids.modAction], action: `space.atbb.modAction.${kind}`, subject };
      expect(validatePublishedRecord(ids.modAction, record).ok).toBe(true);
      expect(modActionKindOf(record)).toBe(kind);
    }
    expect(modActionKindOf({ action: "space.atbb.modAction.frobnicate" })).toBeNull();
    expect(modActionKindOf({ action: "frobnicate" })).toBeNull();
  });

  it("keeps what this AppView writes within the published limits, and reads more", () => {
    const post = published[ids.post];
    const long = { ...post, text: "x".repeat(301) };
    expect(validatePublishedRecord(ids.post, long)).toMatchObject({ ok: false, reason: expect.stringMatching(/text/) });
    expect(validateRecord(ids.post, long).ok).toBe(true);
    expect(validatePublishedRecord(ids.post, { ...post, text: "x".repeat(300) }).ok).toBe(true);
    expect(validatePublishedRecord(ids.post, { ...post, title: "t".repeat(121) }).ok).toBe(false);
    expect(validateRecord(ids.post, { ...post, title: "t".repeat(121) }).ok).toBe(true);
    // The published forum name is longer than this AppView's old limit of 100 graphemes.
    expect(validatePublishedRecord(ids.forum, { ...published[ids.forum], name: "n".repeat(300) }).ok).toBe(true);
    expect(validatePublishedRecord(ids.forum, { ...published[ids.forum], name: "n".repeat(301) }).ok).toBe(false);
    expect(validateRecord(ids.category, { ...published[ids.category], slug: "s".repeat(101) }).ok).toBe(false);
  });

  it("rejects a wrapped reference whose $type is another wrapper's, read or written", () => {
    const mistyped = { ...published[ids.post], board: { $type: "space.atbb.post#forumRef", board } };
    expect(validateRecord(ids.post, mistyped)).toEqual({
      ok: false,
      reason: "board.$type must be space.atbb.post#boardRef",
    });
    expect(validatePublishedRecord(ids.post, mistyped).ok).toBe(false);
  });

  it("keys a role grant by the member's DID", () => {
    expect(isValidRecordKeyFor(ids.roleAssignment, "did:plc:aliceaaaaaaaaaaaaaaaaaaa")).toBe(true);
    expect(isValidRecordKeyFor(ids.roleAssignment, "did:web:forum.example")).toBe(true);
    expect(isValidRecordKeyFor(ids.roleAssignment, "3kabc2345abcd")).toBe(false);
    expect(isValidRecordKeyFor(ids.roleAssignment, "self")).toBe(false);
    expect(validateRecord(ids.roleAssignment, { ...published[ids.roleAssignment], did: "alice" }).ok).toBe(false);
  });
});

describe("the older flat form", () => {
  const flat = {
    post: { text: "hello", forum, board, createdAt: now },
    reply: { text: "re", reply: { root: ref(ids.post), parent: ref(ids.post, "3kabc2345abce") }, createdAt: now },
    board: { name: "Chat", category: ref(ids.category), createdAt: now },
    membership: { forum, role, createdAt: now },
    grant: { did: "did:plc:aliceaaaaaaaaaaaaaaaaaaa", role, createdAt: now },
    ban: { action: "ban", subject: { did: "did:plc:trollaaaaaaaaaaaaaaaaaaa" }, createdAt: now },
  };

  it("is read, record as it came, and named by its forms", () => {
    expect(validateRecord(ids.post, flat.post)).toEqual({ ok: true, record: flat.post });
    expect(unpublishedFormsOf(ids.post, flat.post)).toEqual(["flat_reference"]);
    expect(unpublishedFormsOf(ids.post, flat.reply)).toEqual(["untyped_reference"]);
    expect(unpublishedFormsOf(ids.board, flat.board)).toEqual(["flat_reference"]);
    expect(unpublishedFormsOf(ids.membership, flat.membership)).toEqual(["flat_reference"]);
    expect(unpublishedFormsOf(ids.roleAssignment, flat.grant)).toEqual(["flat_reference"]);
    expect(unpublishedFormsOf(ids.modAction, flat.ban)).toEqual(["short_action"]);
    // A record may mix forms: each is named once.
    const mixed = { ...flat.post, board: { board }, reply: flat.reply.reply };
    expect(unpublishedFormsOf(ids.post, mixed)).toEqual(["flat_reference", "untyped_reference"]);
  });

  it("resolves to the same references as the published form", () => {
    expect([forumRefOf(flat.post), boardRefOf(flat.post)]).toEqual([forum, board]);
    expect([forumRefOf(published[ids.post]), boardRefOf(published[ids.post])]).toEqual([forum, board]);
    expect(categoryRefOf(flat.board)).toEqual(categoryRefOf(published[ids.board]));
    expect([forumRefOf(flat.membership), roleRefOf(flat.membership)]).toEqual([forum, role]);
    expect(roleRefOf(published[ids.membership])).toEqual(role);
    expect(roleRefOf(flat.grant)).toEqual(roleRefOf(published[ids.roleAssignment]));
    expect(boardRefOf({})).toBeUndefined();
    expect(modActionKindOf(flat.ban)).toBe("ban");
  });

  it("becomes the published form through toPublishedForm, which is then written", () => {
    expect(toPublishedForm(ids.post, { $type: ids.post, ...flat.post })).toEqual({
      ...published[ids.post],
      title: undefined,
    });
    expect(toPublishedForm(ids.post, { $type: ids.post, ...flat.reply })).toEqual(reply);
    expect(toPublishedForm(ids.modAction, flat.ban).action).toBe("space.atbb.modAction.ban");
    for (const [collection, record] of [
      [ids.post, flat.post],
      [ids.board, flat.board],
      [ids.membership, flat.membership],
      [ids.roleAssignment, flat.grant],
      [ids.modAction, flat.ban],
    ] as const) {
      expect(validatePublishedRecord(collection, record).ok).toBe(false);
      expect(validatePublishedRecord(collection, toPublishedForm(collection, record as never))).toMatchObject({
        ok: true,
      });
    }
  });

  it("leaves hostile values for the lexicon to reject", () => {
    for (const board of ["at://x", 7, null, [], { board: "nope" }, { uri: "not-a-uri", cid }]) {
      expect(validateRecord(ids.post, { text: "x", board, createdAt: now }).ok, JSON.stringify(board)).toBe(false);
    }
    expect(validateRecord(ids.modAction, { ...flat.ban, action: 5 }).ok).toBe(false);
  });
});
