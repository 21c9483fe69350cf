// Runs the integration's jobs: node-cron tasks from the schedule settings, and "Run Now" / "Run Full Sync
// Now" from the Sync Manager. Every run holds the job's PostgreSQL advisory lock, so any number of
// replicas run each job at most once at a time; a replica that finds the lock taken skips that tick.
// The runners (the sync cycle, the deal import) create their own sync_runs rows; the scheduler adds
// progress to the running row, metrics, pause and the next planned run.
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Knex } from 'knex';
import type { Schedules } from '../settings/model.ts';
import { logRow } from '../log/catalogue.ts';
import { writeLog } from '../log/repository.ts';
import { runsRepository, type RunStatus } from '../sync/runs.ts';
import { withAdvisoryLock } from './advisory-lock.ts';
import { createJobControls } from './job-controls.ts';
import { earliest, JOBS, scheduleEntries, type JobMode, type JobName, type ScheduleEntry, type ScheduleName } from './schedule-plan.ts';

export interface JobRunRequest {
  mode: JobMode;
  /** Started by an admin: not held back by the API budget's scheduled-job pause. */
  interactive: boolean;
  onProgress: (phase: string, done: number) => void;
}

export interface JobRunResult {
  runId: string | null;
  status: RunStatus;
  recordsSynced?: number;
  errors?: number;
  apiCalls?: number;
  error?: string | null;
}

/** What the lead's sync engine and the deal import provide: one function per job. */
export type JobRunners = Record<JobName, (request: JobRunRequest) => Promise<JobRunResult>>;

export interface RunObserver {
  runStarted(job: string): void;
  runFinished(job: string, outcome: { status: string; recordsSynced?: number; errors?: number; apiCalls?: number }, seconds: number): void;
  lockBusy(job: string): void;
}

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface SchedulerDeps {
  db: Knex;
  databaseKind: 'postgres' | 'pglite';
  runners: JobRunners;
  loadSchedules: () => Promise<Schedules>;
  log: Logger;
  observer?: RunObserver;
  timezone?: string;
}

export interface LocalRun {
  job: JobName;
  mode: JobMode;
  trigger: 'schedule' | 'manual';
  actor: string | null;
  startedAt: Date;
  phase: string | null;
  done: number;
}

export type RunOutcome = { state: 'ran'; result: JobRunResult } | { state: 'busy' } | { state: 'failed'; error: string };
export type StartOutcome = { started: true } | { started: false; reason: string };

export interface JobStatus {
  job: JobName;
  paused: boolean;
  pausedBy: string | null;
  /** This replica runs it now. */
  running: LocalRun | null;
  /** Another replica's unfinished run, from sync_runs. */
  runningElsewhere: { startedAt: Date; progress: Record<string, unknown> } | null;
  nextRunAt: Date | null;
  schedules: Array<{ name: ScheduleName; mode: JobMode; cron: string | null; nextRunAt: Date | null }>;
}

const PROGRESS_WRITE_INTERVAL_MS = 1000;
const INSTANCE = `${hostname()}:${process.pid}`;

