// Bulk API 2.0 ingest jobs over HTTP: create, upload CSV, close or abort, job info and the three result
// sets (listing and deleting jobs are in index.ts, processing in ingest-processor.ts).
import type { EmulatorOrg, EmulatorReply, EmulatorRequest } from '../contracts.ts';
import { KEY_PREFIX, newId } from '../metadata/ids.ts';
import { COLUMN_DELIMITERS, writeCsv } from './csv.ts';
import type { ColumnDelimiter, LineEnding } from './csv.ts';
import { describeFields, startIngestProcessing } from './ingest-processor.ts';
import { apiVersionNumber, bulkError, findJob, jobInfo, jobNotFound, jobSummary, jobsOf, setState } from './jobs.ts';
import type { IngestJob, IngestOperation } from './jobs.ts';

/** One job's CSV upload may be at most 150 MB. */
export const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;

const OPERATIONS: readonly IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const CREATE_KEYS = new Set(['object', 'operation', 'externalIdFieldName', 'contentType', 'lineEnding', 'columnDelimiter', 'assignmentRuleId']);

export function jsonBody(request: EmulatorRequest): unknown {
  if (request.json !== undefined) return request.json;
  try {
    return JSON.parse(request.rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Checks the options shared by ingest and query jobs; answers the error reply or the parsed values. */
export function formatOptions(body: Record<string, unknown>): { lineEnding: LineEnding; columnDelimiter: ColumnDelimiter } | EmulatorReply {
  if (body.contentType !== undefined && body.contentType !== 'CSV') return bulkError(400, 'INVALIDJOB', `InvalidJob : Invalid content type: ${String(body.contentType)} (only CSV)`);
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') return bulkError(400, 'INVALIDJOB', `InvalidJob : Invalid lineEnding: ${String(lineEnding)} (LF or CRLF)`);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in COLUMN_DELIMITERS)) {
    return bulkError(400, 'INVALIDJOB', `InvalidJob : Invalid columnDelimiter: ${String(columnDelimiter)}`);
  }
  return { lineEnding, columnDelimiter: columnDelimiter as ColumnDelimiter };
}

export function createIngestJob(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const body = jsonBody(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bulkError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const unknownKey = Object.keys(fields).find((key) => !CREATE_KEYS.has(key));
  if (unknownKey) return bulkError(400, 'JSON_PARSER_ERROR', `Unrecognized field "${unknownKey}"`);
  const objectName = typeof fields.object === 'string' ? org.resolveObjectName(fields.object) : undefined;
  if (!objectName) return bulkError(400, 'INVALIDJOB', `InvalidJob : Unable to find object: ${String(fields.object ?? '')}`);
  const operation = OPERATIONS.find((op) => op === fields.operation);
  if (!operation) return bulkError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(fields.operation ?? '')}`);
  const format = formatOptions(fields);
  if ('status' in format) return format;

  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const requested = typeof fields.externalIdFieldName === 'string' ? fields.externalIdFieldName : '';
    const field = describeFields(org, objectName)?.find((f) => f.name.toLowerCase() === requested.toLowerCase());
    if (!requested) return bulkError(400, 'INVALIDJOB', 'InvalidJob : External ID field name is required for upsert');
    if (!field || !(field.externalId || field.name === 'Id')) {
      return bulkError(400, 'INVALIDJOB', `InvalidJob : Field name provided, ${requested} does not match an External ID, Salesforce Id, or indexed field for ${objectName}`);
    }
    externalIdFieldName = field.name;
  } else if (fields.externalIdFieldName !== undefined) {
    return bulkError(400, 'INVALIDJOB', 'InvalidJob : externalIdFieldName is only valid for upsert');
  }

  const now = new Date();
  const job: IngestJob = {
    kind: 'ingest',
    id: newId(KEY_PREFIX.bulkJob),
    object: objectName,
    operation,
    createdById: request.userId ?? '',
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    apiVersion: apiVersionNumber(request.params.version),
    ...format,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    totalProcessingTime: 0,
    header: [],
    successful: [],
    failed: [],
    unprocessed: [],
  };
  if (externalIdFieldName) job.externalIdFieldName = externalIdFieldName;
  jobsOf(org).set(job.id, job);
  return { status: 200, body: jobSummary(job, request.params.version ?? '') };
}

export function uploadJobData(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'ingest', request.params.jobId ?? '');
  if (!job) return jobNotFound();
  if (job.state !== 'Open') return bulkError(409, 'INVALIDJOBSTATE', `Job is not in an Open state (it is ${job.state}); data can only be uploaded to an Open job`);
  if (job.upload) return bulkError(409, 'INVALIDJOBSTATE', 'Data has already been uploaded to this job; a Bulk API 2.0 ingest job takes one upload');
  if (request.rawBody.length > MAX_UPLOAD_BYTES) return bulkError(413, 'REQUEST_TOO_LARGE', `The upload is ${request.rawBody.length} bytes; a job takes at most ${MAX_UPLOAD_BYTES} bytes of CSV`);
  const contentType = String(request.headers['content-type'] ?? '');
  if (!contentType.startsWith('text/csv')) return bulkError(400, 'INVALIDREQUEST', `Content-Type must be text/csv, got ${contentType || '(none)'}`);
  job.upload = Buffer.from(request.rawBody);
  job.systemModstamp = new Date();
  return { status: 201 };
}

export function patchIngestJob(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'ingest', request.params.jobId ?? '');
  if (!job) return jobNotFound();
  const body = jsonBody(request) as { state?: unknown } | undefined;
  const state = body?.state;
  if (state === 'UploadComplete') {
    if (job.state !== 'Open') return bulkError(409, 'INVALIDJOBSTATE', `Cannot close a job that is ${job.state}`);
    setState(job, 'UploadComplete');
    startIngestProcessing(org, job, request.userId);
  } else if (state === 'Aborted') {
    if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) return bulkError(409, 'INVALIDJOBSTATE', `Cannot abort a job that is ${job.state}`);
    setState(job, 'Aborted');
  } else {
    return bulkError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)} (UploadComplete or Aborted)`);
  }
  return { status: 200, body: jobSummary(job, request.params.version ?? '') };
}

