// Logging in: the member gives their handle, and is sent to their own
// PDS's authorization server, which sends them back logged in.
import { type Frame, Layout } from "../layout.tsx";

export function LoginPage(props: { frame: Frame; handle: string; problem: string | null }) {
  return (
    <Layout frame={props.frame} title="Log in">
      <h1>Log in</h1>
      <p>
        Log in with your AT Protocol account (a Bluesky account works): your posts are written to your own repository.
      </p>
      <form method="get" action="/login" class="stacked" novalidate>
        <div>
          <label for="handle">
            Handle <span class="hint">(such as alice.bsky.social)</span>
          </label>
          <input
            type="text"
            id="handle"
            name="handle"
            value={props.handle}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            aria-describedby={props.problem ? "handle-error" : undefined}
            aria-invalid={props.problem ? "true" : undefined}
          />
          {props.problem ? (
            <p class="error" id="handle-error">
              {props.problem}
            </p>
          ) : null}
        </div>
        <div>
          <button type="submit">Log in</button>
        </div>
      </form>
    </Layout>
  );
}
