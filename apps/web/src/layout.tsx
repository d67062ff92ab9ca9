// Every page's frame: the header (forum name, who is logged in), the main
// landmark the skip link jumps to, and the footer. No inline script or style.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Viewer } from "./deps.ts";
import { csrfToken } from "./security.ts";
import type { StaticFiles } from "./static-files.ts";

/** What every page knows about where it is shown. */
export interface Frame {
  forumName: string;
  viewer: Viewer | null;
  /** Whether members can log in here at all. */
  canLogIn: boolean;
  /** Whether the viewer may read the report queue (the header links to it). */
  canResolveReports: boolean;
  /** Whether the member logged in may use the administration pages (the link to them shows). */
  administers: boolean;
  files: StaticFiles;
  /** The path of this page, to come back to after logging in or out. */
  path: string;
  /** The logged-in member's unread notifications (null: nobody logged in, or none kept here). */
  unreadNotifications: number | null;
}

// HTMX would add a <style> element for its request indicators, which the CSP refuses; and it needs no eval.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

export function Layout(props: {
  frame: Frame;
  title: string;
  children: Child;
  /** The page's Atom feed, for feed readers to find. */
  feed?: { href: string; title: string };
}) {
  const { frame } = props;
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title>{props.title === frame.forumName ? props.title : `${props.title} · ${frame.forumName}`}</title>
          <link rel="icon" href={frame.files.icon} type="image/svg+xml" />
          <link rel="stylesheet" href={frame.files.css} />
          {props.feed ? (
            <link rel="alternate" type="application/atom+xml" href={props.feed.href} title={props.feed.title} />
          ) : null}
          <script src={frame.files.htmx} defer></script>
          <script src={frame.files.counter} defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="bar">
              <a class="forum-name" href="/">
                {frame.forumName}
              </a>
              <search>
                <form class="search-box" method="get" action="/search">
                  <label for="site-search">Search</label>
                  <input id="site-search" type="search" name="q" maxlength={500} />
                  <button type="submit" class="quiet">
                    Search
                  </button>
                </form>
              </search>
              <nav class="session" aria-label="Your account">
                <SessionLinks frame={frame} />
              </nav>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">
            <div class="bar">
              <span>A forum on the AT Protocol: members' posts live in their own repositories.</span>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

function SessionLinks({ frame }: { frame: Frame }) {
  if (frame.viewer) {
    const { viewer } = frame;
    return (
      <>
        <span>
          Logged in as <a href={`/u/${viewer.did}`}>{viewer.handle ?? viewer.did}</a>
        </span>
        {frame.unreadNotifications === null ? null : <Bell unread={frame.unreadNotifications} />}
        {frame.canResolveReports ? <a href="/reports">Reports</a> : null}
        {frame.administers ? <a href="/admin">Administration</a> : null}
        <form method="post" action="/logout">
          <input type="hidden" name="csrf" value={csrfToken(viewer.sessionId)} />
          <button type="submit" class="quiet">
            Log out
          </button>
        </form>
      </>
    );
  }
  if (!frame.canLogIn) return <span class="muted">Reading only</span>;
  return <a href="/login">Log in</a>;
}

/** The link to the member's notifications, with how many are unread. */
function Bell({ unread }: { unread: number }) {
  return (
    <a class="bell" href="/notifications">
      Notifications
      {unread > 0 ? (
        <span class="badge unread">
          {unread}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </a>
  );
}

/** A trail of links from the forum index to this page. */
export function Crumbs(props: { trail: { href: string; name: string }[] }) {
  return (
    <nav class="crumbs" aria-label="Breadcrumb">
      <ol>
        <li>
          <a href="/">Forum</a>
        </li>
        {props.trail.map((step) => (
          <li>
            <a href={step.href}>{step.name}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A moment as people read it, with the exact time for machines. */
export function When(props: { at: string }) {
  return <time datetime={props.at}>{props.at.slice(0, 16).replace("T", " ")} UTC</time>;
}

export const authorName = (author: { did: string; handle: string | null }) => author.handle ?? author.did;
