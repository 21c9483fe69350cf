// Upserts by external id (PRM_Id__c): sObject Collections (≤ 200 records a call, allOrNone=false) for
// ordinary volumes, one Bulk API 2.0 ingest job above a threshold. Upserts by external id are idempotent,
// which is what makes retries and crash recovery safe. Per-record failures come back as results; the rest
// of the batch commits.
import { stringify } from 'csv-stringify/sync';
import type { SalesforceSession } from './connection.ts';
import { restBase } from './connection.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import { SalesforceResponseError } from './query.ts';

export interface UpsertRow {
  externalId: string;
  values: Record<string, unknown>;
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
  onProgress?: (done: number, total: number) => void;
}

export const COLLECTION_LIMIT = 200;
export const DEFAULT_BULK_THRESHOLD = 2000;

export async function upsertByExternalId(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  rows: readonly UpsertRow[],
  options: WriterOptions = { bulkThreshold: DEFAULT_BULK_THRESHOLD },
): Promise<UpsertResult[]> {
  if (rows.length === 0) return [];
  if (rows.length > options.bulkThreshold) return upsertWithBulk(session, objectName, externalIdField, rows, options);
  return upsertWithCollections(session, objectName, externalIdField, rows, options);
}

async function upsertWithCollections(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  rows: readonly UpsertRow[],
  options: WriterOptions,
): Promise<UpsertResult[]> {
  const results = new Map<string, UpsertResult>();
  let pending = [...rows];
  for (let round = 0; pending.length > 0 && round <= (options.lockRetries ?? 2); round++) {
    const locked: UpsertRow[] = [];
    for (let start = 0; start < pending.length; start += COLLECTION_LIMIT) {
      const chunk = pending.slice(start, start + COLLECTION_LIMIT);
      const chunkResults = await upsertCollectionChunk(session, objectName, externalIdField, chunk, options.retry ?? DEFAULT_RETRY);
      chunkResults.forEach((result, index) => {
        results.set(result.externalId, result);
        const row = chunk[index];
        if (row && !result.success && result.errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW')) locked.push(row);
      });
      options.onProgress?.(results.size, rows.length);
    }
    pending = locked;
  }
  return rows.map((row) => results.get(row.externalId) as UpsertResult);
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

async function upsertWithBulk(
  session: SalesforceSession,
  objectName: string,
  externalIdField: string,
  rows: readonly UpsertRow[],
  options: WriterOptions,
): Promise<UpsertResult[]> {
  const columns = [externalIdField, ...new Set(rows.flatMap((row) => Object.keys(row.values)))].filter((c, i, all) => all.indexOf(c) === i);
  // A column one row does not set stays an empty cell (Bulk API: field left alone); `#N/A` would clear it.
  const csv = stringify(
    rows.map((row) => columns.map((column) => (column === externalIdField ? row.externalId : column in row.values ? csvCell(row.values[column]) : ''))),
    { header: true, columns },
  );
  session.conn.bulk2.pollInterval = options.bulkPollIntervalMs ?? 1000;
  session.conn.bulk2.pollTimeout = options.bulkPollTimeoutMs ?? 30 * 60_000;
  // A failed job is simply run again: upserts by external id make the second run idempotent.
  const outcome = await withRetry(
    () =>
      session.conn.bulk2.loadAndWaitForResults({
        object: objectName,
        operation: 'upsert',
        externalIdFieldName: externalIdField,
        lineEnding: 'LF',
        input: csv,
      }),
    { ...(options.retry ?? DEFAULT_RETRY), timeoutMs: (options.bulkPollTimeoutMs ?? 30 * 60_000) + 60_000 },
  );
  const results = new Map<string, UpsertResult>();
  for (const row of outcome.successfulResults as Array<Record<string, unknown>>) {
    const externalId = String(row[externalIdField] ?? '');
    results.set(externalId, { externalId, success: true, id: String(row.sf__Id ?? ''), created: String(row.sf__Created) === 'true', errors: [] });
  }
  for (const row of outcome.failedResults as Array<Record<string, unknown>>) {
    const externalId = String(row[externalIdField] ?? '');
    results.set(externalId, { externalId, success: false, id: null, created: false, errors: [parseBulkError(String(row.sf__Error ?? ''))] });
  }
  options.onProgress?.(rows.length, rows.length);
  return rows.map(
    (row) =>
      results.get(row.externalId) ?? {
        externalId: row.externalId,
        success: false,
        id: null,
        created: false,
        errors: [{ statusCode: 'BULK_UNPROCESSED', message: 'The Bulk API job did not process this record.', fields: [] }],
      },
  );
}

/** Bulk API 2.0 writes nulls as `#N/A`; everything else as text. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '#N/A';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --` → a WriteError. */
export function parseBulkError(text: string): WriteError {
  const [code, ...rest] = text.split(':');
  const message = rest.join(':').replace(/:[^:]*--\s*$/, '').trim();
  const fieldsPart = text.match(/:([A-Za-z0-9_,]+) --\s*$/)?.[1];
  return { statusCode: code?.trim() || 'UNKNOWN_ERROR', message: message || text, fields: fieldsPart ? fieldsPart.split(',') : [] };
}
