// One Bulk API 2.0 ingest job (upsert by external id, or update by Id) for any number of rows, streamed
// both ways: the CSV is generated row by row into the upload request, and the results are parsed as they
// download, keeping only each row's key and Salesforce Id — so a job of 200,000 records never holds its
// rows, nor the results (which repeat every input column), in memory. Only the calls a job needs are made — create,
// upload, close, status checks timed by the pace seen (bulk-pace.ts), the successful results (not for an
// update the job info shows fully done: they would only repeat the Ids we sent), and the failed results
// only when the job info reports any — which is what keeps an initial sync near the platform's floor of
// five calls a job.
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { firstWait, learnPace, nextWait, type BulkPace, type JobProgress } from './bulk-pace.ts';
import type { SalesforceSession } from './connection.ts';
import { restBase } from './connection.ts';
import { emptyOutcome, type LiveOutcome } from './live-results.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import type { UpsertResult, WriteError } from './writer.ts';

/** Rows to write, readable more than once (a failed job is run again), with every column any row sets. */
export interface RowSource<R> {
  readonly count: number;
  rows(): AsyncIterable<R>;
  /** Every value column any row sets, when the source kept track (saves reading every row to find out). */
  valueColumns?(): ReadonlySet<string>;
}

export interface IngestTarget {
  object: string;
  operation: 'upsert' | 'update';
  /** upsert: the external id field; update: `Id`. The results are keyed by this column. */
  keyField: string;
}

export interface IngestRow {
  key: string;
  values: Record<string, unknown>;
}

export interface PollOptions {
  /** The shortest wait between status checks (and the first, while the session's pace is unknown). */
  intervalMs: number;
  /** The longest wait while a job shows no progress (waits grow by half up to this). */
  maxIntervalMs: number;
  /** The longest wait an estimate from the pace seen may ask for. */
  maxEstimatedMs: number;
  timeoutMs: number;
  /** The pace of earlier jobs in this session, learned from and updated by each job. */
  pace: BulkPace;
}

/**
 * What a job gave back: the Salesforce Id of each key that succeeded (`created` says which of them are
 * new), a result for each key that failed, or (an update done in full) the knowledge that every row
 * succeeded. Keys in neither map were not processed.
 */
export interface IngestOutcome {
  succeeded: Map<string, string>;
  created: Set<string>;
  failed: Map<string, UpsertResult>;
  everyRowSucceeded: boolean;
}

interface JobInfo {
  id: string;
  state: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  /** Milliseconds the org took to process the job (reported once it is complete). */
  totalProcessingTime?: number;
  errorMessage?: string;
}

/** A live caller is told of new successes every this many result rows. */
const LIVE_NOTICE_ROWS = 1000;

export class BulkJobFailedError extends Error {
  override name = 'BulkJobFailedError';
}

/** Runs the job; one result per key (rows the job did not process come back as BULK_UNPROCESSED). */
export async function runIngestJob(
  session: SalesforceSession,
  target: IngestTarget,
  source: RowSource<IngestRow>,
  poll: PollOptions,
  retry: RetryPolicy = DEFAULT_RETRY,
  live?: LiveOutcome,
): Promise<IngestOutcome> {
  const columns = await columnsOf(target, source);
  const job = session.conn.bulk2.createJob({
    object: target.object,
    operation: target.operation,
    ...(target.operation === 'upsert' ? { externalIdFieldName: target.keyField } : {}),
    lineEnding: 'LF',
    contentType: 'CSV',
  });
  job.on('error', () => undefined); // errors are thrown to the caller as well; the listener keeps emit from throwing twice
  await job.open();
  await job.uploadData(csvStream(target, columns, source));
  await job.close();
  const info = await waitForJob(job as unknown as { check(): Promise<JobInfo> }, source.count, poll);
  // Filled as the results download; a live caller takes successes from it meanwhile (live-results.ts).
  const outcome = live?.attempt() ?? emptyOutcome();
  const failedCount = info.numberRecordsFailed ?? 0;
  // An update by Id answers nothing but the Ids we sent: when every row is processed and none failed, the
  // successful results would cost a call to say so.
  if (target.operation === 'update' && failedCount === 0 && info.numberRecordsProcessed === source.count) {
    outcome.everyRowSucceeded = true;
    return outcome;
  }
  const resultsOf = (kind: 'successfulResults' | 'failedResults') => `${restBase(session)}/jobs/ingest/${info.id}/${kind}/`;
  // A dropped download is read again, not the job run again: the job's results stay on the server.
  await withRetry(async () => {
    outcome.succeeded.clear();
    outcome.created.clear();
    for await (const row of resultRows(await session.streamGet(resultsOf('successfulResults')), target.keyField)) {
      const key = row[target.keyField] ?? '';
      if (row.sf__Created === 'true') outcome.created.add(key);
      outcome.succeeded.set(key, row.sf__Id || key);
      if (live && outcome.succeeded.size % LIVE_NOTICE_ROWS === 0) live.changed();
    }
    live?.changed();
  }, retry);
  if (failedCount > 0) {
    await withRetry(async () => {
      outcome.failed.clear();
      for await (const row of resultRows(await session.streamGet(resultsOf('failedResults')), target.keyField)) {
        const key = row[target.keyField] ?? '';
        outcome.failed.set(key, { externalId: key, success: false, id: row.sf__Id || null, created: false, errors: [parseBulkError(row.sf__Error ?? '')] });
      }
    }, retry);
  }
  // Rows that are neither successful nor failed were not processed (the job failed part way): the caller
  // reports them as such; there is nothing more to learn from the unprocessed records resource.
  return outcome;
}

