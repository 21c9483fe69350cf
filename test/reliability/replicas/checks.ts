// The world replicas sync and what must hold afterwards: runs of one job never overlap — neither as the
// instances reported them nor as sync_runs recorded them (the database's clock) — and the work they did
// together adds up to one consistent result: every organization in Salesforce once, every flagged account
// in the PRM once, and a further cycle with nothing left to do.
import type { Knex } from 'knex';
import { createSyncService } from '../../../middleware/sync/service.ts';
import { integrationState, STATE_KEYS } from '../../../middleware/sync/state.ts';
import type { RunningEmulator } from '../../sf-emulator/index.ts';
import { resetDatabase } from '../harness/env.ts';
import type { Instance } from './instances.ts';
import { replicaConfig } from './replica.ts';

let counter = 0;

/** An empty world with the wizard completed (so the sync runs), the given organizations and flagged accounts. */
export async function seedReplicaWorld(db: Knex, emulator: RunningEmulator, organizations: number, accounts: number): Promise<void> {
  await resetDatabase(db);
  await db.raw('TRUNCATE integration_state, job_controls');
  await integrationState.set(db, STATE_KEYS.wizardCompletedAt, new Date().toISOString());
  await addOrganizations(db, organizations);
  for (let i = 0; i < accounts; i++) {
    const created = emulator.org.create('Account', { Name: `Replica Account ${++counter}`, BillingCity: 'Denver', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
    if (!created.success) throw new Error(JSON.stringify(created.errors));
  }
}

/** What users do in the PRM while the replicas run: new partners. */
export async function addOrganizations(db: Knex, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await db('organizations').insert({ kind: 'partner', status: 'active', name: `Replica Partner ${++counter}`, billing_city: 'Berlin' });
}

export interface Interval {
  job: string;
  owner: string;
  start: number;
  end: number;
}

function overlaps(intervals: readonly Interval[], what: string): string[] {
  const problems: string[] = [];
  const byJob = new Map<string, Interval[]>();
  for (const interval of intervals) byJob.set(interval.job, [...(byJob.get(interval.job) ?? []), interval]);
  for (const [job, list] of byJob) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const [previous, next] = [list[i - 1] as Interval, list[i] as Interval];
      // Equal milliseconds are allowed: one run ends, the lock is released and taken within the same one.
      if (next.start < previous.end) problems.push(`${what}: ${job} ran twice at once — ${previous.owner} ${iso(previous.start)}–${iso(previous.end)} and ${next.owner} from ${iso(next.start)}`);
    }
  }
  return problems;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 23) : 'never');

/** Runs as the instances reported them; a killed instance's last run ends when it was killed. */
export function reportedRuns(instances: readonly Instance[], killedAt: ReadonlyMap<string, number> = new Map()): Interval[] {
  const out: Interval[] = [];
  for (const instance of instances) {
    const open = new Map<string, number>();
    for (const event of instance.events) {
      if (event.event === 'run-started') open.set(event.job, event.at);
      if (event.event === 'run-finished') {
        out.push({ job: event.job, owner: instance.name, start: open.get(event.job) ?? -Infinity, end: event.at });
        open.delete(event.job);
      }
    }
    for (const [job, start] of open) out.push({ job, owner: `${instance.name} (unfinished)`, start, end: killedAt.get(instance.name) ?? Infinity });
  }
  return out;
}

export function reportedOverlaps(instances: readonly Instance[], killedAt?: ReadonlyMap<string, number>): string[] {
  return overlaps(reportedRuns(instances, killedAt), 'as the instances reported');
}

/** Runs as sync_runs recorded them; a row still "running" (its process was killed) ends at `openRunsEnd`. */
export async function recordedRuns(db: Knex, openRunsEnd: number | null): Promise<{ intervals: Interval[]; open: number; problems: string[] }> {
  const rows = (await db('sync_runs').whereIn('job', ['accounts_contacts', 'deals']).select('id', 'job', 'status', 'instance', 'started_at', 'finished_at')) as Array<{ job: string; status: string; instance: string; started_at: Date; finished_at: Date | null }>;
  const problems: string[] = [];
  let open = 0;
  const intervals = rows.map((row) => {
    const start = new Date(row.started_at).getTime();
    if (row.finished_at) return { job: row.job, owner: row.instance, start, end: new Date(row.finished_at).getTime() };
    open += 1;
    if (openRunsEnd === null || start > openRunsEnd) problems.push(`a ${row.job} run of ${row.instance} from ${iso(start)} was left running`);
    return { job: row.job, owner: `${row.instance} (left running)`, start, end: openRunsEnd ?? Infinity };
  });
  return { intervals, open, problems: [...problems, ...overlaps(intervals, 'as sync_runs recorded')] };
}

/** Where replicas find the emulated org: its integration user, by username and password. */
export function salesforceOf(emulator: RunningEmulator) {
  return { url: emulator.url, username: emulator.integrationUser.username, password: emulator.integrationUser.password };
}

/** One result, whoever did the work: each side's records once on the other, and a further cycle with nothing to do. */
export async function checkConverged(db: Knex, emulator: RunningEmulator): Promise<string[]> {
  const problems: string[] = [];
  const sync = createSyncService({ db, config: replicaConfig(salesforceOf(emulator)), bulkPollIntervalMs: 20 });
  // Whatever the replicas left for their next tick (organizations added at the very end) is done here once.
  const last = await sync.runCycle({ mode: 'incremental' });
  const again = await sync.runCycle({ mode: 'incremental' });
  const c = again.counts;
  if (last.status !== 'succeeded' || again.status !== 'succeeded' || c.toSalesforce + c.toPrm + c.createdInSalesforce + c.createdInPrm + c.errors > 0) problems.push(`a further cycle still had work: ${again.status} ${JSON.stringify(c)}`);
  const accounts = emulator.org.query('SELECT Id, PRM_Id__c, PRM_Sync__c FROM Account').records;
  const byPrmId = new Map<string, number>();
  for (const account of accounts) if (account.PRM_Id__c) byPrmId.set(String(account.PRM_Id__c), (byPrmId.get(String(account.PRM_Id__c)) ?? 0) + 1);
  const organizations = (await db('organizations').select('id')) as Array<{ id: string }>;
  for (const { id } of organizations) if (byPrmId.get(id) !== 1) problems.push(`organization ${id} is in Salesforce ${byPrmId.get(id) ?? 0} times`);
  if (organizations.length !== accounts.filter((a) => a.PRM_Sync__c === true).length) problems.push(`${organizations.length} organizations but ${accounts.filter((a) => a.PRM_Sync__c === true).length} flagged accounts`);
  const links = (await db('sync_links').where({ object: 'organization' }).select('prm_id', 'sf_id', 'state')) as Array<{ prm_id: string; sf_id: string; state: string }>;
  if (new Set(links.map((l) => l.sf_id)).size !== links.length || links.some((l) => l.state !== 'linked')) problems.push(`organization links are not one per account: ${JSON.stringify(links.filter((l) => l.state !== 'linked'))}`);
  return problems;
}
