// Which job runs when, from the schedule settings (spec §3.5). Pure: the scheduler turns these entries into
// node-cron tasks. Two jobs, each with its own advisory lock and sync_runs name: `accounts_contacts`
// (organizations ↔ Account and contacts ↔ Contact, incremental or full reconcile) and `deals` (the
// opportunity → deal registration import).
import { cronOf, type Schedules } from '../settings/model.ts';

export const JOBS = ['accounts_contacts', 'deals'] as const;
export type JobName = (typeof JOBS)[number];
export type JobMode = 'incremental' | 'full';

export const SCHEDULE_NAMES = ['incremental_sync', 'full_reconcile', 'deal_import'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export interface ScheduleEntry {
  name: ScheduleName;
  job: JobName;
  mode: JobMode;
  /** node-cron expression; null = manual (runs only from the Sync Manager). */
  cron: string | null;
}

export const JOB_LABELS: Record<JobName, string> = {
  accounts_contacts: 'Organizations & contacts',
  deals: 'Deal registration import',
};

export const SCHEDULE_LABELS: Record<ScheduleName, string> = {
  incremental_sync: 'Incremental sync',
  full_reconcile: 'Full reconcile',
  deal_import: 'Deal import',
};

export function scheduleEntries(schedules: Schedules): ScheduleEntry[] {
  return [
    { name: 'incremental_sync', job: 'accounts_contacts', mode: 'incremental', cron: cronOf(schedules.incrementalSync) },
    { name: 'full_reconcile', job: 'accounts_contacts', mode: 'full', cron: cronOf(schedules.fullReconcile) },
    { name: 'deal_import', job: 'deals', mode: 'incremental', cron: cronOf(schedules.dealImport) },
  ];
}

/** The earliest of several planned times (a job's next run over all its schedules). */
export function earliest(dates: ReadonlyArray<Date | null | undefined>): Date | null {
  let best: Date | null = null;
  for (const date of dates) if (date && (!best || date.getTime() < best.getTime())) best = date;
  return best;
}

export const isJobName = (value: string): value is JobName => (JOBS as readonly string[]).includes(value);
