// Runs an ingest job after UploadComplete: parses the upload a chunk at a time and sends each row
// through the org's own create/update/upsert/delete (so bulk rows meet the same validation as REST,
// parents named by external id included), yielding to the event loop between chunks. Rows land in the
// job's successful / failed / unprocessed lists; an abort stops it at the next chunk.
import { setImmediate } from 'node:timers';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EmulatorOrg, SaveResult, SfErrorItem, SObjectValues } from '../contracts.ts';
import { CsvFormatError, parseCsvChunks } from './csv.ts';
import { HeaderError, NULL_MARKER, convertCell, formatRowErrors, planColumns } from './ingest-columns.ts';
import type { ColumnPlan, DescribeField } from './ingest-columns.ts';
import { setState } from './jobs.ts';
import type { IngestJob } from './jobs.ts';
import { recordFaultFor } from './record-faults.ts';

/** Rows per chunk between two yields to the event loop. */
export const CHUNK_ROWS = 1000;

export function startIngestProcessing(org: EmulatorOrg, job: IngestJob, userId: string | undefined): void {
  setImmediate(() => {
    processIngest(org, job, userId).catch((error: unknown) => {
      if (job.state === 'InProgress' || job.state === 'UploadComplete') setState(job, 'Failed', `InternalServerError : ${(error as Error).message}`);
    });
  });
}

async function processIngest(org: EmulatorOrg, job: IngestJob, userId: string | undefined): Promise<void> {
  if (job.state !== 'UploadComplete') return;
  setState(job, 'InProgress');
  const fields = describeFields(org, job.object) ?? [];
  let columns: ColumnPlan[] | undefined;
  let failure: string | undefined;
  try {
    for await (const chunk of parseCsvChunks(job.upload ?? Buffer.alloc(0), job, CHUNK_ROWS)) {
      if (job.header.length === 0) {
        job.header = chunk.shift() ?? [];
        try {
          columns = planColumns(job.header, fields, job.operation, (name) => describeFields(org, name));
        } catch (error) {
          if (!(error instanceof HeaderError)) throw error;
          failure = error.message;
        }
      }
      if (failure || !columns || !isRunning(job)) {
        job.unprocessed.push(...chunk); // failed or aborted: the rest stays unprocessed
        continue;
      }
      for (const row of chunk) processRow(org, job, columns, row, userId);
      await yieldToEventLoop();
    }
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    failure = error.message;
  }
  if (!isRunning(job)) return; // aborted meanwhile
  if (job.header.length === 0) failure ??= 'InvalidBatch : The upload holds no CSV header';
  setState(job, failure ? 'Failed' : 'JobComplete', failure);
}

/** Read through a function so the compiler does not narrow it: an abort request changes it meanwhile. */
function isRunning(job: IngestJob): boolean {
  return job.state === 'InProgress';
}

function processRow(
  org: EmulatorOrg,
  job: IngestJob,
  columns: ColumnPlan[],
  row: string[],
  userId: string | undefined,
): void {
  const values: SObjectValues = {};
  const errors: SfErrorItem[] = [];
  let id: string | undefined;
  columns.forEach((column, index) => {
    const cell = row[index] ?? '';
    if (cell === '') return; // an empty cell leaves the field as it is; #N/A clears it
    if (column.kind === 'id') {
      id = cell;
    } else if (column.kind === 'field') {
      const converted = convertCell(cell, column.field, index + 1);
      if (converted.ok) values[column.field.name] = converted.value;
      else errors.push(converted.error);
    } else if (cell === NULL_MARKER) {
      values[column.lookupField.name] = null;
    } else {
      // The org resolves `Account.PRM_Id__c` to the parent's id (or reports the foreign key error).
      values[`${column.lookupField.relationshipName}.${column.parentField}`] = cell;
    }
  });
  job.numberRecordsProcessed += 1;
  const index = job.numberRecordsProcessed - 1;
  const fault = errors.length > 0 ? undefined : recordFaultFor(org, { objectName: job.object, operation: job.operation, index, values: id === undefined ? values : { Id: id, ...values } });
  if (fault) errors.push(fault);
  const result = errors.length > 0 ? undefined : save(org, job, id, values, userId);
  if (result?.success) {
    const created = job.operation === 'insert' || (job.operation === 'upsert' && result.created === true);
    job.successful.push([result.id ?? id ?? '', String(created), ...row]);
  } else {
    job.numberRecordsFailed += 1;
    job.failed.push([result?.id ?? id ?? '', formatRowErrors(result?.errors ?? errors), ...row]);
  }
}

const INSERT_WITH_ID =
  'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your Profile or Permission Set.';

function save(org: EmulatorOrg, job: IngestJob, id: string | undefined, values: SObjectValues, userId: string | undefined): SaveResult {
  switch (job.operation) {
    case 'insert':
      if (id !== undefined) return failure('INVALID_FIELD_FOR_INSERT_UPDATE', INSERT_WITH_ID, ['Id']);
      return org.create(job.object, values, userId);
    case 'update':
      if (id === undefined) return failure('MISSING_ARGUMENT', 'Id not specified in an update call', []);
      return org.update(job.object, id, values, userId);
    case 'upsert': {
      const external = job.externalIdFieldName ?? 'Id';
      if (external.toLowerCase() === 'id') {
        return id === undefined ? org.create(job.object, values, userId) : withCreated(org.update(job.object, id, values, userId));
      }
      if (values[external] === undefined || values[external] === null) return failure('MISSING_ARGUMENT', `${external} not specified`, []);
      return org.upsert(job.object, external, values, userId);
    }
    case 'delete':
    case 'hardDelete':
      if (id === undefined) return failure('MISSING_ARGUMENT', 'Id not specified in a delete call', []);
      return org.delete(job.object, id, userId);
  }
}

function withCreated(result: SaveResult): SaveResult {
  return { ...result, created: false };
}

function failure(statusCode: string, message: string, fields: string[]): SaveResult {
  return { id: null, success: false, errors: [{ statusCode, message, fields }] };
}

export function describeFields(org: EmulatorOrg, objectName: string): DescribeField[] | undefined {
  return org.describe(objectName)?.fields as DescribeField[] | undefined;
}
