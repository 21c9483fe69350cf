// `query`, `queryAll` and `query/<locator>-<offset>`: SOQL results in pages of 2,000 (or the
// `Sforce-Query-Options: batchSize` asked for, 200–2,000), and `?columns=true` column metadata.
import type { EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import { errorReply } from '../http/replies.ts';
import { compileQuery } from '../soql/compile.ts';
import { executeQuery, renderRecord } from '../soql/render.ts';
import { columnMetadata } from './query-columns.ts';
import { versionOf, type RouteContext } from './context.ts';
import type { Cursor } from './query-cursors.ts';

const DEFAULT_BATCH = 2000;

function batchSize(request: EmulatorRequest): number {
  const header = request.headers['sforce-query-options'];
  const value = /batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(',') : header ?? '')?.[1];
  if (!value) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(value)));
}

function page(cursor: Cursor, offset: number, version: string): EmulatorReply {
  const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
  const options = { version, includeDeleted: cursor.includeDeleted };
  const records = cursor.rows.slice(offset, end).map((row) => renderRecord(cursor.compiled, row, options));
  const done = end >= cursor.rows.length;
  const body: Record<string, unknown> = { totalSize: cursor.rows.length, done };
  if (!done) body.nextRecordsUrl = `/services/data/v${version}/query/${cursor.id}-${end}`;
  body.records = records;
  return { status: 200, body };
}

function runQuery(ctx: RouteContext, request: EmulatorRequest, includeDeleted: boolean): EmulatorReply {
  const soql = request.query.get('q');
  if (soql === null || soql.trim() === '') return errorReply(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const version = versionOf(request);
  const compiled = compileQuery(ctx.org.store, soql, ctx.org.now);
  if (request.query.get('columns') === 'true') return { status: 200, body: columnMetadata(compiled) };
  const outcome = executeQuery(compiled, includeDeleted);
  if (outcome.aggregateRecords || compiled.countOnly) {
    return { status: 200, body: { totalSize: outcome.totalSize, done: true, records: outcome.aggregateRecords ?? [] } };
  }
  const size = batchSize(request);
  const cursor = { compiled, rows: outcome.rows, includeDeleted, batchSize: size };
  // Only a result that needs more than one page keeps a server-side cursor.
  return page(outcome.rows.length > size ? ctx.cursors.add(cursor) : { ...cursor, id: '', lastUsed: 0 }, 0, version);
}

function queryMore(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const match = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(request.params.locator ?? '');
  const cursor = match ? ctx.cursors.get(match[1] as string) : undefined;
  if (!match || !cursor) return errorReply(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const offset = Number(match[2]);
  if (offset > cursor.rows.length) return errorReply(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return page(cursor, offset, versionOf(request));
}

export function queryRoutes(ctx: RouteContext): RouteModule {
  const base = '/services/data/:version';
  return {
    name: 'query',
    routes: [
      { method: 'GET', pattern: `${base}/query`, handler: (r) => runQuery(ctx, r, false), label: 'query' },
      { method: 'GET', pattern: `${base}/queryAll`, handler: (r) => runQuery(ctx, r, true), label: 'queryAll' },
      { method: 'GET', pattern: `${base}/query/:locator`, handler: (r) => queryMore(ctx, r), label: 'queryMore' },
      { method: 'GET', pattern: `${base}/queryAll/:locator`, handler: (r) => queryMore(ctx, r), label: 'queryMore' },
    ],
  };
}
