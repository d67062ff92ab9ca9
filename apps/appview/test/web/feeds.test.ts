// The Atom feeds of a board and of a topic: well-formed XML (parsed here by
// an independent parser), holding the visible posts with absolute links,
// leaving hidden ones out, and carrying a post's markup only as escaped text.
import { createMigratedTestDatabase, dialect, type MigratedTestDatabase } from "@atbb/testing";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForumStream } from "../support/forum-events.ts";
import { sampleUsers } from "../support/sample-forum.ts";
import { seededApp } from "../support/seeded-app.ts";

const [alice, bob, carol] = sampleUsers as [string, string, string];
const HOSTILE = 'Hi <script>alert(1)</script> ]]> <![CDATA[ x ]]> & "quotes" [x](javascript:alert(1))';

/** Atom's text constructs of type "html": the parsed text is HTML, shown by a reader as a page would. */
interface Html {
  "#text": string;
  "@_type": "html";
}

interface Entry {
  title: Html;
  id: string;
  link: { "@_href": string };
  content: Html;
  author: { name: string };
}

describe(`the Atom feeds (${dialect})`, () => {
  let database: MigratedTestDatabase;
  let app: Awaited<ReturnType<typeof seededApp>>;
  const id = {} as Record<"talk" | "gone", string>;
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" });
  const feedOf = async (path: string) => {
    const response = await app.request(path);
    const xml = await response.text();
    expect(response.status, xml).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed as { title: string; id: string; entry?: Entry[] };
    return { xml, feed, entries: feed.entry ?? [] };
  };

  beforeAll(async () => {
    const s = new ForumStream();
    const forum = s.forum("Feed Forum");
    const chat = s.board(s.category("General", 1), "Chat & <Talk>", 1);
    const member = s.role("Member", ["space.atbb.permission.createTopics"], 100);
    for (const did of [alice, bob, carol]) {
      s.join(did, forum, member);
      s.grant(did, member);
    }
    const talk = s.topic(alice, chat, "A <b>bold</b> title", HOSTILE);
    s.reply(bob, talk, talk, "A **fine** reply");
    const rude = s.reply(bob, talk, talk, "Something rude");
    s.modAction("delete", { post: rude });
    s.reply(carol, talk, talk, "Carol was here");
    s.modAction("ban", { did: carol });
    const gone = s.topic(bob, chat, "Removed topic", "Never in a feed");
    s.modAction("delete", { post: gone });
    database = await createMigratedTestDatabase();
    app = await seededApp(database.handle, s, { pages: true });
    const { topics } = (await (await app.request("/api/boards/1/topics")).json()) as {
      topics: { id: string; hidden: string | null }[];
    };
    id.talk = topics.find((t) => t.hidden === null)!.id;
    id.gone = topics.find((t) => t.hidden !== null)!.id;
  });
  afterAll(async () => database?.drop());

  it("lists a board's visible topics, the text as escaped HTML, links absolute", async () => {
    const { xml, feed, entries } = await feedOf("/b/1/feed");
    expect(feed.title).toBe("Chat & <Talk> · Feed Forum");
    // The title's markup is text: escaped inside the HTML, so a reader shows "<b>" as typed.
    expect(entries.map((e) => e.title)).toEqual([{ "#text": "A &lt;b&gt;bold&lt;/b&gt; title", "@_type": "html" }]);
    const [talk] = entries as [Entry];
    expect(talk.link["@_href"]).toMatch(new RegExp(`^https?://[^/]+/t/${id.talk}$`));
    expect(talk.id).toMatch(new RegExp(`^https?://[^/]+/t/${id.talk}\\?post=${id.talk}$`));
    // Once parsed, the content is the page's safe HTML: the post's own markup is text in it.
    const content = talk.content["#text"];
    expect(content).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(content).toContain("]]&gt; &lt;![CDATA[ x ]]&gt;");
    expect(content).not.toContain("<script");
    expect(content).not.toContain('href="javascript:');
    // And nothing of the post is markup in the feed itself.
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("<b>");
    expect(xml).not.toContain("Never in a feed");
  });

  it("lists a topic's visible posts, newest first, without the removed or the banned author's", async () => {
    const { entries } = await feedOf(`/t/${id.talk}/feed`);
    expect(entries.map((e) => e.title["#text"])).toEqual([`#2 by ${bob}`, "A &lt;b&gt;bold&lt;/b&gt; title"]);
    expect(entries[0]!.content["#text"]).toContain("<strong>fine</strong>");
    expect(entries[0]!.link["@_href"]).toMatch(new RegExp(`/t/${id.talk}#2$`));
    const all = JSON.stringify(entries);
    expect(all).not.toContain("Something rude");
    expect(all).not.toContain("Carol was here");
  });

  it("is linked from the board and topic pages, and answers 404 for what does not exist", async () => {
    const board = await (await app.request("/b/1")).text();
    expect(board).toContain('<link rel="alternate" type="application/atom+xml" href="/b/1/feed"');
    const topic = await (await app.request(`/t/${id.talk}`)).text();
    expect(topic).toContain(`<link rel="alternate" type="application/atom+xml" href="/t/${id.talk}/feed"`);
    expect((await app.request("/b/99/feed")).status).toBe(404);
    expect((await app.request("/t/nope/feed")).status).toBe(404);
    expect((await app.request(`/t/${id.gone}/feed`)).status).toBe(200);
    expect((await feedOf(`/t/${id.gone}/feed`)).entries).toEqual([]);
  });
});
