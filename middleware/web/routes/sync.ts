// /sync: the Sync Manager. One row per integration (organizations, contacts, deal registration) with
// status, last and next run and counts; Run Now, Run Full Sync Now, pause/resume; live progress (the page
// refreshes itself while a job runs — no script needed; /sync/status.json serves the same facts); run
// history as a table and a server-drawn SVG chart.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { isJobName, JOB_LABELS, JOBS, type JobName } from '../../jobs/schedule-plan.ts';
import type { JobStatus } from '../../jobs/scheduler.ts';
import { flash } from '../flash.ts';
import { formBody, NoQuery } from '../forms.ts';
import { paginate } from '../pagination.ts';
import { createRunQueries, type RunRow } from '../queries/runs.ts';
import { renderPage } from '../render.ts';
import { runChart } from '../run-chart.ts';
import type { ConsoleServices } from '../services.ts';

const JobField = Type.Enum([...JOBS]);
const RunBody = formBody({ job: JobField, mode: Type.Enum(['incremental', 'full']) });
const PauseBody = formBody({ job: JobField, paused: Type.Enum(['0', '1']) });
const SyncQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }, { additionalProperties: false });

const HISTORY_PAGE_SIZE = 20;
const CHART_RUNS = 30;
const REFRESH_SECONDS = 3;

const ROWS = [
  { key: 'organizations', label: 'Organizations ↔ Accounts', job: 'accounts_contacts', logObject: 'organization' },
  { key: 'contacts', label: 'Contacts ↔ Contacts', job: 'accounts_contacts', logObject: 'contact' },
  { key: 'deals', label: 'Deal registrations ← Opportunities', job: 'deals', logObject: 'deal' },
] as const;

const DIRECTION_LABELS: Record<string, string> = {
  push_and_pull: 'Both ways',
  push: 'PRM → Salesforce',
  pull: 'Salesforce → PRM',
  disabled: 'Disabled',
};

const STATUS_TONES: Record<string, string> = { succeeded: 'success', failed: 'error', running: 'info', paused: 'warning', skipped: 'neutral' };

function runningView(status: JobStatus) {
  if (status.running) {
    const elapsed = Math.round((Date.now() - status.running.startedAt.getTime()) / 1000);
    return { phase: status.running.phase ?? 'starting', done: status.running.done, startedAt: status.running.startedAt, elapsed, mode: status.running.mode, where: 'this replica' };
  }
  if (status.runningElsewhere) {
    const progress = status.runningElsewhere.progress;
    const elapsed = Math.round((Date.now() - new Date(status.runningElsewhere.startedAt).getTime()) / 1000);
    return { phase: String(progress.phase ?? 'running'), done: Number(progress.done ?? 0), startedAt: status.runningElsewhere.startedAt, elapsed, mode: null, where: 'another replica' };
  }
  return null;
}

