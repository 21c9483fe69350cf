// Per-job controls shared by every replica: paused or not (by whom, since when) and the next planned run.
import type { Knex } from 'knex';
import type { JobName } from './schedule-plan.ts';

export interface JobControl {
  job: JobName;
  paused: boolean;
  pausedBy: string | null;
  pausedAt: Date | null;
  nextRunAt: Date | null;
}

interface Row {
  job: JobName;
  paused: boolean;
  paused_by: string | null;
  paused_at: Date | null;
  next_run_at: Date | null;
}

export function createJobControls(db: Knex) {
  return {
    async all(): Promise<Map<JobName, JobControl>> {
      const rows = (await db<Row>('job_controls').select('*')) as Row[];
      return new Map(rows.map((row) => [row.job, { job: row.job, paused: row.paused, pausedBy: row.paused_by, pausedAt: row.paused_at, nextRunAt: row.next_run_at }]));
    },

    async isPaused(job: JobName): Promise<boolean> {
      const row = (await db<Row>('job_controls').where({ job }).first()) as Row | undefined;
      return row?.paused ?? false;
    },

    async setPaused(job: JobName, paused: boolean, actor: string): Promise<void> {
      const values = { paused, paused_by: paused ? actor : null, paused_at: paused ? new Date() : null, updated_at: new Date() };
      await db('job_controls').insert({ job, ...values }).onConflict('job').merge(values);
    },

    async setNextRun(job: JobName, nextRunAt: Date | null): Promise<void> {
      await db('job_controls').insert({ job, next_run_at: nextRunAt, updated_at: new Date() }).onConflict('job').merge({ next_run_at: nextRunAt, updated_at: new Date() });
    },

    async clear(trx: Knex.Transaction): Promise<void> {
      await trx('job_controls').delete();
    },
  };
}

export type JobControls = ReturnType<typeof createJobControls>;
