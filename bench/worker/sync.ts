// prm-sync's own work, called the way the product calls it: a sync cycle through runSyncCycle, and
// Sync Now for one record through syncRecordNow with a session opened for it (as the sync service does).
import { performance } from 'node:perf_hooks';
import { runSyncCycle } from '../../middleware/sync/cycle.ts';
import { syncRecordNow } from '../../middleware/sync/record.ts';
import type { SyncCycleResult, SyncNowResult } from './protocol.ts';
import { databaseOf, openCrm, type WorkerState } from './state.ts';

export async function runCycle(state: WorkerState, mode: 'incremental' | 'full'): Promise<SyncCycleResult> {
  const summary = await runSyncCycle(databaseOf(state), () => openCrm(state), state.plan, { mode });
  const counts = Object.fromEntries(Object.entries(summary.counts).filter(([, value]) => value !== 0));
  return { status: summary.status, error: summary.error, counts, apiCalls: summary.apiCalls, apiCallsByEndpoint: summary.apiCallsByEndpoint };
}

/**
 * Sync Now on `runs` linked organizations, one after another. Before each (untimed) the organization's
 * phone changes in the PRM, so every Sync Now has something to write: read the Salesforce record, merge,
 * write one collections update, commit the link.
 */
export async function syncNowRuns(state: WorkerState, runs: number): Promise<SyncNowResult> {
  const db = databaseOf(state);
  const linked = await db('sync_links').where({ object: 'organization', state: 'linked' }).whereNotNull('sf_id').orderBy('id').limit(runs).select('prm_id');
  if (linked.length === 0) throw new Error('Sync Now needs linked organizations; run an initial sync first.');
  const result: SyncNowResult = { runsMs: [], apiCallsPerRun: [], errors: [] };
  for (let run = 0; run < runs; run++) {
    const { prm_id: prmId } = linked[run % linked.length] as { prm_id: string };
    await db('organizations').where({ id: prmId }).update({ phone: `+1 303 555 ${String(1000 + run)}`, version: db.raw('version + 1'), updated_at: db.fn.now(), change_seq: db.raw("nextval('prm_change_seq')") });
    const started = performance.now();
    const crm = await openCrm(state);
    const outcome = await syncRecordNow(db, crm, state.plan, 'organization', prmId);
    result.runsMs.push(performance.now() - started);
    result.apiCallsPerRun.push(outcome.apiCalls);
    result.errors.push(...outcome.errors);
  }
  return result;
}
