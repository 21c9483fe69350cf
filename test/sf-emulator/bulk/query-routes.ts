// Bulk API 2.0 query jobs: the SOQL runs when the job is created (so a bad query is refused at once, as
// Salesforce does), the job then moves UploadComplete → InProgress → JobComplete on timers, and the
// results are read in pages with Sforce-Locator (the literal `null` on the last page).
import { setImmediate } from 'node:timers';
import type { EmulatorOrg, EmulatorReply, EmulatorRequest } from '../contracts.ts';
import { SoqlError } from '../contracts.ts';
import { KEY_PREFIX, newId } from '../metadata/ids.ts';
import { writeCsv } from './csv.ts';
import { formatOptions, jsonBody } from './ingest-routes.ts';
import { apiVersionNumber, bulkError, findJob, jobInfo, jobNotFound, jobSummary, jobsOf, setState } from './jobs.ts';
import type { QueryJob } from './jobs.ts';
import { csvRows, queryColumns } from './query-rows.ts';

/** Rows per results page when the caller sets no maxRecords (Salesforce picks its own, large, size). */
export const DEFAULT_MAX_RECORDS = 100_000;
const CREATE_KEYS = new Set(['operation', 'query', 'contentType', 'columnDelimiter', 'lineEnding']);

export function createQueryJob(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const body = jsonBody(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bulkError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const unknownKey = Object.keys(fields).find((key) => !CREATE_KEYS.has(key));
  if (unknownKey) return bulkError(400, 'JSON_PARSER_ERROR', `Unrecognized field "${unknownKey}"`);
  const operation = fields.operation === 'query' || fields.operation === 'queryAll' ? fields.operation : undefined;
  if (!operation) return bulkError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(fields.operation ?? '')} (query or queryAll)`);
  if (typeof fields.query !== 'string' || fields.query.trim() === '') return bulkError(400, 'INVALIDJOB', 'InvalidJob : A query job needs a query');
  const format = formatOptions(fields);
  if ('status' in format) return format;

  let header: string[];
  let rows: string[][];
  let objectName: string;
  try {
    const select = queryColumns(fields.query, org);
    const result = org.query(fields.query, { includeDeleted: operation === 'queryAll' });
    header = select.columns.map((c) => c.header);
    rows = csvRows(result.records, select.columns);
    objectName = select.objectName;
  } catch (error) {
    if (error instanceof SoqlError) return bulkError(400, error.errorCode, error.message);
    throw error;
  }

  const now = new Date();
  const job: QueryJob = {
    kind: 'query',
    id: newId(KEY_PREFIX.bulkJob),
    object: objectName,
    operation,
    query: fields.query,
    createdById: request.userId ?? '',
    createdDate: now,
    systemModstamp: now,
    state: 'UploadComplete',
    apiVersion: apiVersionNumber(request.params.version),
    ...format,
    numberRecordsProcessed: 0,
    totalProcessingTime: 0,
    header,
    rows,
  };
  jobsOf(org).set(job.id, job);
  // Real query jobs are queued and processed; the results exist already, the states follow them.
  setImmediate(() => {
    if (job.state !== 'UploadComplete') return;
    setState(job, 'InProgress');
    setImmediate(() => {
      if (job.state !== 'InProgress') return;
      job.numberRecordsProcessed = job.rows.length;
      setState(job, 'JobComplete');
    });
  });
  return { status: 200, body: jobSummary(job, request.params.version ?? '') };
}

export function queryJobInfo(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'query', request.params.jobId ?? '');
  return job ? { status: 200, body: jobInfo(job, request.params.version ?? '') } : jobNotFound();
}

export function abortQueryJob(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'query', request.params.jobId ?? '');
  if (!job) return jobNotFound();
  const state = (jsonBody(request) as { state?: unknown } | undefined)?.state;
  if (state !== 'Aborted') return bulkError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)} (a query job can only be Aborted)`);
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return bulkError(409, 'INVALIDJOBSTATE', `Cannot abort a job that is ${job.state}`);
  setState(job, 'Aborted');
  return { status: 200, body: jobSummary(job, request.params.version ?? '') };
}

export function queryResults(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'query', request.params.jobId ?? '');
  if (!job) return jobNotFound();
  if (job.state !== 'JobComplete') return bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; results are available once it is JobComplete`);
  const maxRecordsText = request.query.get('maxRecords');
  const maxRecords = maxRecordsText === null ? DEFAULT_MAX_RECORDS : Number(maxRecordsText);
  if (!Number.isInteger(maxRecords) || maxRecords < 1) return bulkError(400, 'INVALIDREQUEST', `maxRecords must be a positive integer, got ${maxRecordsText}`);
  const locator = request.query.get('locator');
  const offset = locator === null || locator === '' ? 0 : decodeLocator(locator);
  if (offset === undefined || offset > job.rows.length) return bulkError(400, 'INVALIDREQUEST', `Invalid locator: ${locator}`);
  const page = job.rows.slice(offset, offset + maxRecords);
  const next = offset + page.length;
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv',
      'Sforce-Locator': next < job.rows.length ? encodeLocator(next) : 'null',
      'Sforce-NumberOfRecords': String(page.length),
    },
    body: writeCsv([job.header, ...page], job),
  };
}

/** Salesforce's locators are the row offset in base64 without padding (`MTAwMDA` = 10000). */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const decoded = Buffer.from(locator, 'base64').toString('utf8');
  return /^\d+$/.test(decoded) ? Number(decoded) : undefined;
}
