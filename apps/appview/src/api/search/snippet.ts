// A result's snippet: the stretch of its text around the first word looked
// for, made here rather than by either engine (FTS5's snippet() and
// PostgreSQL's ts_headline cut differently) so both dialects answer the same
// bytes. The text is the author's: it is HTML-escaped first, and only our own
// <mark> tags are added.

const WORD = /[\p{L}\p{N}]+/gu;
const AROUND = 80;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** `text` cut to about 2×AROUND characters around the first looked-for word, escaped, those words in <mark>. */
export function snippetOf(text: string, words: readonly string[]): string {
  const wanted = new Set(words);
  const found = [...text.matchAll(WORD)].filter((m) => wanted.has(m[0].toLowerCase().normalize("NFC")));
  const first = found[0]?.index ?? 0;
  const start = Math.max(0, first - AROUND);
  const end = Math.min(text.length, first + AROUND);
  let html = start > 0 ? "…" : "";
  let at = start;
  for (const m of found) {
    const from = m.index;
    const to = from + m[0].length;
    if (from < start || to > end) continue;
    html += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(m[0])}</mark>`;
    at = to;
  }
  return html + escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
}
