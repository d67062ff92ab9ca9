// atBB's published record shapes (wrapped references with their $type, action
// tokens) and the older flat ones (bare strongRefs, short verbs) are both
// read, to the same forum; everything the project writes is published.
import { ids, isCollection, validatePublishedRecord, validateRecord } from "@atbb/lexicon";
import { createMigratedTestDatabase, dialect, migrationsFolders, type MigratedTestDatabase } from "@atbb/testing";
import { afterEach, describe, expect, it } from "vitest";
import { forumWorkload } from "../../bench/workload.ts";
import { createApp } from "../../src/api/app.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { silentLogger } from "../../src/logger.ts";
import { applyMessages } from "../support/apply-messages.ts";
import { everyGetPath } from "../support/api-paths.ts";
import { databaseSnapshot } from "../support/database-snapshot.ts";
import type { ForumStream } from "../support/forum-events.ts";
import { completeForum, sampleForum, sampleUsers } from "../support/sample-forum.ts";

let databases: MigratedTestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});

async function indexed(stream: ForumStream) {
  const database = await createMigratedTestDatabase();
  databases.push(database);
  const indexer = createIndexer({ database: database.handle, forumDid: stream.forumDid, logger: silentLogger });
  await applyMessages(indexer, stream.messages);
  const app = createApp({
    database: database.handle,
    logger: silentLogger,
    migrationsFolder: migrationsFolders[dialect],
    forumDid: stream.forumDid,
    indexer,
  });
  return { database, indexer, app };
}

/** The records of a stream's commits, with their collections. */
function recordsOf(stream: ForumStream) {
  return stream.messages.flatMap((message) => {
    const { commit } = JSON.parse(message) as { commit?: { collection: string; record?: unknown } };
    return commit?.record !== undefined && isCollection(commit.collection)
      ? [{ collection: commit.collection, record: commit.record }]
      : [];
  });
}

describe(`published and flat record shapes (${dialect})`, () => {
  it("index the same forum to the same API bodies: every collection, reference and action token", async () => {
    const [published, flat] = [completeForum("published"), completeForum("flat")];
    expect(flat.messages).not.toEqual(published.messages);
    const [a, b] = [await indexed(published), await indexed(flat)];

    const paths = await everyGetPath(a.app, sampleUsers.slice(0, 3));
    expect(paths.length).toBeGreaterThan(25);
    expect(await everyGetPath(b.app, sampleUsers.slice(0, 3))).toEqual(paths);
    for (const path of paths) {
      const [fromPublished, fromFlat] = [await a.app.request(path), await b.app.request(path)];
      expect([path, fromPublished.status]).toEqual([path, 200]);
      expect([path, await fromFlat.text()]).toEqual([path, await fromPublished.text()]);
    }
    expect(await databaseSnapshot(b.database.handle)).toEqual(await databaseSnapshot(a.database.handle));

    // The same, and right: every action took effect, stored by its short name.
    const json = async (path: string) => (await (await a.app.request(path)).json()) as any;
    expect((await json("/api/mod-actions")).modActions.map((action: any) => action.action)).toEqual([
      "unpin",
      "pin",
      "unban",
      "ban",
      "ban",
      "undelete",
      "delete",
      "delete",
      "unlock",
      "lock",
      "lock",
      "pin",
    ]);
    const [chat, news] = (await json("/api/categories")).categories.map((c: any) => c.boards[0]);
    const chatTopics = (await json(`/api/boards/${chat.id}/topics`)).topics;
    // Carol's topic moved to chat, and is hidden as she is banned.
    expect(chatTopics.map((t: any) => [t.title ?? t.hidden, t.locked])).toEqual([
      ["author_banned", false],
      ["Welcome", false],
    ]);
    expect((await json(`/api/boards/${news.id}/topics`)).topics.map((t: any) => [t.title, t.locked])).toEqual([
      ["Rules", true],
    ]);
    const welcome = await json(`/api/topics/${chatTopics[1].id}`);
    expect(welcome.replies.map((r: any) => [r.text, r.hidden])).toEqual([
      ["Hello!", null],
      [null, "removed_by_moderator"],
    ]);
    expect((await json(`/api/users/${sampleUsers[0]}`)).role).toMatchObject({ name: "Admin" });

    // Nothing rejected; the flat forms counted, by hand: 2 boards' categories, 3
    // memberships, 2 grants and 4 topic writes (forum and board) hold flat
    // references; the 2 replies' reply objects carry no $type; all 12 mod
    // actions use short verbs.
    expect(a.indexer.status()).toMatchObject({ rejected: {}, unpublishedForms: {} });
    expect(b.indexer.status()).toMatchObject({
      rejected: {},
      unpublishedForms: { flat_reference: 11, untyped_reference: 2, short_action: 12 },
    });
    const health = (await (await b.app.request("/api/health")).json()) as any;
    expect(health.indexer.unpublishedForms).toEqual({ flat_reference: 11, untyped_reference: 2, short_action: 12 });
  });

  it("reject a wrapped reference whose $type names another wrapper", async () => {
    const stream = completeForum("published");
    const message = stream.messages.findIndex((m) => m.includes('"space.atbb.post#boardRef"'));
    stream.messages[message] = stream.messages[message]!.replace(
      '"space.atbb.post#boardRef"',
      '"space.atbb.post#forumRef"',
    );
    const { indexer } = await indexed(stream);
    expect(indexer.status().rejected).toEqual({ invalid_record: 1 });
  });
});

describe("what the project writes", () => {
  const writers: [string, ForumStream][] = [
    ["the sample forum", sampleForum()],
    ["the complete forum", completeForum("published")],
    ["the bench workload", forumWorkload({ members: 60, topics: 40, replies: 400 })],
  ];
  for (const [name, stream] of writers) {
    it(`validates against atBB's published lexicons: ${name}`, () => {
      const records = recordsOf(stream);
      expect(records.length).toBeGreaterThan(25);
      const problems = records.flatMap(({ collection, record }) => {
        const result = validatePublishedRecord(collection, record);
        return result.ok ? [] : [`${collection}: ${result.reason}`];
      });
      expect(problems).toEqual([]);
    });
  }

  it("would fail that check in the flat shapes, which are still read", () => {
    const referencing = recordsOf(completeForum("flat")).filter(
      ({ collection }) => ![ids.forum, ids.category, ids.role].includes(collection as never),
    );
    expect(referencing.length).toBeGreaterThan(20);
    for (const { collection, record } of referencing) {
      expect(validatePublishedRecord(collection, record).ok, JSON.stringify(record)).toBe(false);
      expect(validateRecord(collection, record).ok).toBe(true);
    }
  });
});
