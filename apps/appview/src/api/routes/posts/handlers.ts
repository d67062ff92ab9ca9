import type { Context } from "hono";
import type { MemberAccess } from "../../../login/access.ts";
import { Refusal, type PostWriting, type Written } from "../../../writing/posts.ts";
import { NewReply, NewTopic, PostEdit } from "../../bodies/writing.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { parse } from "../../validation.ts";
import * as routes from "./routes.ts";

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new Refusal(400, "invalid_request", "The request's body must be JSON.");
  }
}

const answer = (written: Written) => ({ id: String(written.id), uri: written.uri, cid: written.cid });

/** `writing` is shared with the pages, so a member's writes count against one rate limit. */
export function postWriteRoutes(access: MemberAccess | null, writing: PostWriting | null) {
  const app = resource();
  /** The member and the writer, or a 401: without a forum there is no session either. */
  const member = async (c: Context) => ({ did: (await requireMember(c, access)).did, writing: writing! });

  mount(app, routes.createTopic, async (c) => {
    const { did, writing } = await member(c);
    const input = parse(NewTopic, await body(c));
    return c.json(answer(await writing.createTopic(did, input)), 201);
  });
  mount(app, routes.reply, async (c, { params: { id } }) => {
    const { did, writing } = await member(c);
    const input = parse(NewReply, await body(c));
    return c.json(answer(await writing.reply(did, id, input)), 201);
  });
  mount(app, routes.edit, async (c, { params: { id } }) => {
    const { did, writing } = await member(c);
    const input = parse(PostEdit, await body(c));
    return c.json(answer(await writing.edit(did, id, input)), 200);
  });
  mount(app, routes.remove, async (c, { params: { id }, query }) => {
    const { did, writing } = await member(c);
    await writing.remove(did, id, query);
    return c.body(null, 204) as never;
  });
  return app;
}
