// Streams SOQL results page by page (REST query + nextRecordsUrl), so memory stays flat however many
// records match. Every page is checked before use: a malformed answer fails loudly, never silently.
import type { SalesforceSession } from './connection.ts';
import { restBase } from './connection.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';

export type SfRecord = Record<string, unknown> & { Id?: string; attributes?: { type: string; url?: string } };

export interface QueryPage {
  records: SfRecord[];
  totalSize: number;
  done: boolean;
  /** The org's clock when it answered (its `Date` header), or null when it sent none. */
  serverTime: Date | null;
}

export class SalesforceResponseError extends Error {
  override name = 'SalesforceResponseError';
}

export interface StreamQueryOptions {
  includeDeleted?: boolean;
  /** 200..2000; Salesforce's default and maximum is 2000. */
  batchSize?: number;
  retry?: RetryPolicy;
}

export async function* streamQuery(session: SalesforceSession, soql: string, options: StreamQueryOptions = {}): AsyncGenerator<QueryPage> {
  const resource = options.includeDeleted ? 'queryAll' : 'query';
  const batchSize = Math.min(2000, Math.max(200, options.batchSize ?? 2000));
  const headers = { 'Sforce-Query-Options': `batchSize=${batchSize}` };
  let url: string | undefined = `${restBase(session)}/${resource}?q=${encodeURIComponent(soql)}`;
  while (url) {
    const pageUrl: string = url;
    const body = await withRetry(() => session.conn.request({ method: 'GET', url: pageUrl, headers }), options.retry ?? DEFAULT_RETRY);
    // The latest answer's Date is this page's for a read's first page: nothing else on the session runs
    // alongside it (sync/read-ahead.ts overlaps only later pages with the sync's writes).
    const page = { ...checkQueryPage(body, soql), serverTime: session.ledger.lastServerDate };
    yield page;
    url = page.done ? undefined : (body as { nextRecordsUrl?: string }).nextRecordsUrl;
    if (!page.done && !url) throw new SalesforceResponseError(`Salesforce said the query is not done but gave no nextRecordsUrl (${soql.slice(0, 120)}).`);
  }
}

/** Collects a whole (small) query; use streamQuery for anything that can grow. */
export async function queryAllRecords(session: SalesforceSession, soql: string, options: StreamQueryOptions = {}): Promise<SfRecord[]> {
  const out: SfRecord[] = [];
  for await (const page of streamQuery(session, soql, options)) out.push(...page.records);
  return out;
}

function checkQueryPage(body: unknown, soql: string): Omit<QueryPage, 'serverTime'> {
  const page = body as Partial<QueryPage> | null;
  if (!page || typeof page !== 'object' || !Array.isArray(page.records) || typeof page.done !== 'boolean') {
    throw new SalesforceResponseError(`Salesforce answered the query with an unexpected body (no records/done): ${soql.slice(0, 120)}`);
  }
  for (const record of page.records) {
    if (!record || typeof record !== 'object') throw new SalesforceResponseError('Salesforce returned a query row that is not an object.');
  }
  return { records: page.records, totalSize: Number(page.totalSize ?? page.records.length), done: page.done };
}
