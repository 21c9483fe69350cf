// The process the crash-recovery test kills: opens the shared database and the emulated org named in its
// environment and runs sync cycles until one has nothing left to do (or one deal import). It reports each
// run on stdout as a JSON line. `crashAfterWrites: N` makes it SIGKILL itself right after its N-th
// Salesforce write call returned, before the PRM commit that would confirm it.
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../../middleware/salesforce/adapter.ts';
import { openDatabase } from '../../../middleware/db/knex.ts';
import { defaultDealImportPlan } from '../../../middleware/deals/plan.ts';
import { runDealImport } from '../../../middleware/jobs/deal-import.ts';
import type { CrmAdapter } from '../../../middleware/sync/crm.ts';
import { runSyncCycle } from '../../../middleware/sync/cycle.ts';
import { defaultSyncPlan } from '../../../middleware/sync/plan.ts';
import { CHILD_SETTINGS_VARIABLE, type ChildSettings } from './protocol.ts';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function crashingAdapter(crm: CrmAdapter, settings: ChildSettings, counter: { writes: number }): CrmAdapter {
  const afterWrite = <T>(result: T): T => {
    counter.writes += 1;
    if (settings.crashAfterWrites > 0 && counter.writes === settings.crashAfterWrites) {
      emit({ event: 'self-kill', writes: counter.writes });
      process.kill(process.pid, 'SIGKILL');
    }
    return result;
  };
  return {
    ...crm,
    upsertByExternalId: async (object, field, rows) => afterWrite(await crm.upsertByExternalId(object, field, rows)),
    updateByIds: async (object, rows) => afterWrite(await crm.updateByIds(object, rows)),
  };
}

async function main(): Promise<void> {
  const raw = process.env[CHILD_SETTINGS_VARIABLE];
  if (!raw) throw new Error(`${CHILD_SETTINGS_VARIABLE} is not set`);
  const settings = JSON.parse(raw) as ChildSettings;
  const handle = openDatabase(settings.database);
  const { url, refreshToken } = settings.salesforce;
  let accessToken = settings.salesforce.accessToken;
  const connect = () =>
    connectSalesforce({ loginUrl: url, instanceUrl: url, clientId: 'prm-sync-reliability', clientSecret: 'emulator', accessToken, refreshToken }, { onTokens: (t) => void (accessToken = t.accessToken) });
  emit({ event: 'started', pid: process.pid });
  try {
    if (settings.job === 'deals') {
      const plan = defaultDealImportPlan({
        publicUrl: 'https://prm.example.com',
        overlapMs: 0,
        mappings: defaultDealImportPlan().mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: settings.dealStageMap } : m)),
      });
      const summary = await runDealImport(handle.db, connect, plan, { mode: 'incremental', batchSize: 200 });
      emit({ event: 'run', status: summary.status, counts: summary.counts, error: summary.error });
      emit({ event: 'done', quiet: summary.status === 'succeeded' });
      return;
    }
    const plan = defaultSyncPlan({ publicUrl: 'https://prm.example.com', overlapMs: 0, bulkThreshold: settings.bulkThreshold });
    const counter = { writes: 0 };
    for (let cycle = 1; cycle <= settings.maxCycles; cycle++) {
      const session = await connect();
      const adapter = crashingAdapter(createSalesforceAdapter(session, { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: 20 }), settings, counter);
      const summary = await runSyncCycle(handle.db, async () => adapter, plan, { mode: 'incremental' });
      const c = summary.counts;
      const wrote = c.toPrm + c.toSalesforce + c.createdInPrm + c.createdInSalesforce + c.disconnected + c.errors > 0;
      emit({ event: 'run', cycle, status: summary.status, counts: c, error: summary.error });
      if (summary.status === 'succeeded' && !wrote) {
        emit({ event: 'done', quiet: true });
        return;
      }
    }
    emit({ event: 'done', quiet: false });
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
});
