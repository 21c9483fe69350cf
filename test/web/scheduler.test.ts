// The scheduler: one run per job at a time across replicas (PostgreSQL advisory lock — two knex pools on
// one database stand in for two replicas; on PGlite, one process), Run Now / Run Full Sync Now, pause,
// failures recorded, progress on the running row, next runs, /readyz and /metrics. The job runners here
// are small functions that write run rows like the real engines; the engines have their own tests.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../middleware/db/knex.ts';
import { createScheduler, type JobRunners, type JobRunRequest } from '../../middleware/jobs/scheduler.ts';
import { runsRepository } from '../../middleware/sync/runs.ts';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import type { Schedules } from '../../middleware/settings/model.ts';
import { databaseLabel } from '../helpers/db.ts';
import { Client, openConsole } from './helpers.ts';

interface Gate {
  release(): void;
  started: Promise<void>;
}

/** Runners that record a run row and wait until the test releases them. */
function gatedRunners(db: Parameters<typeof runsRepository.start>[0]) {
  const gates: Array<{ job: string; request: JobRunRequest } & Gate> = [];
  const make = (job: 'accounts_contacts' | 'deals') => async (request: JobRunRequest) => {
    let release!: () => void;
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const done = new Promise<void>((resolve) => (release = resolve));
    gates.push({ job, request, release, started });
    const runId = await runsRepository.start(db, job, request.mode);
    request.onProgress('reading', 42);
    markStarted();
    await done;
    await runsRepository.finish(db, runId, { status: 'succeeded', counts: { toPrm: 3, errors: 1 }, apiCalls: 7, byEndpoint: {} });
    return { runId, status: 'succeeded' as const, recordsSynced: 3, errors: 1, apiCalls: 7 };
  };
  const runners: JobRunners = { accounts_contacts: make('accounts_contacts'), deals: make('deals') };
  const next = async (job: string) => {
    for (let i = 0; i < 200; i += 1) {
      const gate = gates.find((candidate) => candidate.job === job);
      if (gate) {
        await gate.started;
        gates.splice(gates.indexOf(gate), 1);
        return gate;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${job} run started`);
  };
  return { runners, next };
}

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const ui = await openConsole({ console: { runners: { accounts_contacts: async () => ({ runId: null, status: 'skipped' }), deals: async () => ({ runId: null, status: 'skipped' }) } } });
after(() => ui.close());
const db = ui.database.db;
let schedules: Schedules = defaultSettings().schedules;

function scheduler(runners: JobRunners, database = db) {
  return createScheduler({ db: database, databaseKind: ui.database.kind, runners, loadSchedules: async () => schedules, log: silent });
}

test(`a job runs at most once at a time, here and on another replica (${databaseLabel()})`, async () => {
  const gated = gatedRunners(db);
  const first = scheduler(gated.runners);
  // A second replica: its own connection pool on PostgreSQL; PGlite is one process and one session.
  const secondHandle = ui.database.kind === 'postgres' ? openDatabase(ui.database.config) : null;
  const second = scheduler(gated.runners, secondHandle?.db ?? db);
  try {
    assert.deepEqual(await first.runNow('accounts_contacts', 'incremental', 'a@x'), { started: true });
    const gate = await gated.next('accounts_contacts');
    assert.equal(gate.request.interactive, true);
    const again = await first.runNow('accounts_contacts', 'full', 'a@x');
    assert.equal(again.started, false);
    const elsewhere = await second.runAndWait('accounts_contacts', 'incremental');
    assert.equal(elsewhere.state, 'busy', 'the other replica finds the lock taken');
    // Another job is not blocked.
    assert.deepEqual(await second.runNow('deals', 'incremental', 'b@x'), { started: true });
    (await gated.next('deals')).release();
    gate.release();
    await first.stop();
    await second.stop();
    // The lock is released: the other replica can run the job now.
    const later = second.runAndWait('accounts_contacts', 'incremental');
    (await gated.next('accounts_contacts')).release();
    assert.equal((await later).state, 'ran');
  } finally {
    await secondHandle?.close();
  }
});

test('Run Full Sync Now runs the full reconcile, then the deal import', async () => {
  const gated = gatedRunners(db);
  const jobs = scheduler(gated.runners);
  assert.deepEqual(await jobs.runFullSyncNow('admin@x'), { started: true });
  const accounts = await gated.next('accounts_contacts');
  assert.equal(accounts.request.mode, 'full');
  accounts.release();
  const deals = await gated.next('deals');
  assert.equal(deals.request.mode, 'full');
  deals.release();
  await jobs.stop();
});

test('progress reaches the running run row and the Sync Manager while a job runs', async () => {
  const gated = gatedRunners(db);
  const jobs = scheduler(gated.runners);
  await jobs.runNow('deals', 'incremental', 'admin@x');
  const gate = await gated.next('deals');
  try {
    // The progress write does not hold up the run, so it may land a moment later.
    let progress: Record<string, unknown> = {};
    for (let i = 0; i < 100 && progress.phase === undefined; i += 1) {
      const row = await db('sync_runs').where({ job: 'deals', status: 'running' }).orderBy('started_at', 'desc').first();
      progress = typeof row.progress === 'string' ? JSON.parse(row.progress) : row.progress;
      if (progress.phase === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(progress.phase, 'reading');
    assert.equal(progress.done, 42);
    const status = (await jobs.status()).find((job) => job.job === 'deals');
    assert.equal(status?.running?.phase, 'reading');
    assert.equal(status?.running?.done, 42);
  } finally {
    gate.release();
    await jobs.stop();
  }
});

test('a runner that throws leaves a failed run and a RUN_FAILED log row, and frees the job', async () => {
  const jobs = scheduler({
    accounts_contacts: async () => {
      throw new Error('settings unreadable');
    },
    deals: async () => ({ runId: null, status: 'skipped' }),
  });
  const outcome = await jobs.runAndWait('accounts_contacts', 'incremental');
  assert.deepEqual(outcome, { state: 'failed', error: 'settings unreadable' });
  const run = await db('sync_runs').where({ job: 'accounts_contacts', status: 'failed' }).orderBy('started_at', 'desc').first();
  assert.equal(run.error, 'settings unreadable');
  const log = await db('integration_log').where({ run_id: run.id }).first();
  assert.equal(log.code, 'RUN_FAILED');
  assert.match(log.message, /settings unreadable/);
  assert.equal((await jobs.runAndWait('accounts_contacts', 'incremental')).state, 'failed', 'not stuck as running');
});

test('schedules plan the next runs; paused jobs skip their ticks; manual schedules plan nothing', async () => {
  let calls = 0;
  const jobs = scheduler({
    accounts_contacts: async () => {
      calls += 1;
      return { runId: null, status: 'succeeded' };
    },
    deals: async () => ({ runId: null, status: 'succeeded' }),
  });
  schedules = { incrementalSync: 5, fullReconcile: 'daily', dealImport: 'manual' };
  await jobs.start();
  try {
    const status = await jobs.status();
    const accounts = status.find((job) => job.job === 'accounts_contacts');
    const next = accounts?.nextRunAt?.getTime() ?? 0;
    assert.ok(next > Date.now() && next <= Date.now() + 5 * 60_000 + 1000, 'next incremental run within 5 minutes');
    assert.equal(next % 60_000, 0, 'on a minute boundary');
    assert.equal(status.find((job) => job.job === 'deals')?.nextRunAt, null);
    const stored = await db('job_controls').where({ job: 'accounts_contacts' }).first();
    assert.equal(new Date(stored.next_run_at).getTime(), next);
    assert.equal(jobs.health().scheduledTasks, 2);
    await jobs.setPaused('accounts_contacts', true, 'admin@x');
    await jobs.runSchedule('incremental_sync');
    assert.equal(calls, 0, 'paused: the tick is skipped');
    assert.equal((await jobs.runNow('accounts_contacts', 'incremental', 'admin@x')).started, true, 'Run Now still works while paused');
    await jobs.setPaused('accounts_contacts', false, 'admin@x');
    await jobs.runSchedule('incremental_sync');
    await jobs.stop();
    assert.equal(calls, 2);
    schedules = { incrementalSync: 'manual', fullReconcile: 'manual', dealImport: 'manual' };
    await jobs.start();
    assert.equal(jobs.health().scheduledTasks, 0);
    assert.equal((await jobs.status()).every((job) => job.nextRunAt === null), true);
  } finally {
    await jobs.stop();
    schedules = defaultSettings().schedules;
  }
});

test('/readyz reports the scheduler and /metrics counts runs, records, errors and API calls', async () => {
  const ready = await ui.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().scheduler.started, false);
  await ui.app.scheduler.start();
  try {
    const started = await ui.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(started.json().scheduler.started, true);
    assert.equal(started.json().scheduler.ready, true);
    await ui.app.scheduler.runAndWait('deals', 'incremental');
    const metrics = await ui.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(String(metrics.headers['content-type']), /text\/plain/);
    assert.match(metrics.body, /prm_sync_runs_total\{job="deals",status="skipped"\} 1/);
    assert.match(metrics.body, /prm_sync_run_duration_seconds_count\{job="deals"\} 1/);
    assert.match(metrics.body, /prm_sync_http_requests_total\{method="GET",route="\/readyz",status="200"\} 2/);
    assert.match(metrics.body, /prm_sync_process_/);
  } finally {
    await ui.app.scheduler.stop();
  }
});

test('the Sync Manager shows a running job with its progress, and pause/resume through the page', async () => {
  const gated = gatedRunners(db);
  const jobs = scheduler(gated.runners);
  const client = new Client(ui.app);
  await client.login();
  await jobs.runNow('accounts_contacts', 'incremental', 'admin@x');
  const gate = await gated.next('accounts_contacts');
  // The app's own scheduler is another replica here: it sees the run through sync_runs.
  const page = await client.get('/sync');
  assert.match(page.body, /<meta http-equiv="refresh" content="3">/);
  assert.match(page.body, /data-running-job="accounts_contacts"/);
  assert.match(page.body, /running[\s\S]*on another replica · reading · 42 records so far/);
  const json = (await client.get('/sync/status.json')).json();
  assert.equal(json.running[0].job, 'accounts_contacts');
  assert.equal(json.running[0].done, 42);
  gate.release();
  await jobs.stop();
  const after = await client.get('/sync');
  assert.doesNotMatch(after.body, /http-equiv="refresh"/);
  await client.post('/sync/pause', { job: 'deals', paused: '1' }, { csrfFrom: '/sync' });
  assert.equal((await db('job_controls').where({ job: 'deals' }).first()).paused, true);
  assert.match((await client.get('/sync')).body, /Paused[\s\S]*paused by admin@prm-sync\.test[\s\S]*>Resume</);
  await client.post('/sync/pause', { job: 'deals', paused: '0' }, { csrfFrom: '/sync' });
  assert.equal((await db('job_controls').where({ job: 'deals' }).first()).paused, false);
});
