// Members' Markdown as HTML that cannot carry markup or script of its own:
// raw HTML is off (it is shown as text), links may only go to http(s) and
// mailto, images are not rendered (a remote image would tell another server
// who reads the forum, and the CSP refuses it anyway), and every link says
// it is the member's, not the forum's (rel="nofollow ugc noopener").
import MarkdownIt from "markdown-it";

const SAFE_PROTOCOLS = /^(https?:|mailto:)/i;
const LINK_REL = "nofollow ugc noopener";

const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: true });
md.disable(["image"]);
md.validateLink = (url) => {
  // markdown-it has already normalized the URL (entities decoded, percent-encoded).
  const trimmed = url.trim();
  // A relative link (#anchor, /path) stays on the forum; anything with a scheme must be a safe one.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return !trimmed.startsWith("//");
  return SAFE_PROTOCOLS.test(trimmed);
};
const renderToken = md.renderer.renderToken.bind(md.renderer);
md.renderer.rules.link_open = (tokens, idx, options) => {
  const token = tokens[idx]!;
  token.attrSet("rel", LINK_REL);
  return renderToken(tokens, idx, options);
};
// Headings inside a post would break the page's outline: a post's "# Title" is emphasis, not a section.
md.renderer.rules.heading_open = () => '<p class="post-heading"><strong>';
md.renderer.rules.heading_close = () => "</strong></p>\n";

/** The post's text as safe HTML. */
export const renderMarkdown = (text: string): string => md.render(text);