/** Every column any row sets, the key first: a column a row does not set stays an empty cell (left alone). */
async function columnsOf(target: IngestTarget, source: RowSource<IngestRow>): Promise<string[]> {
  const columns = new Set<string>([target.keyField]);
  if (source.valueColumns) for (const column of source.valueColumns()) columns.add(column);
  else for await (const row of source.rows()) for (const column of Object.keys(row.values)) columns.add(column);
  return [...columns];
}

function csvStream(target: IngestTarget, columns: readonly string[], source: RowSource<IngestRow>): Readable {
  async function* cells(): AsyncGenerator<string[]> {
    for await (const row of source.rows()) {
      yield columns.map((column) => (column === target.keyField ? row.key : column in row.values ? csvCell(row.values[column]) : ''));
    }
  }
  return Readable.from(cells()).pipe(stringify({ header: true, columns: [...columns] }));
}

async function waitForJob(job: { check(): Promise<JobInfo> }, total: number, poll: PollOptions): Promise<JobInfo> {
  const closedAt = Date.now();
  const deadline = closedAt + poll.timeoutMs;
  let wait = firstWait(poll.pace, total, poll);
  let lastProgress: JobProgress | null = null;
  for (;;) {
    await delay(wait);
    const info = await job.check();
    const progress = { elapsedMs: Date.now() - closedAt, processed: info.numberRecordsProcessed ?? 0, total };
    if (info.state === 'JobComplete') {
      learnPace(poll.pace, lastProgress, { ...progress, processed: total }, numberOrUndefined(info.totalProcessingTime));
      return info;
    }
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new BulkJobFailedError(`The Bulk API job ${info.id} ended ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}.`);
    }
    const earlier = lastProgress;
    if (progress.processed > 0) lastProgress = progress;
    wait = nextWait(progress, wait, poll, earlier);
    if (Date.now() + wait > deadline) throw new BulkJobFailedError(`The Bulk API job ${info.id} did not finish within ${Math.round(poll.timeoutMs / 1000)} s (state ${info.state}).`);
  }
}

/** A number Salesforce reported, or undefined where it reported none (or something else). */
function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The result columns we use, one small object a row, parsed as the CSV arrives (the input columns the results repeat are skipped). */
function resultRows(body: Readable, keyField: string): AsyncIterable<Record<string, string>> {
  const keep = new Set(['sf__Id', 'sf__Created', 'sf__Error', keyField]);
  const parser = parse({
    // Skipped as they are parsed (false), not copied and dropped.
    columns: (header: string[]) => header.map((column) => (keep.has(column) ? column : false)),
    skip_empty_lines: true,
    relax_column_count: true,
  });
  // A download cut off half way must fail the read, not end it early as if the results were complete.
  body.on('error', (error) => parser.destroy(error));
  return body.pipe(parser);
}

/** Bulk API 2.0 writes nulls as `#N/A`; everything else as text. */
export function csvCell(value: unknown): string {
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
