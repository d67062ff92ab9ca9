// The members and their roles, a page at a time: each with the role the
// forum's grants give them, a form to grant another and, for a grant of their
// own, one to revoke it. A refusal (the hierarchy: nobody acts on an equal or
// higher role, nor grants one not below their own) shows in the member's row.
import type { AdminCapabilities, AdminMember, AdminRole } from "../admin-deps.ts";
import type { Viewer } from "../deps.ts";
import { type Frame, When } from "../layout.tsx";
import { csrfToken } from "../security.ts";
import { PageNumbers, type Paging } from "../paging.tsx";
import { AdminLayout } from "./admin.tsx";

export interface MemberProblem {
  did: string;
  message: string;
  /** The role the refused form asked for, kept selected. */
  roleId: string | null;
}

const nameOf = (member: AdminMember) => member.handle ?? member.did;

export function MembersPage(props: {
  frame: Frame;
  viewer: Viewer;
  may: AdminCapabilities;
  members: AdminMember[];
  total: number;
  paging: Paging;
  roles: AdminRole[];
  problem: MemberProblem | null;
}) {
  const { problem, paging } = props;
  const token = csrfToken(props.viewer.sessionId);
  const back = `/admin/members${paging.page > 1 ? `?page=${paging.page}` : ""}`;
  return (
    <AdminLayout frame={props.frame} title="Members and roles" may={props.may}>
      <p>
        {props.total} {props.total === 1 ? "member" : "members"}. A role can be granted only to a member below you, and
        only a role below your own.
      </p>
      <ol class="list" aria-label="Members">
        {props.members.map((member, i) => {
          const refused = problem?.did === member.did ? problem : null;
          const selected = refused?.roleId ?? member.role?.id ?? null;
          return (
            <li>
              <div class="row">
                <div>
                  <a href={`/u/${member.did}`}>
                    <strong>{nameOf(member)}</strong>
                  </a>
                  <div class="muted">
                    {member.role ? member.role.name : "No role"}
                    {member.role && !member.granted ? " (the forum's default)" : ""}
                    {member.joinedAt ? (
                      <>
                        {" "}
                        · joined <When at={member.joinedAt} />
                      </>
                    ) : null}
                  </div>
                </div>
                {props.may.canManageRoles ? (
                  <div class="counts">
                    <form method="post" action={`/admin/members/${encodeURIComponent(member.did)}/role`}>
                      <input type="hidden" name="csrf" value={token} />
                      <input type="hidden" name="back" value={back} />
                      <label for={`role-${i}`}>Role for {nameOf(member)}</label>{" "}
                      <select
                        id={`role-${i}`}
                        name="roleId"
                        {...(refused ? { "aria-invalid": "true", "aria-describedby": `role-${i}-error` } : {})}
                      >
                        {props.roles.map((role) => (
                          <option value={role.id} {...(role.id === selected ? { selected: true } : {})}>
                            {role.name} (priority {role.priority})
                          </option>
                        ))}
                      </select>{" "}
                      <button type="submit" class="quiet">
                        Grant role
                      </button>
                    </form>
                    {member.granted ? (
                      <form method="post" action={`/admin/members/${encodeURIComponent(member.did)}/revoke`}>
                        <input type="hidden" name="csrf" value={token} />
                        <input type="hidden" name="back" value={back} />
                        <button type="submit" class="quiet" aria-label={`Revoke role of ${nameOf(member)}`}>
                          Revoke role
                        </button>
                      </form>
                    ) : null}
                    {refused ? (
                      <p class="error" id={`role-${i}-error`} role="alert">
                        {refused.message}
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <PageNumbers paging={paging} href={(page) => `/admin/members?page=${page}`} label="Pages of members" />
    </AdminLayout>
  );
}
