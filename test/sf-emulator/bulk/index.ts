// Bulk API 2.0 (`/services/data/vNN.N/jobs/ingest` and `/jobs/query`) as one route module. Ledger
// labels come from the patterns (`bulk2.ingest.create`, `bulk2.ingest.batches.upload`,
// `bulk2.query.results.get` …); only the job lists are named, since the server would label a list and a
// job-info poll alike (`bulk2.ingest.get`).
import type { EmulatorOrg, EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import {
  createIngestJob, failedResults, ingestJobInfo, patchIngestJob, successfulResults, unprocessedRecords, uploadJobData,
} from './ingest-routes.ts';
import { bulkError, findJob, jobNotFound, jobSummary, jobsOf } from './jobs.ts';
import type { BulkJob } from './jobs.ts';
import { abortQueryJob, createQueryJob, queryJobInfo, queryResults } from './query-routes.ts';

/** GET …/jobs/ingest or …/jobs/query: every job of that kind, oldest first, in one page. */
function listJobs(kind: BulkJob['kind']) {
  return (request: EmulatorRequest, org: EmulatorOrg): EmulatorReply => {
    const version = request.params.version ?? '';
    const records = [...jobsOf(org).values()]
      .filter((job) => job.kind === kind)
      .map((job) => ({ ...jobSummary(job, version), jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query' }));
    return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
  };
}

/** DELETE a job: allowed once it is no longer Open or running, as on Salesforce. */
function deleteJob(kind: BulkJob['kind']) {
  return (request: EmulatorRequest, org: EmulatorOrg): EmulatorReply => {
    const job = findJob(org, kind, request.params.jobId ?? '');
    if (!job) return jobNotFound();
    if (job.state === 'Open' || job.state === 'InProgress') {
      return bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; only UploadComplete, JobComplete, Aborted or Failed jobs can be deleted`);
    }
    jobsOf(org).delete(job.id);
    return { status: 204 };
  };
}

const INGEST = '/services/data/:version/jobs/ingest';
const QUERY = '/services/data/:version/jobs/query';

export const bulkRoutes: RouteModule = {
  name: 'bulk2',
  routes: [
    { method: 'POST', pattern: INGEST, handler: createIngestJob },
    { method: 'GET', pattern: INGEST, handler: listJobs('ingest'), label: 'ingest.list' },
    { method: 'GET', pattern: `${INGEST}/:jobId`, handler: ingestJobInfo },
    { method: 'PATCH', pattern: `${INGEST}/:jobId`, handler: patchIngestJob },
    { method: 'DELETE', pattern: `${INGEST}/:jobId`, handler: deleteJob('ingest') },
    { method: 'PUT', pattern: `${INGEST}/:jobId/batches`, handler: uploadJobData },
    { method: 'GET', pattern: `${INGEST}/:jobId/successfulResults`, handler: successfulResults },
    { method: 'GET', pattern: `${INGEST}/:jobId/failedResults`, handler: failedResults },
    { method: 'GET', pattern: `${INGEST}/:jobId/unprocessedrecords`, handler: unprocessedRecords },
    { method: 'POST', pattern: QUERY, handler: createQueryJob },
    { method: 'GET', pattern: QUERY, handler: listJobs('query'), label: 'query.list' },
    { method: 'GET', pattern: `${QUERY}/:jobId`, handler: queryJobInfo },
    { method: 'PATCH', pattern: `${QUERY}/:jobId`, handler: abortQueryJob },
    { method: 'DELETE', pattern: `${QUERY}/:jobId`, handler: deleteJob('query') },
    { method: 'GET', pattern: `${QUERY}/:jobId/results`, handler: queryResults },
  ],
};
