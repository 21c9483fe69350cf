// Upserts by external id (PRM_Id__c): sObject Collections (≤ 200 records a call, allOrNone=false) for
// ordinary volumes, one Bulk API 2.0 ingest job above a threshold. Upserts by external id are idempotent,
// which is what makes retries and crash recovery safe. Per-record failures come back as results; the rest
// of the batch commits.
import { runIngestJob, type IngestRow, type IngestTarget, type RowSource } from './bulk-ingest.ts';
import { createBulkPace, type BulkPace } from './bulk-pace.ts';
import { LiveOutcome, NO_ERRORS, streamSucceededPrefix, type ResultSink } from './live-results.ts';
import type { SalesforceSession } from './connection.ts';
import { restBase } from './connection.ts';
import { backoffDelay, DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import { SalesforceResponseError } from './query.ts';

export interface UpsertRow {
  externalId: string;
  values: Record<string, unknown>;
}

export interface UpdateRow {
  id: string;
  values: Record<string, unknown>;
}

/** Rows in memory, or a source that streams them (a large deferred write, see sync/spool.ts). */
export type WriteInput<R> = readonly R[] | RowSource<R>;

export type { RowSource };

const isSource = <R>(input: WriteInput<R>): input is RowSource<R> => !Array.isArray(input);
const countOf = <R>(input: WriteInput<R>): number => (isSource(input) ? input.count : (input as readonly R[]).length);

async function toArray<R>(input: WriteInput<R>): Promise<R[]> {
  if (!isSource(input)) return [...(input as readonly R[])];
  const out: R[] = [];
  for await (const row of input.rows()) out.push(row);
  return out;
}

export interface WriteError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface UpsertResult {
  externalId: string;
  success: boolean;
  id: string | null;
  created: boolean;
  errors: WriteError[];
}

export interface WriterOptions {
  /** Above this many rows one Bulk API 2.0 job is used instead of collections. */
  bulkThreshold: number;
  retry?: RetryPolicy;
  /** Per-record UNABLE_TO_LOCK_ROW failures are retried this many times. */
  lockRetries?: number;
  bulkPollIntervalMs?: number;
  bulkPollTimeoutMs?: number;
  /** The session's Bulk API pace (bulk-pace.ts), shared by its jobs so each times its checks better. */
  bulkPace?: BulkPace;
  onProgress?: (done: number, total: number) => void;
  /**
   * Takes the leading successful results, in input order, as soon as they are known — for a Bulk API job,
   * while its results download (live-results.ts). The returned results still hold every row.
   */
  onSucceeded?: ResultSink;
}

export const COLLECTION_LIMIT = 200;
export const DEFAULT_BULK_THRESHOLD = 2000;

export async function upsertByExternalId(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  input: WriteInput<UpsertRow>,
  options: WriterOptions = { bulkThreshold: DEFAULT_BULK_THRESHOLD },
): Promise<UpsertResult[]> {
  return withLockRetries(input, options, {
    session,
    target: { object: objectName, operation: 'upsert', keyField: externalIdField },
    toIngestRow: (row) => ({ key: row.externalId, values: row.values }),
    withCollections: (rows, opts) => upsertWithCollections(session, objectName, externalIdField, rows, opts),
  });
}

/** Updates by Salesforce Id: collections (≤ 200 a call) or, above the threshold, one Bulk API 2.0 job. */
export async function updateByIds(session: SalesforceSession, objectName: string, input: WriteInput<UpdateRow>, options: WriterOptions): Promise<UpsertResult[]> {
  return withLockRetries(input, options, {
    session,
    target: { object: objectName, operation: 'update', keyField: 'Id' },
    toIngestRow: (row) => ({ key: row.id, values: row.values }),
    withCollections: (rows, opts) => updateWithCollections(session, objectName, rows, opts),
  });
}

/** How one kind of write reaches Salesforce: a Bulk API job above the threshold, collections below it. */
interface WriteRoute<R> {
  session: SalesforceSession;
  target: IngestTarget;
  toIngestRow: (row: R) => IngestRow;
  withCollections: (rows: readonly R[], options: WriterOptions) => Promise<UpsertResult[]>;
}

async function writeOnce<R>(rows: WriteInput<R>, options: WriterOptions, route: WriteRoute<R>): Promise<UpsertResult[]> {
  const count = countOf(rows);
  if (count === 0) return [];
  if (count > options.bulkThreshold) return writeWithBulk(route.session, route.target, asIngestSource(rows, route.toIngestRow), options);
  return route.withCollections(await toArray(rows), options);
}

const isLocked = (result: UpsertResult | undefined): boolean => result !== undefined && !result.success && result.errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW');

/**
 * Rows Salesforce refused with UNABLE_TO_LOCK_ROW (another transaction held the record or its parent) are
 * written again, after a backoff, up to `lockRetries` times: the lock is usually gone a moment later. The
 * retry goes through the same choice of API, so a handful of locked rows from a Bulk job costs one
 * collections call. Results keep the input's order.
 */
async function withLockRetries<R>(input: WriteInput<R>, options: WriterOptions, route: WriteRoute<R>): Promise<UpsertResult[]> {
  const results = await writeOnce(input, options, route);
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let round = 0; round < (options.lockRetries ?? 2); round++) {
    const lockedAt: number[] = [];
    results.forEach((result, index) => {
      if (isLocked(result)) lockedAt.push(index);
    });
    if (lockedAt.length === 0) break;
    const wanted = new Set(lockedAt);
    const rows: R[] = [];
    let index = 0;
    // A streamed input (a spool) is read again; only the locked rows are kept.
    if (isSource(input)) for await (const row of input.rows()) { if (wanted.has(index++)) rows.push(row); }
    else for (const at of lockedAt) rows.push((input as readonly R[])[at] as R);
    await sleep(backoffDelay(round, retry));
    // Progress already reached the total; a retried row is past the leading successes handed over.
    const again = await writeOnce(rows, { ...options, onProgress: undefined, onSucceeded: undefined }, route);
    lockedAt.forEach((at, i) => {
      const result = again[i];
      if (result) results[at] = result;
    });
  }
  return results;
}