export async function syncRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  const runs = createRunQueries(app.db);

  async function overview() {
    const [{ settings }, statuses, lastRuns] = await Promise.all([
      services.settings.load(),
      services.scheduler.status(),
      Promise.all(JOBS.map(async (job) => [job, (await runs.recent(1, 0, job))[0]] as const)),
    ]);
    const last = new Map<JobName, RunRow | undefined>(lastRuns);
    const errorsByObject = await runs.errorsByObject([...last.values()].flatMap((run) => (run ? [run.id] : [])));
    const byJob = new Map(statuses.map((status) => [status.job, status]));
    const rows = ROWS.map((row) => {
      const status = byJob.get(row.job) as JobStatus;
      const lastRun = last.get(row.job);
      const running = runningView(status);
      const direction = settings[row.key].direction;
      const state = running ? 'Running' : !settings.enabled ? 'Off' : direction === 'disabled' ? 'Disabled' : status.paused ? 'Paused' : 'Ready';
      return {
        ...row,
        jobLabel: JOB_LABELS[row.job],
        direction: DIRECTION_LABELS[direction] ?? direction,
        state,
        stateTone: { Running: 'info', Off: 'neutral', Disabled: 'neutral', Paused: 'warning', Ready: 'success' }[state],
        paused: status.paused,
        pausedBy: status.pausedBy,
        running,
        nextRunAt: status.nextRunAt,
        lastRun: lastRun ? { ...lastRun, tone: STATUS_TONES[lastRun.status] ?? 'neutral', objectErrors: errorsByObject.get(`${lastRun.id}:${row.logObject}`) ?? 0 } : null,
        sharesJob: row.job === 'accounts_contacts',
      };
    });
    const runningJobs = JOBS.flatMap((job) => {
      const running = runningView(byJob.get(job) as JobStatus);
      return running ? [{ job, label: JOB_LABELS[job], ...running }] : [];
    });
    return { enabled: settings.enabled, rows, runningJobs };
  }

  app.get('/sync', { schema: { querystring: SyncQuery } }, async (request, reply) => {
    const page = (request.query as { page?: number }).page ?? 1;
    const [{ enabled, rows, runningJobs }, total, chartRuns] = await Promise.all([overview(), runs.count(), runs.recent(CHART_RUNS)]);
    const pagination = paginate('/sync', {}, total, page, HISTORY_PAGE_SIZE);
    const history = (await runs.recent(HISTORY_PAGE_SIZE, pagination.offset)).map((run) => ({ ...run, tone: STATUS_TONES[run.status] ?? 'neutral', jobLabel: isJobName(run.job) ? JOB_LABELS[run.job] : run.job }));
    return renderPage(request, reply, 'sync', { title: 'Sync Manager', section: 'sync' }, {
      enabled,
      rows,
      runningJobs,
      refreshSeconds: runningJobs.length > 0 ? REFRESH_SECONDS : null,
      history,
      pagination,
      chart: runChart(chartRuns.filter((run) => run.status !== 'running').reverse()),
    });
  });

  app.get('/sync/status.json', { schema: { querystring: NoQuery } }, async (_request, reply) => {
    const { enabled, rows, runningJobs } = await overview();
    void reply.header('cache-control', 'no-store');
    return {
      enabled,
      running: runningJobs.map((job) => ({ job: job.job, phase: job.phase, done: job.done, startedAt: job.startedAt, where: job.where })),
      integrations: rows.map((row) => ({ integration: row.key, job: row.job, state: row.state, paused: row.paused, nextRunAt: row.nextRunAt, lastRun: row.lastRun ? { id: row.lastRun.id, status: row.lastRun.status, startedAt: row.lastRun.startedAt, finishedAt: row.lastRun.finishedAt, recordsSynced: row.lastRun.recordsSynced, errors: row.lastRun.errors, apiCalls: row.lastRun.apiCalls } : null })),
    };
  });

  app.post('/sync/run', { schema: { body: RunBody } }, async (request, reply) => {
    const { job, mode } = request.body as { job: JobName; mode: 'incremental' | 'full' };
    const outcome = await services.scheduler.runNow(job, mode, request.admin?.email ?? 'unknown');
    if (outcome.started) flash(request, 'success', `${JOB_LABELS[job]}: ${mode === 'full' ? 'full' : 'incremental'} run started.`);
    else flash(request, 'warning', `${JOB_LABELS[job]} did not start: ${outcome.reason}`);
    return reply.redirect('/sync', 303);
  });

  app.post('/sync/run-full', { schema: { body: formBody({}) } }, async (request, reply) => {
    const outcome = await services.scheduler.runFullSyncNow(request.admin?.email ?? 'unknown');
    if (outcome.started) flash(request, 'success', 'Full sync started: organizations and contacts are reconciled, then deals are imported.');
    else flash(request, 'warning', `The full sync did not start: ${outcome.reason}`);
    return reply.redirect('/sync', 303);
  });

  app.post('/sync/pause', { schema: { body: PauseBody } }, async (request, reply) => {
    const { job, paused } = request.body as { job: JobName; paused: '0' | '1' };
    await services.scheduler.setPaused(job, paused === '1', request.admin?.email ?? 'unknown');
    flash(request, 'success', paused === '1' ? `${JOB_LABELS[job]} paused: scheduled runs are skipped until you resume it.` : `${JOB_LABELS[job]} resumed.`);
    return reply.redirect('/sync', 303);
  });
}
