// `atbb init`: the forum record, the default roles, the owner's grant, the
// default role, and optionally a first category and board. Each step looks
// at the forum's repository first and writes only what is missing, so a
// second run writes nothing and a run interrupted half-way completes.
import { ids, type PublishedRecordTypes, type StrongRef } from "@atbb/lexicon";
import type { Config } from "../../config.ts";
import type { StoredRecord } from "../../forum-agent/writer.ts";
import { PERMISSION } from "../../permissions.ts";
import { UsageError } from "../usage-error.ts";
import { needs, parseCommand } from "./args.ts";
import { isoNow, slugOf, withOperator } from "./operator.ts";

export const INIT_HELP = `Usage: atbb init --owner <handle|did> [--name <name>] [--description <text>] [--default-category] [--json]

Sets up the forum in the forum account's repository (FORUM_HANDLE or
FORUM_DID, with FORUM_APP_PASSWORD_FILE): the forum record, the roles Owner
(*), Admin, Moderator and Member, the Owner role granted to --owner, Member
as the forum's default role, and with --default-category a first category
("General") and board ("General discussion"). Each record is indexed at once.
Idempotent: only what is missing is written; a second run says "nothing to
do", and a run interrupted half-way completes on the next.

Exit codes: 0 done (or nothing to do), 1 the PDS failed or could not be
reached, 2 usage, 3 a record changed behind this AppView's back, 4 the PDS
refused the login, 5 refused (not valid).`;

const MEMBER_PERMISSIONS = [PERMISSION.createTopics, PERMISSION.createPosts];
const MODERATOR_PERMISSIONS = [
  PERMISSION.moderatePosts,
  PERMISSION.banUsers,
  PERMISSION.pinTopics,
  PERMISSION.lockTopics,
  ...MEMBER_PERMISSIONS,
];
const ADMIN_PERMISSIONS = [
  PERMISSION.manageCategories,
  PERMISSION.manageRoles,
  PERMISSION.manageMembers,
  ...MODERATOR_PERMISSIONS,
];

/** The default roles, with atBB's permission names. Lower priority is more powerful. */
export const DEFAULT_ROLES: { name: string; description: string; permissions: string[]; priority: number }[] = [
  { name: "Owner", description: "Owns the forum: every permission", permissions: ["*"], priority: 0 },
  {
    name: "Admin",
    description: "Runs the forum: structure, roles, members and moderation",
    permissions: ADMIN_PERMISSIONS,
    priority: 10,
  },
  {
    name: "Moderator",
    description: "Keeps the peace: posts, topics and bans",
    permissions: MODERATOR_PERMISSIONS,
    priority: 20,
  },
  { name: "Member", description: "Takes part: topics and replies", permissions: MEMBER_PERMISSIONS, priority: 30 },
];

const refOf = (record: { uri: string; cid: string }): StrongRef => ({ uri: record.uri, cid: record.cid });

export async function runInit(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("init", args, {
    owner: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    "default-category": { type: "boolean" },
  });
  if (values.help) {
    console.log(INIT_HELP);
    return 0;
  }
  needs("init", positionals, []);
  if (!values.owner)
    throw new UsageError("--owner <handle|did> is required: the member who gets the Owner role", "init");
  const owner = values.owner;
  return withOperator(config(), "init", values.json ?? false, async ({ writer, memberDid }, out) => {
    const ownerDid = await memberDid(owner);
    const written: string[] = [];
    const wrote = (what: string, record: { uri: string }) => {
      written.push(record.uri);
      out.say(`  wrote ${what}: ${record.uri}`);
    };
    out.say(`Setting up the forum of ${writer.forumDid}`);

    let forum = await writer.get(ids.forum, "self");
    if (!forum) {
      const record: PublishedRecordTypes[typeof ids.forum] = {
        name: values.name ?? "atBB forum",
        ...(values.description ? { description: values.description } : {}),
        createdAt: isoNow(),
      };
      forum = await writer.create(ids.forum, record, "self");
      wrote("the forum record", forum);
    }

    const roles = await writer.list(ids.role);
    const roleNamed = new Map<string, StoredRecord<typeof ids.role>>(roles.map((r) => [r.value.name.toLowerCase(), r]));
    for (const role of DEFAULT_ROLES) {
      if (roleNamed.has(role.name.toLowerCase())) continue;
      const created = await writer.create(ids.role, { ...role, createdAt: isoNow() });
      roleNamed.set(role.name.toLowerCase(), created);
      wrote(`the role ${role.name}`, created);
    }

    const ownerRole = roleNamed.get("owner")!;
    const grant = await writer.get(ids.roleAssignment, ownerDid);
    if (!grant) {
      const created = await writer.create(
        ids.roleAssignment,
        {
          did: ownerDid,
          role: { $type: "space.atbb.forum.roleAssignment#roleRef", role: refOf(ownerRole) },
          createdAt: isoNow(),
        },
        ownerDid,
      );
      wrote(`the Owner role's grant to ${ownerDid}`, created);
    } else if (grant.value.role.role.uri !== ownerRole.uri) {
      out.say(
        `  left alone: ${ownerDid} already holds another role (${grant.value.role.role.uri}); \`atbb role grant\` changes it`,
      );
    }

    if (!forum.value.defaultRole) {
      const member = roleNamed.get("member")!;
      const updated = await writer.update(
        ids.forum,
        "self",
        { ...forum.value, defaultRole: { $type: "space.atbb.forum.forum#roleRef", role: refOf(member) } },
        forum.cid,
      );
      wrote("Member as the forum's default role", updated);
    }

    if (values["default-category"]) {
      const categories = await writer.list(ids.category);
      let category = categories[0];
      if (!category) {
        category = await writer.create(ids.category, {
          name: "General",
          slug: slugOf("General"),
          sortOrder: 0,
          createdAt: isoNow(),
        });
        wrote("the category General", category);
      }
      const boards = await writer.list(ids.board);
      if (boards.length === 0) {
        const board = await writer.create(ids.board, {
          name: "General discussion",
          slug: slugOf("General discussion"),
          category: { $type: "space.atbb.forum.board#categoryRef", category: refOf(category) },
          sortOrder: 0,
          createdAt: isoNow(),
        });
        wrote("the board General discussion", board);
      }
    }
    out.say(
      written.length === 0
        ? "Nothing to do: the forum is already set up."
        : `Done: ${written.length} record(s) written and indexed.`,
    );
    return { forumDid: writer.forumDid, owner: ownerDid, written };
  });
}
