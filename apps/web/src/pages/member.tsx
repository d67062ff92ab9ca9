// A member: their verified handle (or their DID until it is verified), when
// they joined, their role in this forum, and their latest posts.
import type { MemberView } from "../deps.ts";
import { type Frame, Layout, When } from "../layout.tsx";

export function MemberPage(props: { frame: Frame; member: MemberView }) {
  const { member } = props;
  const name = member.handle ?? member.did;
  return (
    <Layout frame={props.frame} title={name}>
      <h1>{name}</h1>
      <dl>
        <dt>Handle</dt>
        <dd>{member.handle ? `${member.handle} (verified)` : "Not verified yet"}</dd>
        <dt>DID</dt>
        <dd>
          <code>{member.did}</code>
        </dd>
        {member.accountStatus !== "active" ? (
          <>
            <dt>Account</dt>
            <dd>{member.accountStatus}</dd>
          </>
        ) : null}
        <dt>Joined</dt>
        <dd>{member.joinedAt ? <When at={member.joinedAt} /> : "Not a member of this forum"}</dd>
        <dt>Role</dt>
        <dd>{member.role?.name ?? "None"}</dd>
        <dt>Posts</dt>
        <dd>{member.postCount}</dd>
      </dl>
      {props.frame.viewer?.did === member.did && props.frame.canLogIn ? (
        <p>
          <a href="/reports/mine">Your reports</a> and what became of them (only you see this link).
        </p>
      ) : null}
      <h2>Recent posts</h2>
      {member.recent.length === 0 ? (
        <p class="muted">No posts yet.</p>
      ) : (
        <ul class="list">
          {member.recent.map((post) => (
            <li>
              <a href={`/t/${post.topicId}`}>{post.title ?? excerpt(post.text)}</a>
              <div class="meta">
                <When at={post.createdAt} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

const excerpt = (text: string | null) => {
  if (text === null) return "(hidden)";
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};
