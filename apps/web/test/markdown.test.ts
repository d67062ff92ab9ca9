// Members' Markdown renders inert: whatever a post says, the HTML it becomes
// carries no element, attribute or URL that could run script, load something
// from elsewhere, or pass for the forum's own markup.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/markdown.ts";
import { HOSTILE } from "./hostile-markdown.ts";

/** The only elements a post may become, and the only attributes each may carry. */
const ALLOWED: Record<string, string[]> = {
  p: ["class"],
  strong: [],
  em: [],
  s: [],
  ul: [],
  ol: ["start"],
  li: [],
  blockquote: [],
  code: ["class"],
  pre: [],
  br: [],
  hr: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ["style"],
  td: ["style"],
  a: ["href", "rel", "title"],
};

/** Every element of the HTML, with its attributes: what a browser would build from it. */
function elements(html: string): { name: string; attributes: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map(([, name, rest]) => ({
    name: name!.toLowerCase(),
    attributes: Object.fromEntries(
      [...rest!.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)].map(([, key, value]) => [key!.toLowerCase(), value ?? ""]),
    ),
  }));
}

function expectInert(html: string): void {
  for (const { name, attributes } of elements(html)) {
    expect(Object.keys(ALLOWED), `element <${name}> in ${html}`).toContain(name);
    for (const key of Object.keys(attributes))
      expect(ALLOWED[name], `attribute ${key} of <${name}> in ${html}`).toContain(key);
    if (name === "a") {
      expect(attributes.href, html).toMatch(/^(https?:|mailto:|#|\/(?!\/))/i);
      expect(attributes.rel).toBe("nofollow ugc noopener");
    }
    // Table cells' alignment is the one style markdown-it writes, and the CSP refuses inline styles anyway.
    if (attributes.style !== undefined) expect(attributes.style).toMatch(/^text-align:(left|right|center)$/);
  }
}

describe("members' Markdown", () => {
  for (const input of HOSTILE) {
    it(`renders ${JSON.stringify(input)} inert`, () => {
      expectInert(renderMarkdown(input));
    });
  }

  it("keeps ordinary Markdown: emphasis, lists, code, quotes and safe links with the member's rel", () => {
    const html = renderMarkdown(
      "Hello **world**\n\n- one\n- two\n\n> quoted\n\n`code` and [a link](https://example.org/x)",
    );
    expect(html).toContain("<strong>world</strong>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain('<a href="https://example.org/x" rel="nofollow ugc noopener">a link</a>');
  });

  it("shows raw HTML as the text it is", () => {
    expect(renderMarkdown("<b>bold?</b>")).toBe("<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n");
  });

  it("links bare addresses, with the member's rel", () => {
    expect(renderMarkdown("see https://example.org")).toContain(
      '<a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a>',
    );
  });
});
