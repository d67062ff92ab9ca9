// BB forums are read by page: page numbers around the current one, and the
// first and the last. Pages count from 1 in addresses (?page=N).

export interface Paging {
  page: number;
  pages: number;
  size: number;
}

/** The page asked for, within 1..pages; a number too large shows the last page. */
export function paging(pageParam: string | undefined, total: number, size: number): Paging | null {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pageParam === undefined) return { page: 1, pages, size };
  if (!/^[1-9]\d{0,6}$/.test(pageParam)) return null;
  return { page: Math.min(Number(pageParam), pages), pages, size };
}

export const offsetOf = (page: number, size: number) => (page - 1) * size;

export function PageNumbers(props: { paging: Paging; href: (page: number) => string; label: string }) {
  const { page, pages } = props.paging;
  if (pages <= 1) return null;
  const shown = new Set([1, pages]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pages) shown.add(p);
  const numbers = [...shown].sort((a, b) => a - b);
  const items: (number | "gap")[] = [];
  numbers.forEach((p, i) => {
    if (i > 0 && p - numbers[i - 1]! > 1) items.push("gap");
    items.push(p);
  });
  return (
    <nav class="pages" aria-label={props.label}>
      <ul>
        {page > 1 ? (
          <li>
            <a href={props.href(1)} aria-label="First page">
              « First
            </a>
          </li>
        ) : null}
        {items.map((item) =>
          item === "gap" ? (
            <li aria-hidden="true">
              <span>…</span>
            </li>
          ) : (
            <li>
              <a
                href={props.href(item)}
                aria-label={`Page ${item}`}
                {...(item === page ? { "aria-current": "page" } : {})}
              >
                {item}
              </a>
            </li>
          ),
        )}
        {page < pages ? (
          <li>
            <a href={props.href(pages)} aria-label="Last page">
              Last »
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