async function updateWithCollections(session: SalesforceSession, objectName: string, rows: readonly UpdateRow[], options: WriterOptions): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let start = 0; start < rows.length; start += COLLECTION_LIMIT) {
    const chunk = rows.slice(start, start + COLLECTION_LIMIT);
    const body = { allOrNone: false, records: chunk.map((row) => ({ attributes: { type: objectName }, Id: row.id, ...row.values })) };
    const response = await withRetry(
      () => session.conn.request({ method: 'PATCH', url: `${restBase(session)}/composite/sobjects`, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      options.retry ?? DEFAULT_RETRY,
    );
    if (!Array.isArray(response) || response.length !== chunk.length) {
      throw new SalesforceResponseError(`Salesforce answered a collections update of ${chunk.length} ${objectName} records with an unexpected body.`);
    }
    response.forEach((item: { id?: string; success?: boolean; errors?: WriteError[] }, index) => {
      results.push({ externalId: chunk[index]?.id ?? '', success: item.success === true, id: item.id ?? chunk[index]?.id ?? null, created: false, errors: (item.errors ?? []).map(normalizeError) });
    });
    options.onProgress?.(results.length, rows.length);
  }
  return results;
}

function asIngestSource<R>(input: WriteInput<R>, toRow: (row: R) => IngestRow): RowSource<IngestRow> {
  return {
    count: countOf(input),
    ...(isSource(input) && input.valueColumns ? { valueColumns: input.valueColumns.bind(input) } : {}),
    async *rows() {
      if (isSource(input)) for await (const row of input.rows()) yield toRow(row);
      else for (const row of input as readonly R[]) yield toRow(row);
    },
  };
}

async function upsertWithCollections(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  rows: readonly UpsertRow[],
  options: WriterOptions,
): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let start = 0; start < rows.length; start += COLLECTION_LIMIT) {
    results.push(...(await upsertCollectionChunk(session, objectName, externalIdField, rows.slice(start, start + COLLECTION_LIMIT), options.retry ?? DEFAULT_RETRY)));
    options.onProgress?.(results.length, rows.length);
  }
  return results;
}

