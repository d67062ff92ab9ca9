// What administrators read: the moderation log (the forum account's actions,
// newest first, a page at a time) and the backfill's state with its errors.
import type { AdminCapabilities, BackfillView, ModLogEntry } from "../admin-deps.ts";
import { type Frame, When } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import { AdminLayout } from "./admin.tsx";

/** "space.atbb.modAction.ban" as people say it: "ban". */
const verbOf = (action: string) => action.slice(action.lastIndexOf(".") + 1);

export function ModLogPage(props: {
  frame: Frame;
  may: AdminCapabilities;
  entries: ModLogEntry[];
  total: number;
  paging: Paging;
}) {
  return (
    <AdminLayout frame={props.frame} title="Moderation log" may={props.may}>
      <p>
        {props.total} {props.total === 1 ? "action" : "actions"}, newest first.
      </p>
      <ol class="list" aria-label="Moderation actions">
        {props.entries.map((entry) => (
          <li>
            <div>
              <strong>{verbOf(entry.action)}</strong>{" "}
              {"did" in entry.subject ? (
                <>
                  of the member <a href={`/u/${entry.subject.did}`}>{entry.subject.did}</a>
                </>
              ) : (
                <>of the post {entry.subject.postUri ?? "(unknown)"}</>
              )}
              <div class="muted">
                <When at={entry.createdAt} />
                {entry.createdBy ? ` by ${entry.createdBy}` : ""}
                {entry.expiresAt ? (
                  <>
                    {entry.expired ? " · ended " : " · ends "}
                    <When at={entry.expiresAt} />
                  </>
                ) : null}
              </div>
              {entry.reason ? <p>{entry.reason}</p> : null}
            </div>
          </li>
        ))}
      </ol>
      <PageNumbers paging={props.paging} href={(page) => `/admin/log?page=${page}`} label="Pages of the log" />
    </AdminLayout>
  );
}

export function BackfillPage(props: { frame: Frame; may: AdminCapabilities; report: BackfillView; paging: Paging }) {
  const { report } = props;
  return (
    <AdminLayout frame={props.frame} title="Backfill" may={props.may}>
      <p>
        The backfill reads the forum's and its members' repositories from their PDS. Its state:{" "}
        <strong>{report.status}</strong>; {report.done} done, {report.running} running, {report.failed} failed.
      </p>
      <h2>Not finished</h2>
      {report.unfinished.length === 0 ? (
        <p class="muted">Every repository is done.</p>
      ) : (
        <ul class="list" aria-label="Repositories not finished">
          {report.unfinished.map((u) => (
            <li>
              {u.did} · {u.collection}: <strong>{u.status}</strong>, {u.recordsIndexed} records
              {u.updatedAt ? (
                <>
                  {" "}
                  · <When at={u.updatedAt} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>Errors ({report.total})</h2>
      {report.errors.length === 0 ? (
        <p class="muted">No errors.</p>
      ) : (
        <ol class="list" aria-label="Backfill errors">
          {report.errors.map((e) => (
            <li>
              {e.uri ?? `${e.did} · ${e.collection ?? "every collection"}`}: {e.error}
              {e.createdAt ? (
                <>
                  {" "}
                  · <When at={e.createdAt} />
                </>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <PageNumbers paging={props.paging} href={(page) => `/admin/backfill?page=${page}`} label="Pages of errors" />
    </AdminLayout>
  );
}
