// `atbb role list|grant|revoke`: the forum's grants of roles to members
// (space.atbb.forum.roleAssignment at the member's DID). A grant replaces the
// member's earlier one; revoking deletes it, and the member falls back to the
// forum's default role at once.
import { ids } from "@atbb/lexicon";
import type { Config } from "../../config.ts";
import { forumGrants } from "../../forum-structure/grants.ts";
import { UsageError } from "../usage-error.ts";
import { needs, parseCommand } from "./args.ts";
import { Refusal, withOperator } from "./operator.ts";

export const ROLE_HELP = `Usage: atbb role <list|grant|revoke> … [--json]

  atbb role list                       The roles, and who holds each by grant
  atbb role grant <member> <role>      Give <member> (handle or DID) the role named <role>
  atbb role revoke <member> [<role>]   Take the member's grant away (if it is <role>, when given)

A member without a grant holds the forum's default role (set by atbb init).
Roles named in members' own membership records count for nothing.

Exit codes: 0 done, 1 the PDS failed, 2 usage, 3 changed behind this AppView's back, 4 login refused, 5 refused (no such role or grant).`;

export async function runRole(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("role", args, {});
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    console.log(ROLE_HELP);
    return values.help ? 0 : 2;
  }
  if (!["list", "grant", "revoke"].includes(action))
    throw new UsageError(`unknown action "${action}": list, grant or revoke`, "role");
  return withOperator(
    config(),
    `role ${action}`,
    values.json ?? false,
    async ({ writer, memberDid, database }, out) => {
      const roles = (await writer.list(ids.role)).sort((a, b) => a.value.priority - b.value.priority);
      const roleNamed = (name: string) => {
        const role = roles.find(
          (r) => r.value.name.toLowerCase() === name.toLowerCase() || r.uri === name || r.rkey === name,
        );
        if (!role)
          throw new Refusal(
            `no role "${name}" in the forum; there are: ${roles.map((r) => r.value.name).join(", ") || "none (run atbb init)"}`,
          );
        return role;
      };
      const grants = forumGrants(writer, database);
      switch (action) {
        case "list": {
          needs("role", rest, []);
          const granted = await writer.list(ids.roleAssignment);
          const listed = roles.map((r) => ({
            name: r.value.name,
            priority: r.value.priority,
            permissions: r.value.permissions,
            uri: r.uri,
            members: granted.filter((g) => g.value.role.role.uri === r.uri).map((g) => g.value.did),
          }));
          for (const r of listed)
            out.say(
              `${r.name}\tpriority ${r.priority}\t${r.permissions.join(" ")}\n  ${r.members.length === 0 ? "(granted to nobody)" : r.members.join("\n  ")}`,
            );
          if (listed.length === 0) out.say("No roles yet: run `atbb init`.");
          return { roles: listed };
        }
        case "grant": {
          const [member, roleName] = needs("role", rest, ["member", "role"]);
          const did = await memberDid(member!);
          const role = roleNamed(roleName!);
          const { grant, changed, replaced } = await grants.grant(did, role);
          // A member holds one grant: say which role the new one took away, so that an operator who
          // meant to add a role, not to demote (the owner, say), sees it at once.
          const was = replaced === null ? null : (roles.find((r) => r.uri === replaced)?.value.name ?? replaced);
          out.say(
            changed
              ? `Granted ${role.value.name} to ${did}${was === null ? "" : ` in place of ${was}`}: ${grant.uri}`
              : `Nothing to do: ${did} already holds ${role.value.name}.`,
          );
          return { grant, changed, replaced };
        }
        default: {
          const [member, roleName] =
            rest.length === 1 ? needs("role", rest, ["member"]) : needs("role", rest, ["member", "role"]);
          const did = await memberDid(member!);
          const revoked = await grants.revoke(did, roleName === undefined ? undefined : roleNamed(roleName).uri);
          out.say(`Revoked the grant of ${did}: ${revoked.uri}`);
          return { revoked: revoked.uri };
        }
      }
    },
  );
}