async function upsertCollectionChunk(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  chunk: readonly UpsertRow[],
  retry: RetryPolicy,
): Promise<UpsertResult[]> {
  const body = {
    allOrNone: false,
    records: chunk.map((row) => ({ attributes: { type: objectName }, ...row.values, [externalIdField]: row.externalId })),
  };
  const url = `${restBase(session)}/composite/sobjects/${objectName}/${externalIdField}`;
  const response = await withRetry(
    () => session.conn.request({ method: 'PATCH', url, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    retry,
  );
  if (!Array.isArray(response) || response.length !== chunk.length) {
    throw new SalesforceResponseError(`Salesforce answered a collections upsert of ${chunk.length} ${objectName} records with ${Array.isArray(response) ? response.length : 'no'} results.`);
  }
  return response.map((item: { id?: string; success?: boolean; created?: boolean; errors?: WriteError[] }, index) => ({
    externalId: chunk[index]?.externalId ?? '',
    success: item.success === true,
    id: item.id ?? null,
    created: item.created === true,
    errors: Array.isArray(item.errors) ? item.errors.map(normalizeError) : [],
  }));
}

function normalizeError(error: Partial<WriteError>): WriteError {
  return { statusCode: String(error.statusCode ?? 'UNKNOWN_ERROR'), message: String(error.message ?? ''), fields: Array.isArray(error.fields) ? error.fields.map(String) : [] };
}

async function writeWithBulk(session: SalesforceSession, target: IngestTarget, source: RowSource<IngestRow>, options: WriterOptions): Promise<UpsertResult[]> {
  const intervalMs = options.bulkPollIntervalMs ?? 1000;
  const poll = {
    intervalMs,
    maxIntervalMs: Math.max(intervalMs, 10_000),
    maxEstimatedMs: Math.max(intervalMs, 30_000),
    timeoutMs: options.bulkPollTimeoutMs ?? 30 * 60_000,
    pace: options.bulkPace ?? createBulkPace(),
  };
  // A failed job is simply run again: upserts by external id and updates by Id make a second run idempotent.
  const retry = options.retry ?? DEFAULT_RETRY;
  const live = options.onSucceeded ? new LiveOutcome() : undefined;
  const job = withRetry(() => runIngestJob(session, target, source, poll, retry, live), { ...retry, timeoutMs: poll.timeoutMs + 60_000 }).finally(() => live?.finish());
  const handedOver = live && options.onSucceeded ? streamSucceededPrefix(source, live, options.onSucceeded) : Promise.resolve();
  // Both run to their end before either's error is thrown: the caller learns exactly what it was handed.
  const [jobSettled, handOverSettled] = await Promise.allSettled([job, handedOver]);
  if (jobSettled.status === 'rejected') throw jobSettled.reason;
  if (handOverSettled.status === 'rejected') throw handOverSettled.reason;
  const outcome = jobSettled.value;
  options.onProgress?.(source.count, source.count);
  const out: UpsertResult[] = [];
  for await (const row of source.rows()) {
    const sfId = outcome.everyRowSucceeded ? row.key : outcome.succeeded.get(row.key);
    if (sfId !== undefined) out.push({ externalId: row.key, success: true, id: sfId, created: outcome.created.has(row.key), errors: NO_ERRORS });
    else out.push(outcome.failed.get(row.key) ?? unprocessed(row.key));
  }
  return out;
}


function unprocessed(key: string): UpsertResult {
  return { externalId: key, success: false, id: null, created: false, errors: [{ statusCode: 'BULK_UNPROCESSED', message: 'The Bulk API job did not process this record.', fields: [] }] };
}
