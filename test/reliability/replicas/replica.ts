// One middleware instance as far as the jobs go, wired as the admin console wires it (web/console.ts): the
// sync service and the job runners over the real engines, the real scheduler with its advisory locks,
// the schedules from the stored settings. node-cron ticks at most once a minute, so the instance also ticks
// each schedule itself every few hundred milliseconds through `runSchedule` — exactly what a cron tick
// does — which makes replicas meet at the lock all the time. What the scheduler reports (run started,
// finished, lock busy) goes to `emit` with the wall-clock time.
import type { Knex } from 'knex';
import { loadConfig, type DatabaseConfig } from '../../../middleware/config.ts';
import { createJobRunners } from '../../../middleware/jobs/runners.ts';
import { createScheduler, type RunObserver } from '../../../middleware/jobs/scheduler.ts';
import type { ScheduleName } from '../../../middleware/jobs/schedule-plan.ts';
import { createSettingsService } from '../../../middleware/settings/service.ts';
import { createSyncService } from '../../../middleware/sync/service.ts';

/** The environment variable a replica process reads its settings from (one JSON value). */
export const REPLICA_SETTINGS_VARIABLE = 'PRM_RELIABILITY_REPLICA';

export interface ReplicaSettings {
  name: string;
  database: DatabaseConfig;
  /** The emulated org and its integration user (username/password login, as SF_* variables configure it). */
  salesforce: { url: string; username: string; password: string };
  /** Schedules this instance ticks, and how often (each tick waits tickMs plus up to tickMs of jitter). */
  ticks: Array<{ schedule: ScheduleName; tickMs: number }>;
}

export type ReplicaEvent =
  | { event: 'run-started'; replica: string; job: string; at: number }
  | { event: 'run-finished'; replica: string; job: string; status: string; at: number }
  | { event: 'busy'; replica: string; job: string; at: number };

/** The configuration a replica starts with: the SF_* variables naming the emulated org's integration user. */
export function replicaConfig(salesforce: ReplicaSettings['salesforce']) {
  return loadConfig({ SF_LOGIN_URL: salesforce.url, SF_CLIENT_ID: 'prm-sync-replicas', SF_USERNAME: salesforce.username, SF_PASSWORD: salesforce.password, PRM_SYNC_PUBLIC_URL: 'https://prm.example.com' });
}

const silent = { info() {}, warn() {}, error() {}, debug() {} };

export function startReplica(db: Knex, databaseKind: 'postgres' | 'pglite', settings: ReplicaSettings, emit: (event: ReplicaEvent) => void) {
  const config = { ...replicaConfig(settings.salesforce), database: settings.database };
  const sync = createSyncService({ db, config, bulkPollIntervalMs: 20 });
  const stored = createSettingsService(db);
  const replica = settings.name;
  const observer: RunObserver = {
    runStarted: (job) => emit({ event: 'run-started', replica, job, at: Date.now() }),
    runFinished: (job, outcome) => emit({ event: 'run-finished', replica, job, status: outcome.status, at: Date.now() }),
    lockBusy: (job) => emit({ event: 'busy', replica, job, at: Date.now() }),
  };
  const scheduler = createScheduler({ db, databaseKind, runners: createJobRunners({ db, config, sync }), loadSchedules: async () => (await stored.load()).settings.schedules, log: silent, observer });
  let stopping = false;
  const loops = settings.ticks.map(async ({ schedule, tickMs }) => {
    while (!stopping) {
      await scheduler.runSchedule(schedule);
      await new Promise((resolve) => setTimeout(resolve, tickMs + Math.random() * tickMs));
    }
  });
  const started = scheduler.start();
  return {
    scheduler,
    /** Stops ticking and waits for the runs in progress, as a replica shutting down does. */
    async stop(): Promise<void> {
      stopping = true;
      await started;
      await Promise.all(loops);
      await scheduler.stop();
    },
  };
}
