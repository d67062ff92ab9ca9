// Moderators' tools on a topic: the links shown beside a topic and each post
// (only those the moderator's role allows), and the page each leads to, a
// form that asks for a reason (and, for a ban, when it ends) and posts it.
// A refusal shows the form again, the reason kept and the refusal beside it.
import type { Viewer } from "../deps.ts";
import { Crumbs, type Frame, Layout } from "../layout.tsx";
import type { ModVerb, StaffCapabilities } from "../staff-deps.ts";
import { WritingForm } from "./compose.tsx";

/** What an action is taken on, in its address: a topic, a post, a member. */
export type ModKind = "t" | "p" | "u";

export const moderateHref = (verb: ModVerb, kind: ModKind, id: string, back: string) =>
  `/moderate/${verb}/${kind}/${encodeURIComponent(id)}?back=${encodeURIComponent(back)}`;

const WORDS: Record<ModVerb, { title: string; button: string }> = {
  hide: { title: "Hide a post", button: "Hide post" },
  unhide: { title: "Show a hidden post again", button: "Show post again" },
  lock: { title: "Lock a topic", button: "Lock topic" },
  unlock: { title: "Open a locked topic again", button: "Unlock topic" },
  pin: { title: "Pin a topic", button: "Pin topic" },
  unpin: { title: "Unpin a topic", button: "Unpin topic" },
  ban: { title: "Ban a member", button: "Ban member" },
  unban: { title: "Lift a member's ban", button: "Unban member" },
};

export function TopicTools(props: {
  may: StaffCapabilities;
  topic: { id: string; locked: boolean; pinned: boolean };
  back: string;
}) {
  const { may, topic, back } = props;
  if (!may.canLock && !may.canPin) return null;
  return (
    <nav class="tools" aria-label="Moderate this topic">
      {may.canLock ? (
        <a href={moderateHref(topic.locked ? "unlock" : "lock", "t", topic.id, back)}>
          {topic.locked ? "Unlock topic" : "Lock topic"}
        </a>
      ) : null}{" "}
      {may.canPin ? (
        <a href={moderateHref(topic.pinned ? "unpin" : "pin", "t", topic.id, back)}>
          {topic.pinned ? "Unpin topic" : "Pin topic"}
        </a>
      ) : null}
    </nav>
  );
}

export function PostTools(props: {
  may: StaffCapabilities;
  post: { id: string; hidden: string | null; author: { did: string } };
  number: number;
  back: string;
}) {
  const { may, post, back } = props;
  const banned = post.hidden === "author_banned";
  const removed = post.hidden === "removed_by_moderator";
  return (
    <>
      {may.canHidePosts && (post.hidden === null || removed) ? (
        <a
          href={moderateHref(removed ? "unhide" : "hide", "p", post.id, back)}
          aria-label={`${removed ? "Show again" : "Hide"} post ${props.number}`}
        >
          {removed ? "Show again" : "Hide"}
        </a>
      ) : null}
      {may.canBan ? (
        <a
          href={moderateHref(banned ? "unban" : "ban", "u", post.author.did, back)}
          aria-label={`${banned ? "Unban" : "Ban"} author of post ${props.number}`}
        >
          {banned ? "Unban author" : "Ban author"}
        </a>
      ) : null}
    </>
  );
}

export interface ModerateForm {
  verb: ModVerb;
  kind: ModKind;
  id: string;
  /** Where to go back to once done: a path of this forum. */
  back: string;
  /** What is acted on, in words ("the topic “Welcome”", "the member bob.test"). */
  subject: string;
  reason: string;
  expiresAt: string;
}

export function ModeratePage(props: { frame: Frame; viewer: Viewer; form: ModerateForm; problem: string | null }) {
  const { form, problem } = props;
  const words = WORDS[form.verb];
  return (
    <Layout frame={props.frame} title={words.title}>
      <Crumbs trail={[{ href: form.back, name: "Back" }]} />
      <h1>{words.title}</h1>
      <p>This acts on {form.subject}. The action is written by the forum's account and kept in the moderation log.</p>
      <WritingForm
        action={`/moderate/${form.verb}/${form.kind}/${encodeURIComponent(form.id)}`}
        viewer={props.viewer}
        submit={words.button}
        problem={problem ? { field: null, message: problem } : null}
        hidden={{ back: form.back }}
      >
        <div>
          <label for="mod-reason">
            Reason <span class="hint">(optional; shown in the moderation log)</span>
          </label>
          <textarea id="mod-reason" name="reason">
            {form.reason}
          </textarea>
        </div>
        {form.verb === "ban" ? (
          <div>
            <label for="mod-expires">
              Ends <span class="hint">(optional, UTC; empty: until unbanned)</span>
            </label>
            <input type="datetime-local" id="mod-expires" name="expiresAt" value={form.expiresAt} />
          </div>
        ) : null}
      </WritingForm>
    </Layout>
  );
}
