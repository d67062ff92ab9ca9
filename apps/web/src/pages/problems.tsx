// Pages for when there is nothing to show: an unknown address, a failure on
// our side, a refusal, and a forum whose own record has not arrived yet.
import { type Frame, Layout } from "../layout.tsx";

/** A page that says why there is nothing here, and the way back to the index. */
function ProblemPage(props: { frame: Frame; title: string; message: string }) {
  return (
    <Layout frame={props.frame} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the forum index</a>
      </p>
    </Layout>
  );
}

export function NotFoundPage(props: { frame: Frame; what?: string }) {
  return (
    <ProblemPage frame={props.frame} title="Not found" message={props.what ?? "There is no page at this address."} />
  );
}

export function ErrorPage(props: { frame: Frame }) {
  return (
    <ProblemPage
      frame={props.frame}
      title="Something went wrong"
      message="The page could not be made: the problem is on our side, and it has been logged. Try again in a moment."
    />
  );
}

export function BadRequestPage(props: { frame: Frame; message: string }) {
  return <ProblemPage frame={props.frame} title="Cannot do that" message={props.message} />;
}

/** A member whose role does not permit what the page is for. */
export function ForbiddenPage(props: { frame: Frame; message: string }) {
  return <ProblemPage frame={props.frame} title="Not permitted" message={props.message} />;
}

/** The forum's record is not indexed: nothing can show until the forum account has published it. */
export function FirstRunPage(props: { frame: Frame }) {
  return (
    <Layout frame={props.frame} title="This forum is not set up yet">
      <h1>This forum is not set up yet</h1>
      <p>
        atBB is running, but the forum's own record (<code>space.atbb.forum.forum</code>) has not been indexed.
      </p>
      <h2>If you run this forum</h2>
      <ol>
        <li>
          Set <code>FORUM_DID</code>, <code>FORUM_HANDLE</code> and <code>FORUM_APP_PASSWORD</code> (or its{" "}
          <code>_FILE</code> form) to the forum account's DID, handle and app password.
        </li>
        <li>
          Run <code>atbb init</code>: it publishes the forum record, the default roles and the owner's grant from the
          forum account.
        </li>
        <li>
          Add a category and a board: <code>atbb category add</code>, <code>atbb board add</code>.
        </li>
      </ol>
      <p>
        The record arrives with the backfill or the next live event; <a href="/api/health">/api/health</a> says what is
        still missing.
      </p>
    </Layout>
  );
}
