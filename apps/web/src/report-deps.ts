// What the report pages need from the AppView, in the pages' own words:
// filing a report, the moderators' queue and its resolutions, and a member's
// own reports. Each action checks the member's session standing again.

/** A refusal with the API's status, code and message (the form shows the message). */
export type Refused = { ok: false; status: number; code: string; message: string };

export type ReportStatus = "open" | "dismissed" | "hidden" | "banned";
export type ResolveAction = "dismiss" | "hide" | "ban";

/** A report as the API shows it (GET /api/reports), with where its post is read. */
export interface ReportView {
  id: string;
  reporterDid: string;
  reason: string;
  text: string;
  createdAt: string;
  status: ReportStatus;
  resolvedBy: string | null;
  resolvedAt: string | null;
  post: {
    /** null once the post is gone from the index. */
    id: string | null;
    /** The topic to read it in; null when the post is gone. */
    topicId: string | null;
    /** handle: null until verified. */
    author: { did: string; handle: string | null };
    title: string | null;
    text: string | null;
    hidden: string | null;
  };
}

export interface ReportList {
  total: number;
  reports: ReportView[];
}

export interface ReportActions {
  /** The reasons a member picks from, as the API names them. */
  reasons: readonly string[];
  /** How long the note to the moderators may be, in graphemes. */
  textLimit: number;
  /** Whether the member may read the queue and resolve reports (the API's permission). */
  mayResolve(did: string): Promise<boolean>;
  file(
    did: string,
    postId: number,
    input: { reason: string; text: string },
  ): Promise<{ ok: true; id: number } | Refused>;
  /** The queue, open reports first; refused (403) unless the member may resolve reports. */
  queue(did: string, offset: number, limit: number): Promise<({ ok: true } & ReportList) | Refused>;
  /** The member's own reports, newest first. */
  mine(did: string, offset: number, limit: number): Promise<ReportList>;
  resolve(did: string, reportId: number, input: { action: string; note: string }): Promise<{ ok: true } | Refused>;
}
