import type { DatabaseHandle } from "@atbb/db";
import type { Context } from "hono";
import type { ForumWriter } from "../../../forum-agent/writer.ts";
import type { MemberAccess } from "../../../login/access.ts";
import type { ModVerb } from "../../../moderation/actions.ts";
import { moderation, type ModTarget } from "../../../moderation/moderate.ts";
import { serializeModAction } from "../../bodies/mod-actions.ts";
import { BanRequest, ModerationRequest } from "../../bodies/moderation.ts";
import { ApiError } from "../../errors.ts";
import { requireMember } from "../../member.ts";
import { mount, resource } from "../../resource.ts";
import { parse } from "../../validation.ts";
import * as routes from "./routes.ts";

/** The body, which may be left out (every field is optional): none is {}. */
async function optionalBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_request", "The request's body must be JSON (or empty).");
  }
}

export function moderationRoutes(
  database: DatabaseHandle,
  forumDid: string | null,
  access: MemberAccess | null,
  forumWriter: (() => Promise<ForumWriter>) | null,
) {
  const app = resource();
  const moderating = moderation(database, forumDid, forumWriter);

  async function act(c: Context, verb: ModVerb, target: ModTarget) {
    const { did } = await requireMember(c, access);
    const input = parse(verb === "ban" ? BanRequest : ModerationRequest, await optionalBody(c));
    const { alreadyActive, modAction } = await moderating.act(did, verb, target, input);
    const body = { alreadyActive, modAction: modAction ? serializeModAction(modAction, new Date()) : null };
    return alreadyActive ? c.json(body, 200) : c.json(body, 201);
  }

  mount(app, routes.ban, (c, { params: { did } }) => act(c, "ban", { member: did }));
  mount(app, routes.unban, (c, { params: { did } }) => act(c, "unban", { member: did }));
  mount(app, routes.lock, (c, { params: { id } }) => act(c, "lock", { topicId: id }));
  mount(app, routes.unlock, (c, { params: { id } }) => act(c, "unlock", { topicId: id }));
  mount(app, routes.pin, (c, { params: { id } }) => act(c, "pin", { topicId: id }));
  mount(app, routes.unpin, (c, { params: { id } }) => act(c, "unpin", { topicId: id }));
  mount(app, routes.hide, (c, { params: { id } }) => act(c, "hide", { postId: id }));
  mount(app, routes.unhide, (c, { params: { id } }) => act(c, "unhide", { postId: id }));
  return app;
}
