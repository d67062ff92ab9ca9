// The member's notifications, newest first: who did what, linked to the post
// (its topic's page and anchor), unread ones marked; "mark all read" marks
// those up to the newest shown, so one that arrives meanwhile stays unread.
import type { NotificationView } from "../deps.ts";
import { authorName, type Frame, Layout, When } from "../layout.tsx";
import { PageNumbers, type Paging } from "../paging.tsx";
import { csrfToken } from "../security.ts";
import { postHref } from "./topic.tsx";

export const NOTIFICATIONS_PAGE_SIZE = 30;

const MODERATION: Record<string, string> = {
  ban: "banned you",
  unban: "lifted your ban",
  lock: "locked your topic",
  unlock: "unlocked your topic",
  delete: "removed your post",
  undelete: "restored your post",
  pin: "pinned your topic",
  unpin: "unpinned your topic",
};

function what(notification: NotificationView): string {
  switch (notification.kind) {
    case "post_reply":
      return "replied to your post";
    case "topic_reply":
      return "replied in your topic";
    case "quote":
      return "quoted you";
    case "mention":
      return "mentioned you";
    case "moderation":
      return MODERATION[notification.action ?? ""] ?? `acted on your ${notification.post ? "post" : "account"}`;
  }
}

/** Who did it: the member, linked; a moderator's action is the forum's, whoever wrote it. */
function Actor({ notification }: { notification: NotificationView }) {
  if (notification.kind === "moderation") return <>A moderator</>;
  return <a href={`/u/${notification.actor.did}`}>{authorName(notification.actor)}</a>;
}

export function NotificationsPage(props: {
  frame: Frame;
  notifications: NotificationView[];
  paging: Paging;
  /** Posts per topic page, for the link's page and anchor. */
  topicPageSize: number;
}) {
  const { frame, notifications, paging, topicPageSize } = props;
  const newest = notifications[0];
  return (
    <Layout frame={frame} title="Notifications">
      <h1>Notifications</h1>
      {newest && frame.viewer && paging.page === 1 ? (
        <form method="post" action="/notifications/read">
          <input type="hidden" name="csrf" value={csrfToken(frame.viewer.sessionId)} />
          <input type="hidden" name="upTo" value={newest.id} />
          <button type="submit">Mark all read</button>
        </form>
      ) : null}
      {notifications.length === 0 ? (
        <p>Nothing yet: replies to you, quotes, mentions and moderators' actions on your posts show here.</p>
      ) : (
        <ol class="list" aria-label="Your notifications">
          {notifications.map((notification) => (
            <li class={notification.read ? undefined : "unread"}>
              {notification.read ? null : <span class="badge unread">New</span>} <Actor notification={notification} />{" "}
              {what(notification)}
              {notification.post ? (
                <>
                  {": "}
                  <a href={postHref(notification.post.topicId, notification.post.number, topicPageSize)}>
                    {notification.post.topicTitle ?? "a topic"} #{notification.post.number}
                  </a>
                </>
              ) : null}
              <div class="meta">
                <When at={notification.createdAt} />
              </div>
            </li>
          ))}
        </ol>
      )}
      <PageNumbers
        paging={paging}
        href={(page) => (page === 1 ? "/notifications" : `/notifications?page=${page}`)}
        label="Pages of notifications"
      />
    </Layout>
  );
}
