// Page links for lists (offset pagination: admin lists are small and jumping to page N matters more than
// keyset stability). Pure: the current filters are kept in every link.

export interface PageLink {
  number: number;
  href: string;
  current: boolean;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
  from: number;
  to: number;
  offset: number;
  previous: string | null;
  next: string | null;
  links: PageLink[];
  /** A gap marker goes after the link with this number ("1 … 7 8 9 … 40"). */
  gapsAfter: number[];
}

/** `query` holds the current filters; empty values are dropped from the links. */
export function paginate(path: string, query: Record<string, string | number | undefined | null>, total: number, page: number, pageSize: number): Pagination {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '' && key !== 'page') params.set(key, String(value));
    if (n > 1) params.set('page', String(n));
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
  const numbers = visiblePages(current, pageCount);
  const offset = (current - 1) * pageSize;
  return {
    page: current,
    pageSize,
    total,
    pageCount,
    offset,
    from: total === 0 ? 0 : offset + 1,
    to: Math.min(total, offset + pageSize),
    previous: current > 1 ? href(current - 1) : null,
    next: current < pageCount ? href(current + 1) : null,
    links: numbers.map((n) => ({ number: n, href: href(n), current: n === current })),
    gapsAfter: numbers.filter((n, i) => numbers[i + 1] !== undefined && (numbers[i + 1] as number) - n > 1),
  };
}

/** First, last, and two either side of the current page. */
export function visiblePages(current: number, pageCount: number): number[] {
  const pages = new Set<number>([1, pageCount]);
  for (let n = current - 2; n <= current + 2; n += 1) if (n >= 1 && n <= pageCount) pages.add(n);
  return [...pages].sort((a, b) => a - b);
}
