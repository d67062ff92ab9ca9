import { describe, expect, it } from "vitest";
import { ids, isValidRecordKeyFor, parseRecordUri, validateRecord, isDid, isCid, isTid, isNsid } from "./index.ts";

const now = "2026-11-22T10:00:00.000Z";
const cid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
const ref = (collection: string, rkey = "3kabc2345abcd") => ({
  uri: `at://did:plc:forumaaaaaaaaaaaaaaaaaaa/${collection}/${rkey}`,
  cid,
});

const valid = {
  [ids.forum]: { name: "atBB", description: "A forum", createdAt: now },
  [ids.category]: { name: "General", sortOrder: 1, createdAt: now },
  [ids.board]: { name: "Chat", category: ref(ids.category), createdAt: now },
  [ids.role]: { name: "Moderator", permissions: ["space.atbb.permission.moderatePosts"], priority: 10, createdAt: now },
  [ids.post]: { text: "hello", title: "Hi", board: ref(ids.board), forum: ref(ids.forum, "self"), createdAt: now },
  [ids.membership]: { forum: ref(ids.forum, "self"), role: ref(ids.role), joinedAt: now, createdAt: now },
  [ids.modAction]: {
    action: "ban",
    subject: { did: "did:plc:trollaaaaaaaaaaaaaaaaaaa" },
    reason: "spam",
    createdAt: now,
  },
};

describe("validateRecord", () => {
  for (const [collection, record] of Object.entries(valid)) {
    it(`accepts a valid ${collection} record`, () => {
      expect(validateRecord(collection as keyof typeof valid, record)).toEqual({ ok: true, record });
    });
  }

  it("rejects a missing required field with the field's path", () => {
    const { text: _text, ...noText } = valid[ids.post];
    expect(validateRecord(ids.post, noText)).toEqual({ ok: false, reason: expect.stringMatching(/text/) });
    const { category: _category, ...noCategory } = valid[ids.board];
    expect(validateRecord(ids.board, noCategory)).toEqual({ ok: false, reason: expect.stringMatching(/category/) });
  });

  it("enforces length and grapheme limits", () => {
    expect(validateRecord(ids.post, { ...valid[ids.post], text: "x".repeat(3001) }).ok).toBe(false);
    expect(validateRecord(ids.post, { ...valid[ids.post], text: "x".repeat(3000) }).ok).toBe(true);
    expect(validateRecord(ids.post, { ...valid[ids.post], title: "t".repeat(301) }).ok).toBe(false);
    expect(validateRecord(ids.category, { ...valid[ids.category], name: "n".repeat(101) }).ok).toBe(false);
    expect(
      validateRecord(ids.role, { ...valid[ids.role], permissions: Array.from({ length: 101 }, () => "p") }).ok,
    ).toBe(false);
  });

  it("rejects hostile input without throwing", () => {
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      "post",
      [],
      [valid[ids.post]],
      true,
      { text: "x".repeat(1_000_000), createdAt: now },
      { text: 1, createdAt: now },
      { text: "ok", createdAt: "yesterday" },
      { text: "ok", createdAt: now, reply: { root: { uri: "not-a-uri", cid }, parent: ref(ids.post) } },
      {
        text: "ok",
        createdAt: now,
        board: { uri: "at://did:plc:forumaaaaaaaaaaaaaaaaaaa/space.atbb.forum.board/3kabc2345abcd", cid: "nope" },
      },
      JSON.parse(
        '{"__proto__": {"polluted": true}, "text": "ok", "createdAt": "2026-11-22T10:00:00.000Z", "title": 7}',
      ),
      { ...valid[ids.post], $type: "app.bsky.feed.post" },
    ];
    for (const value of hostile) {
      const result = validateRecord(ids.post, value);
      expect(result.ok, JSON.stringify(value)?.slice(0, 80)).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects a mod action subject that is not a DID", () => {
    expect(validateRecord(ids.modAction, { ...valid[ids.modAction], subject: { did: "troll" } }).ok).toBe(false);
  });
});

describe("identifier syntax", () => {
  it("parses record at-uris and refuses everything else", () => {
    expect(parseRecordUri("at://did:plc:abcb23aaaaaaaaaaaaaaaaaa/space.atbb.post/3kabc2345abcd")).toEqual({
      did: "did:plc:abcb23aaaaaaaaaaaaaaaaaa",
      collection: "space.atbb.post",
      rkey: "3kabc2345abcd",
    });
    for (const bad of [
      "at://did:plc:abcaaaaaaaaaaaaaaaaaaaaa",
      "https://x/y/z",
      "at://nodid/space.atbb.post/x",
      "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/notnsid/x",
      "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/space.atbb.post/a/b",
      5,
      null,
    ]) {
      expect(parseRecordUri(bad)).toBeNull();
    }
  });

  it("checks record keys against each collection's key type", () => {
    expect(isValidRecordKeyFor(ids.forum, "self")).toBe(true);
    expect(isValidRecordKeyFor(ids.forum, "3kabc2345abcd")).toBe(false);
    expect(isValidRecordKeyFor(ids.post, "3kabc2345abcd")).toBe(true);
    expect(isValidRecordKeyFor(ids.post, "self")).toBe(false);
    expect(isValidRecordKeyFor(ids.post, "../../etc")).toBe(false);
  });

  it("recognises DIDs, TIDs, NSIDs and CIDs", () => {
    expect([
      isDid("did:plc:abcaaaaaaaaaaaaaaaaaaaaa"),
      isDid("did:web:forum.example"),
      isDid("plc:abc"),
      isDid(7),
    ]).toEqual([true, true, false, false]);
    expect([isTid("3kabc2345abcd"), isTid("3kabc2345abc"), isTid("zzzzzzzzzzzzz")]).toEqual([true, false, false]);
    expect([isNsid("space.atbb.post"), isNsid("post")]).toEqual([true, false]);
    expect([isCid(cid), isCid("bafy"), isCid(null)]).toEqual([true, false, false]);
  });
});
