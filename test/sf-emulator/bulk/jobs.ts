// Bulk API 2.0 jobs as data: what an ingest or query job holds, its JobInfo JSON, and where jobs live
// (per org, so two emulators in one process never see each other's jobs).
import type { EmulatorOrg, EmulatorReply } from '../contracts.ts';
import type { ColumnDelimiter, LineEnding } from './csv.ts';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';

interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: Date;
  systemModstamp: Date;
  state: JobState;
  apiVersion: number;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  errorMessage?: string;
  processingStarted?: number; // ms timestamp, for totalProcessingTime
  totalProcessingTime: number;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  upload?: Buffer;
  numberRecordsFailed: number;
  header: string[];
  successful: string[][]; // sf__Id, sf__Created, …input
  failed: string[][]; // sf__Id, sf__Error, …input
  unprocessed: string[][]; // …input
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: QueryOperation;
  query: string;
  header: string[];
  rows: string[][];
}

export type BulkJob = IngestJob | QueryJob;

const jobsByOrg = new WeakMap<EmulatorOrg, Map<string, BulkJob>>();

export function jobsOf(org: EmulatorOrg): Map<string, BulkJob> {
  let jobs = jobsByOrg.get(org);
  if (!jobs) jobsByOrg.set(org, (jobs = new Map()));
  return jobs;
}

export function findJob<K extends BulkJob['kind']>(org: EmulatorOrg, kind: K, id: string): Extract<BulkJob, { kind: K }> | undefined {
  const jobs = jobsOf(org);
  const job = jobs.get(id) ?? [...jobs.values()].find((j) => j.id.slice(0, 15) === id.slice(0, 15) && id.length >= 15);
  return job?.kind === kind ? (job as Extract<BulkJob, { kind: K }>) : undefined;
}

export function setState(job: BulkJob, state: JobState, errorMessage?: string): void {
  job.state = state;
  job.systemModstamp = new Date();
  if (state === 'InProgress') job.processingStarted = Date.now();
  if ((state === 'JobComplete' || state === 'Failed' || state === 'Aborted') && job.processingStarted !== undefined) {
    job.totalProcessingTime = Date.now() - job.processingStarted;
  }
  if (errorMessage !== undefined) job.errorMessage = errorMessage;
}

/** Salesforce's datetime format: millisecond precision and a +0000 offset. */
export function sfDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** The job fields every response carries (create, list). */
export function jobSummary(job: BulkJob, version: string): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: sfDateTime(job.createdDate),
    systemModstamp: sfDateTime(job.systemModstamp),
    state: job.state,
    ...(job.kind === 'ingest' && job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    ...(job.kind === 'ingest' && job.state === 'Open' ? { contentUrl: `services/data/${version}/jobs/ingest/${job.id}/batches` } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** GET …/jobs/{ingest|query}/id: the summary plus progress counters. */
export function jobInfo(job: BulkJob, version: string): Record<string, unknown> {
  const info: Record<string, unknown> = {
    ...jobSummary(job, version),
    jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query',
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
  };
  if (job.kind === 'ingest') {
    Object.assign(info, { numberRecordsFailed: job.numberRecordsFailed, apiActiveProcessingTime: job.totalProcessingTime, apexProcessingTime: 0 });
  } else {
    info.isPkChunkingSupported = false;
  }
  if (job.errorMessage) info.errorMessage = job.errorMessage;
  return info;
}

/** Bulk API 2.0 error body: `[{ errorCode, message }]`. */
export function bulkError(status: number, errorCode: string, message: string): EmulatorReply {
  return { status, body: [{ errorCode, message }] };
}

export function jobNotFound(): EmulatorReply {
  return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** The API version number from a `v62.0` path segment. */
export function apiVersionNumber(version: string | undefined): number {
  const parsed = Number((version ?? '').replace(/^v/, ''));
  return Number.isFinite(parsed) ? parsed : 0;
}
