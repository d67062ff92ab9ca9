// `atbb mod …`: moderation actions, written by the forum account as
// space.atbb.modAction records (src/moderation/actions.ts builds them, as it
// does for moderators' routes). The operator acts as the forum itself: the
// records name no moderator.
import { ids, isAtUri, parseRecordUri } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import {
  actsOnMember,
  indexedPost,
  isModVerb,
  MOD_VERBS,
  modActionRecord,
  type PostRef,
} from "../../moderation/actions.ts";
import { UsageError } from "../usage-error.ts";
import { needs, parseCommand } from "./args.ts";
import { Refusal, withOperator, type Operator } from "./operator.ts";

export const MOD_HELP = `Usage: atbb mod <action> <subject> [--reason <text>] [--expires <when>] [--json]

  atbb mod ban <member> [--expires <when>]   Ban a member (handle or DID); --expires ends it
  atbb mod unban <member>
  atbb mod lock|unlock <post>                Close a topic to replies, or open it again
  atbb mod hide|unhide <post>                Hide a post from the forum, or show it again
  atbb mod pin|unpin <post>                  Pin a topic to the top of its board, or unpin it

<post> is the post's AT-URI (at://did/space.atbb.post/rkey) or its id in the
API. <when> is an ISO 8601 date and time, or a duration from now: 30m, 12h,
7d. --reason is shown in the public moderation log.

Exit codes: 0 done, 1 the PDS failed, 2 usage, 4 login refused, 5 refused (no such post, not valid).`;

/** An ISO date-time, or a duration from now (30m, 12h, 7d), as ISO. */
export function expiryOf(value: string, now = Date.now()): string {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration)
    return new Date(
      now + Number(duration[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as "m" | "h" | "d"],
    ).toISOString();
  const at = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(at))
    throw new UsageError(`--expires must be an ISO 8601 date-time or a duration such as 7d, not "${value}"`, "mod");
  if (at <= now) throw new UsageError(`--expires ${value} is in the past`, "mod");
  return new Date(at).toISOString();
}

async function postRef({ database }: Operator, post: string): Promise<PostRef> {
  const { posts } = database.schema;
  const where = /^\d{1,16}$/.test(post)
    ? eq(posts.id, Number(post))
    : isAtUri(post) && parseRecordUri(post)!.collection === ids.post
      ? and(eq(posts.did, parseRecordUri(post)!.did), eq(posts.rkey, parseRecordUri(post)!.rkey))
      : null;
  if (where === null)
    throw new UsageError(`"${post}" is neither a post's AT-URI (at://did/space.atbb.post/rkey) nor its id`, "mod");
  const row = await indexedPost(database, where);
  if (!row) throw new Refusal(`no post ${post} is indexed here; moderation names the version of the post it acts on`);
  return { uri: row.uri, cid: row.cid };
}

export async function runMod(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("mod", args, {
    reason: { type: "string" },
    expires: { type: "string" },
  });
  const [verb, ...rest] = positionals;
  if (values.help || !verb) {
    console.log(MOD_HELP);
    return values.help ? 0 : 2;
  }
  if (!isModVerb(verb)) throw new UsageError(`unknown action "${verb}": ${Object.keys(MOD_VERBS).join(", ")}`, "mod");
  const onMember = actsOnMember(verb);
  const [subject] = needs("mod", rest, [onMember ? "member" : "post"]);
  if (values.expires !== undefined && verb !== "ban")
    throw new UsageError("--expires is for bans only: other actions last until undone", "mod");
  const expiresAt = values.expires === undefined ? undefined : expiryOf(values.expires);
  return withOperator(config(), `mod ${verb}`, values.json ?? false, async (operator, out) => {
    const target = onMember ? { did: await operator.memberDid(subject!) } : { post: await postRef(operator, subject!) };
    const action = await operator.writer.create(
      ids.modAction,
      modActionRecord(verb, target, { reason: values.reason, expiresAt }),
    );
    out.say(
      `${verb}: ${"did" in target ? target.did : target.post.uri}${expiresAt ? ` until ${expiresAt}` : ""} — ${action.uri}`,
    );
    return { modAction: action };
  });
}