export function createScheduler(deps: SchedulerDeps) {
  const controls = createJobControls(deps.db);
  const tasks = new Map<ScheduleName, { entry: ScheduleEntry; task: ScheduledTask }>();
  const running = new Map<JobName, LocalRun>();
  const inFlight = new Set<Promise<unknown>>();
  let entries: ScheduleEntry[] = [];
  let started = false;
  let lastScheduleError: string | null = null;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };

  /** Progress of the running sync_runs row of this replica, written at most once a second. */
  function progressWriter(job: JobName, local: LocalRun) {
    let lastWrite = 0;
    return (phase: string, done: number) => {
      local.phase = phase;
      local.done = done;
      const now = Date.now();
      if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS) return;
      lastWrite = now;
      const progress = JSON.stringify({ phase, done, at: new Date(now).toISOString() });
      deps.db('sync_runs')
        .where({ job, status: 'running', instance: INSTANCE })
        .whereNull('finished_at')
        .update({ progress })
        .catch((error: unknown) => deps.log.warn({ err: error, job }, 'could not store run progress'));
    };
  }

  async function execute(job: JobName, mode: JobMode, trigger: LocalRun['trigger'], actor: string | null, onAcquired?: () => void): Promise<RunOutcome> {
    if (running.has(job)) return { state: 'busy' };
    const startedAt = Date.now();
    try {
      const outcome = await withAdvisoryLock(deps.db, deps.databaseKind, job, async () => {
        const local: LocalRun = { job, mode, trigger, actor, startedAt: new Date(), phase: null, done: 0 };
        running.set(job, local);
        onAcquired?.();
        deps.observer?.runStarted(job);
        deps.log.info({ job, mode, trigger, actor }, 'job run started');
        try {
          const result = await deps.runners[job]({ mode, interactive: trigger === 'manual', onProgress: progressWriter(job, local) });
          deps.observer?.runFinished(job, result, (Date.now() - startedAt) / 1000);
          deps.log.info({ job, mode, runId: result.runId, status: result.status }, 'job run finished');
          return result;
        } catch (error) {
          deps.observer?.runFinished(job, { status: 'failed' }, (Date.now() - startedAt) / 1000);
          await recordCrash(job, mode, error);
          throw error;
        } finally {
          running.delete(job);
        }
      });
      if (!outcome.acquired) {
        deps.observer?.lockBusy(job);
        deps.log.debug({ job, mode }, 'job skipped: another run holds its lock');
        return { state: 'busy' };
      }
      return { state: 'ran', result: outcome.value };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error({ err: error, job, mode }, 'job run failed');
      return { state: 'failed', error: message };
    } finally {
      if (started) await storeNextRun(job).catch(() => undefined);
    }
  }

  /**
   * A runner that throws before or outside its own run record (settings unreadable, a bug) would leave no
   * trace on the Sync Manager: the scheduler records the failed run and a RUN_FAILED log row itself.
   */
  async function recordCrash(job: JobName, mode: JobMode, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    try {
      const runId = await runsRepository.start(deps.db, job, mode);
      await writeLog(deps.db, [logRow('RUN_FAILED', { job, reason }, { runId })]);
      await runsRepository.finish(deps.db, runId, { status: 'failed', counts: {}, apiCalls: 0, byEndpoint: {}, error: reason });
    } catch (recordError) {
      deps.log.error({ err: recordError, job }, 'could not record the failed run');
    }
  }

  /** Starts a run in the background once its lock is taken; tells at once when it could not start. */
  function startInBackground(job: JobName, mode: JobMode, actor: string, then?: () => Promise<unknown>): Promise<StartOutcome> {
    if (running.has(job)) return Promise.resolve({ started: false, reason: 'It is already running.' });
    return new Promise<StartOutcome>((resolve) => {
      const run = execute(job, mode, 'manual', actor, () => resolve({ started: true })).then(async (outcome) => {
        if (outcome.state === 'busy') resolve({ started: false, reason: 'It is already running (possibly on another replica).' });
        else if (outcome.state === 'failed') resolve({ started: false, reason: outcome.error });
        if (outcome.state === 'ran' && then) await then();
      });
      void track(run);
    });
  }

  async function nextRunOf(job: JobName): Promise<Date | null> {
    return earliest([...tasks.values()].filter(({ entry }) => entry.job === job).map(({ task }) => task.getNextRun()));
  }

  async function storeNextRun(job: JobName): Promise<void> {
    await controls.setNextRun(job, await nextRunOf(job));
  }

  async function runScheduled(entry: ScheduleEntry): Promise<void> {
    if (await controls.isPaused(entry.job)) {
      deps.log.info({ job: entry.job, schedule: entry.name }, 'scheduled run skipped: job paused');
      await storeNextRun(entry.job);
      return;
    }
    await execute(entry.job, entry.mode, 'schedule', null);
  }

  function stopTasks(): void {
    for (const { task } of tasks.values()) void task.destroy();
    tasks.clear();
  }

  const scheduler = {
    /** Reads the schedules and plans the cron tasks; call after migrations, before or after listen. */
    async start(): Promise<void> {
      started = true;
      await scheduler.reschedule();
    },

    /** Re-reads the schedule settings (after a save) and replaces the cron tasks. */
    async reschedule(): Promise<void> {
      if (!started) return;
      try {
        entries = scheduleEntries(await deps.loadSchedules());
        lastScheduleError = null;
      } catch (error) {
        lastScheduleError = error instanceof Error ? error.message : String(error);
        deps.log.error({ err: error }, 'could not read the schedules; no job is scheduled');
        entries = [];
      }
      stopTasks();
      for (const entry of entries) {
        if (!entry.cron) continue;
        const task = cron.createTask(entry.cron, () => track(runScheduled(entry)), { name: `prm-sync:${entry.name}`, timezone: deps.timezone ?? 'UTC', noOverlap: true });
        tasks.set(entry.name, { entry, task });
        await task.start();
      }
      for (const job of JOBS) await storeNextRun(job);
    },

    /** "Run Now": an incremental (or full) run of one job, started in the background. */
    runNow(job: JobName, mode: JobMode, actor: string): Promise<StartOutcome> {
      return startInBackground(job, mode, actor);
    },

    /** "Run Full Sync Now": full reconcile of organizations and contacts, then the deal import. */
    runFullSyncNow(actor: string): Promise<StartOutcome> {
      return startInBackground('accounts_contacts', 'full', actor, () => execute('deals', 'full', 'manual', actor));
    },

    /** Runs a schedule's job now exactly as its cron tick would (skipped while paused); for tests and scripts. */
    async runSchedule(name: ScheduleName): Promise<void> {
      const entry = entries.find((candidate) => candidate.name === name) ?? scheduleEntries(await deps.loadSchedules()).find((candidate) => candidate.name === name);
      if (entry) await track(runScheduled(entry));
    },

    /** Runs one job to the end in this process (tests, scripts). */
    runAndWait(job: JobName, mode: JobMode, actor: string | null = null): Promise<RunOutcome> {
      return track(execute(job, mode, 'manual', actor));
    },

    async setPaused(job: JobName, paused: boolean, actor: string): Promise<void> {
      await controls.setPaused(job, paused, actor);
      deps.log.info({ job, paused, actor }, paused ? 'job paused' : 'job resumed');
    },

    async status(): Promise<JobStatus[]> {
      const all = await controls.all();
      const unfinished = (await deps.db('sync_runs')
        .select('job', 'started_at', 'progress', 'instance')
        .where({ status: 'running' })
        .whereNull('finished_at')
        .where('started_at', '>', deps.db.raw("now() - interval '6 hours'"))
        .orderBy('started_at', 'desc')) as Array<{ job: string; started_at: Date; progress: unknown; instance: string | null }>;
      return Promise.all(
        JOBS.map(async (job) => {
          const control = all.get(job);
          const local = running.get(job) ?? null;
          const elsewhere = local ? undefined : unfinished.find((row) => row.job === job);
          const own = [...tasks.values()].filter(({ entry }) => entry.job === job);
          return {
            job,
            paused: control?.paused ?? false,
            pausedBy: control?.pausedBy ?? null,
            running: local ? { ...local } : null,
            runningElsewhere: elsewhere ? { startedAt: elsewhere.started_at, progress: parseJson(elsewhere.progress) } : null,
            nextRunAt: started ? await nextRunOf(job) : (control?.nextRunAt ?? null),
            schedules: entries
              .filter((entry) => entry.job === job)
              .map((entry) => ({ name: entry.name, mode: entry.mode, cron: entry.cron, nextRunAt: own.find((t) => t.entry.name === entry.name)?.task.getNextRun() ?? null })),
          } satisfies JobStatus;
        }),
      );
    },

    /** For /readyz: started, and the schedules could be read. */
    health(): { ready: boolean; started: boolean; scheduledTasks: number; running: JobName[]; problem: string | null } {
      return { ready: started && lastScheduleError === null, started, scheduledTasks: tasks.size, running: [...running.keys()], problem: lastScheduleError };
    },

    /** Stops planning new runs and waits (up to timeoutMs) for running ones to finish. */
    async stop(timeoutMs = 30_000): Promise<void> {
      started = false;
      stopTasks();
      if (inFlight.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      if (timer) clearTimeout(timer);
    },
  };
  return scheduler;
}

function parseJson(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return (value ?? {}) as Record<string, unknown>;
}

export type Scheduler = ReturnType<typeof createScheduler>;
