// The pages that write, all working without JavaScript: each form posts, and
// is answered with a redirect to what it changed, or with the form again,
// text kept and the reason beside its field. Every post must come from the
// forum's own origin and carry the session's form token.
import type { Context, Hono } from "hono";
import type { MemberActions, Outcome, Viewer, WebDeps } from "./deps.ts";
import { formPosts } from "./form-posts.tsx";
import { frameOf } from "./frame.ts";
import { BadRequestPage, NotFoundPage } from "./pages/problems.tsx";
import { type Draft, PREVIEW, type Problem, problemOf } from "./pages/compose.tsx";
import { LoginPage } from "./pages/login.tsx";
import { hiddenSentence } from "./pages/posts.tsx";
import { replyNumber, topicHref } from "./pages/topic.tsx";
import { DeletePage, EditPage, NewTopicPage, ReplyPage } from "./pages/writing.tsx";
import { idOf, TOPIC_PAGE_SIZE } from "./read-routes.tsx";
import type { StaticFiles } from "./static-files.ts";

export function writeRoutes(app: Hono, deps: WebDeps, members: MemberActions, files: StaticFiles): void {
  const { reads } = deps;
  const frame = (c: Context) => frameOf(c, deps, files);
  const page = async (c: Context, body: (f: Awaited<ReturnType<typeof frame>>) => unknown, status = 200) =>
    c.html(body(await frame(c)) as string, status as 200);
  const notFound = (c: Context, what: string) => page(c, (f) => <NotFoundPage frame={f} what={what} />, 404);
  const refused = (c: Context, status: number, message: string) =>
    page(c, (f) => <BadRequestPage frame={f} message={message} />, status);
  const toLogin = (c: Context) => c.redirect("/login", 303);

  const poster = formPosts(deps, members, files);
  async function reader(c: Context): Promise<Viewer | Response> {
    return (await members.viewer(c)) ?? toLogin(c);
  }
  const whyNot = (outcome: Outcome<object> & { ok: false }) => problemOf(outcome.message);

  app.get("/login", async (c) => {
    const handle = c.req.query("handle");
    if (handle === undefined) return page(c, (f) => <LoginPage frame={f} handle="" problem={null} />);
    const started = await members.startLogin(handle);
    if (started.ok) return c.redirect(started.url, 302);
    return page(c, (f) => <LoginPage frame={f} handle={handle} problem={started.message} />, started.status);
  });

  app.post("/logout", async (c) => {
    const posted = await poster(c);
    if (posted instanceof Response) return posted;
    await members.logout(c);
    return c.redirect("/", 303);
  });

  app.get("/b/:id/new", async (c) => {
    const id = idOf(c.req.param("id"));
    const board = id === null ? null : await reads.board(id, 0, 0);
    if (!board) return notFound(c, "There is no such board.");
    const viewer = await reader(c);
    if (viewer instanceof Response) return viewer;
    return page(c, (f) => (
      <NewTopicPage frame={f} board={board.board} members={members} draft={{ title: "", text: "" }} problem={null} />
    ));
  });

  app.post("/b/:id/new", async (c) => {
    const id = idOf(c.req.param("id"));
    const board = id === null ? null : await reads.board(id, 0, 0);
    if (id === null || !board) return notFound(c, "There is no such board.");
    const posted = await poster(c);
    if (posted instanceof Response) return posted;
    const draft = { title: posted.form.title ?? "", text: posted.form.text ?? "" };
    if (posted.form[PREVIEW])
      return page(c, (f) => (
        <NewTopicPage frame={f} board={board.board} members={members} draft={draft} problem={null} preview={draft} />
      ));
    const written = await members.createTopic(posted.viewer.did, { boardId: id, ...draft });
    if (written.ok) return c.redirect(topicHref(String(written.id)), 303);
    return page(
      c,
      (f) => <NewTopicPage frame={f} board={board.board} members={members} draft={draft} problem={whyNot(written)} />,
      written.status,
    );
  });

  app.post("/t/:id/reply", async (c) => {
    const id = idOf(c.req.param("id"));
    const topic = id === null ? null : await reads.topic(id, 0, 0);
    if (id === null || !topic) return notFound(c, "There is no such topic.");
    const posted = await poster(c);
    if (posted instanceof Response) return posted;
    const draft = { text: posted.form.text ?? "" };
    const title = topic.topic.title ?? hiddenSentence(topic.topic.hidden);
    const sent = posted.form.quoteId;
    const quoteId = sent === undefined || sent === "" ? undefined : idOf(sent);
    if (quoteId === null) return refused(c, 400, `The post to quote (${sent}) is not a post id: open the topic again.`);
    const quote = quoteId === undefined ? null : await reads.threadPost(id, quoteId);
    const again = (problem: Problem | null, preview: Draft | null, status: number) =>
      page(
        c,
        (f) => (
          <ReplyPage
            frame={f}
            topic={{ id: String(id), title }}
            members={members}
            draft={draft}
            problem={problem}
            quote={quote}
            preview={preview}
          />
        ),
        status,
      );
    if (posted.form[PREVIEW]) return again(null, draft, 200);
    const written = await members.reply(posted.viewer.did, id, {
      ...draft,
      ...(quoteId === undefined ? {} : { quoteId }),
    });
    if (written.ok) {
      // The new reply is the topic's latest: its page is the last one.
      const after = await reads.topic(id, 0, 0);
      const total = after?.total ?? topic.total + 1;
      const last = Math.max(1, Math.ceil(total / TOPIC_PAGE_SIZE));
      return c.redirect(`${topicHref(String(id), last)}#${replyNumber(total - 1)}`, 303);
    }
    return again(whyNot(written), null, written.status);
  });

  app.get("/t/:id/reply", async (c) => {
    const id = idOf(c.req.param("id"));
    const topic = id === null ? null : await reads.topic(id, 0, 0);
    if (id === null || !topic) return notFound(c, "There is no such topic.");
    const viewer = await reader(c);
    if (viewer instanceof Response) return viewer;
    if (topic.topic.locked) return refused(c, 409, "This topic is locked: no more replies.");
    const asked = c.req.query("quote");
    const quoteId = asked === undefined ? undefined : idOf(asked);
    const quote = quoteId === undefined || quoteId === null ? null : await reads.threadPost(id, quoteId);
    if (asked !== undefined && !quote) return notFound(c, "There is no such post in this topic to quote.");
    if (quote && quote.hidden !== null) return refused(c, 400, `${hiddenSentence(quote.hidden)} It cannot be quoted.`);
    const title = topic.topic.title ?? hiddenSentence(topic.topic.hidden);
    return page(c, (f) => (
      <ReplyPage
        frame={f}
        topic={{ id: String(id), title }}
        members={members}
        draft={{ text: "" }}
        problem={null}
        quote={quote}
      />
    ));
  });

  /** The member's own post, or the page that says why it cannot be changed. */
  async function ownPost(c: Context, viewer: Viewer) {
    const id = idOf(c.req.param("id"));
    const post = id === null ? null : await reads.ownPost(id);
    if (!post) return notFound(c, "There is no such post.");
    if (post.did !== viewer.did) return refused(c, 403, "You can only change your own posts.");
    return post;
  }

  app.get("/p/:id/edit", async (c) => {
    const viewer = await reader(c);
    if (viewer instanceof Response) return viewer;
    const post = await ownPost(c, viewer);
    if (post instanceof Response) return post;
    const draft = { title: post.title ?? "", text: post.text };
    return page(c, (f) => <EditPage frame={f} post={post} members={members} draft={draft} problem={null} />);
  });

  app.post("/p/:id/edit", async (c) => {
    const posted = await poster(c);
    if (posted instanceof Response) return posted;
    const post = await ownPost(c, posted.viewer);
    if (post instanceof Response) return post;
    const draft = { title: posted.form.title ?? "", text: posted.form.text ?? "" };
    if (posted.form[PREVIEW])
      return page(c, (f) => (
        <EditPage frame={f} post={post} members={members} draft={draft} problem={null} preview={draft} />
      ));
    const written = await members.edit(posted.viewer.did, Number(post.id), {
      cid: posted.form.cid ?? "",
      text: draft.text,
      ...(post.isTopic ? { title: draft.title } : {}),
    });
    if (written.ok) return c.redirect(topicHref(post.topicId), 303);
    return page(
      c,
      (f) => <EditPage frame={f} post={post} members={members} draft={draft} problem={whyNot(written)} />,
      written.status,
    );
  });

  app.get("/p/:id/delete", async (c) => {
    const viewer = await reader(c);
    if (viewer instanceof Response) return viewer;
    const post = await ownPost(c, viewer);
    if (post instanceof Response) return post;
    return page(c, (f) => <DeletePage frame={f} post={post} problem={null} />);
  });

  app.post("/p/:id/delete", async (c) => {
    const posted = await poster(c);
    if (posted instanceof Response) return posted;
    const post = await ownPost(c, posted.viewer);
    if (post instanceof Response) return post;
    const removed = await members.remove(posted.viewer.did, Number(post.id), { cid: posted.form.cid ?? "" });
    if (removed.ok) return c.redirect(topicHref(post.topicId), 303);
    return page(c, (f) => <DeletePage frame={f} post={post} problem={whyNot(removed)} />, removed.status);
  });
}