export function ingestJobInfo(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = findJob(org, 'ingest', request.params.jobId ?? '');
  return job ? { status: 200, body: jobInfo(job, request.params.version ?? '') } : jobNotFound();
}

/** Results are readable once the job has finished; before that Salesforce answers with an error. */
function finishedJob(request: EmulatorRequest, org: EmulatorOrg): IngestJob | EmulatorReply {
  const job = findJob(org, 'ingest', request.params.jobId ?? '');
  if (!job) return jobNotFound();
  if (!['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
    return bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; results are available once it has finished`);
  }
  return job;
}

function csvReply(job: IngestJob, rows: string[][]): EmulatorReply {
  return { status: 200, headers: { 'content-type': 'text/csv' }, body: writeCsv(rows, job) };
}

export function successfulResults(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = finishedJob(request, org);
  if ('status' in job) return job;
  return csvReply(job, [['sf__Id', 'sf__Created', ...job.header], ...job.successful]);
}

export function failedResults(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = finishedJob(request, org);
  if ('status' in job) return job;
  return csvReply(job, [['sf__Id', 'sf__Error', ...job.header], ...job.failed]);
}

export function unprocessedRecords(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const job = finishedJob(request, org);
  if ('status' in job) return job;
  // An aborted or failed job that never read its upload still owes the caller every uploaded row.
  if (job.header.length === 0 && job.upload && job.upload.length > 0) return { status: 200, headers: { 'content-type': 'text/csv' }, body: job.upload.toString('utf8') };
  return csvReply(job, job.header.length > 0 ? [job.header, ...job.unprocessed] : []);
}
