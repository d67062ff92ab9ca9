// The pages' cost, in-process: the page of a topic of 50 replies (the issue
// asks for "a few milliseconds" server-side) asked one request after another, by a
// reader and by a logged-in member (whose page also reads and writes their
// read marks), reads and rendering included, HTTP excluded (no socket: the
// app answers app.request). And what the pages' CSS and JS weigh, compressed
// as served. Loaded by run.ts after the load hook that compiles the pages' .tsx.
import type { DatabaseHandle } from "@atbb/db";
import { ForumStream } from "../test/support/forum-events.ts";
import { memberApp } from "../test/support/member-app.ts";
import { sessionCookieFor } from "../test/support/member-session.ts";
import { sampleUsers } from "../test/support/sample-forum.ts";

const REPLIES = 50;
const WARM_UP = 50;
const MEASURED = 500;

export interface PagesResult {
  replies: number;
  requests: number;
  reader: { p50Ms: number; p99Ms: number; meanMs: number };
  member: { p50Ms: number; p99Ms: number; meanMs: number };
  /** The stylesheet and scripts of a topic page, gzip as served. */
  cssAndJsGzipBytes: number;
}

export async function measurePages(database: DatabaseHandle): Promise<PagesResult> {
  const [alice, bob] = sampleUsers as [string, string];
  const s = new ForumStream();
  const forum = s.forum("Bench Forum");
  const board = s.board(s.category("General", 1), "Chat", 1);
  const member = s.role("Member", ["space.atbb.permission.createPosts"], 100);
  for (const did of [alice, bob]) {
    s.join(did, forum, member);
    s.grant(did, member);
  }
  const topic = s.topic(bob, board, "Fifty replies", "The **opening** post, with [a link](https://example.org).");
  for (let n = 1; n <= REPLIES; n++)
    s.reply(n % 2 ? alice : bob, topic, topic, `Reply *${n}*: some text\n\n- a list\n- of two\n\n> and a quote`);
  const pages = await memberApp(database, s);
  try {
    const cookie = await sessionCookieFor(database, alice);
    const { topics } = (await (await pages.app.request("/api/boards/1/topics")).json()) as { topics: { id: string }[] };
    // The thread's first page: the opening post and 20 of the 50 replies (the pages' size).
    const path = `/t/${topics[0]!.id}`;
    const time = async (headers: Record<string, string>) => {
      const ms: number[] = [];
      for (let i = 0; i < WARM_UP + MEASURED; i++) {
        const start = performance.now();
        const response = await pages.app.request(path, { headers });
        await response.text();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        if (i >= WARM_UP) ms.push(performance.now() - start);
      }
      ms.sort((a, b) => a - b);
      const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
      return { p50Ms: at(0.5), p99Ms: at(0.99), meanMs: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2) };
    };
    const html = await (await pages.app.request(path)).text();
    let cssAndJsGzipBytes = 0;
    for (const [, asset] of html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)) {
      const response = await pages.app.request(asset!, { headers: { "accept-encoding": "gzip" } });
      cssAndJsGzipBytes += (await response.arrayBuffer()).byteLength;
    }
    return {
      replies: REPLIES,
      requests: MEASURED,
      reader: await time({}),
      member: await time({ cookie }),
      cssAndJsGzipBytes,
    };
  } finally {
    await pages.close();
  }
}
