// Counts every HTTP call prm-sync makes to Salesforce, by endpoint, and remembers the org's API usage
// from the last `Sforce-Limit-Info` header and the org's clock from the last `Date` header. One ledger per
// run; the run record stores its totals.

export interface ApiUsage {
  used: number;
  limit: number;
}

export class ApiCallLedger {
  private readonly byEndpoint = new Map<string, number>();
  private usage: ApiUsage | null = null;
  private serverDate: Date | null = null;

  record(method: string, url: string): void {
    const label = endpointLabel(method, url);
    this.byEndpoint.set(label, (this.byEndpoint.get(label) ?? 0) + 1);
  }

  observeLimitHeader(header: string | undefined): void {
    const match = header?.match(/api-usage=(\d+)\/(\d+)/);
    if (match) this.usage = { used: Number(match[1]), limit: Number(match[2]) };
  }

  /** The `Date` header (whole seconds, so it never runs ahead of the org's clock by more than rounding down). */
  observeServerDate(header: string | undefined): void {
    if (!header) return;
    const date = new Date(header);
    if (!Number.isNaN(date.getTime())) this.serverDate = date;
  }

  /** Calls that count against the org's daily API allocation (token requests do not). */
  get apiCalls(): number {
    let total = 0;
    for (const [label, count] of this.byEndpoint) if (!label.startsWith('oauth')) total += count;
    return total;
  }

  get lastUsage(): ApiUsage | null {
    return this.usage;
  }

  /** The org's time when it sent its latest answer, or null when it sent none with a `Date` header. */
  get lastServerDate(): Date | null {
    return this.serverDate;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.byEndpoint].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** A stable, low-cardinality label for an API URL, e.g. `GET query`, `PATCH collections.upsert`. */
export function endpointLabel(method: string, url: string): string {
  const path = new URL(url, 'http://x').pathname.replace(/\/+/g, '/');
  if (path.includes('/oauth2/')) return `oauth.${path.split('/').pop()}`;
  const rest = path.replace(/^\/services\/data\/v\d+\.\d+\/?/, '');
  const verb = method.toUpperCase();
  if (/^(query|queryAll)(\/|$)/.test(rest)) return rest.includes('/') ? 'query.more' : rest;
  if (rest.startsWith('composite/sobjects')) {
    if (verb === 'PATCH' && rest.split('/').length >= 4) return 'collections.upsert';
    return `collections.${{ POST: 'create', PATCH: 'update', DELETE: 'delete', GET: 'retrieve' }[verb] ?? verb}`;
  }
  if (rest.startsWith('composite')) return 'composite';
  if (rest.startsWith('jobs/ingest')) return `bulk2.ingest.${verb}`;
  if (rest.startsWith('jobs/query')) return `bulk2.query.${verb}`;
  if (rest.startsWith('tooling/')) return 'tooling';
  if (/^sobjects\/[^/]+\/describe/.test(rest)) return 'describe';
  if (rest.startsWith('sobjects')) return `sobject.${verb}`;
  if (rest.startsWith('limits')) return 'limits';
  return rest === '' ? 'versions' : rest.split('/')[0] ?? 'other';
}
