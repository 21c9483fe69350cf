// The process the crash-recovery test kills: opens the shared database and the emulated org named in its
// environment and runs sync cycles until one has nothing left to do (or one deal import, or the matching
// wizard's Apply as the Confirm page starts it). It reports each run on stdout as a JSON line.
// `crashAfterWrites: N` makes it SIGKILL itself right after its N-th Salesforce write call returned, before
// the PRM commit that would confirm it.
import type { Knex } from 'knex';
import { connectSalesforce, type SalesforceSession } from '../../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../../middleware/salesforce/adapter.ts';
import { openDatabase } from '../../../middleware/db/knex.ts';
import { defaultDealImportPlan } from '../../../middleware/deals/plan.ts';
import { runDealImport } from '../../../middleware/jobs/deal-import.ts';
import type { CrmAdapter } from '../../../middleware/sync/crm.ts';
import { runSyncCycle } from '../../../middleware/sync/cycle.ts';
import { defaultSyncPlan } from '../../../middleware/sync/plan.ts';
import { endpointLabel } from '../../../middleware/salesforce/ledger.ts';
import { createSettingsService } from '../../../middleware/settings/service.ts';
import { applyWizard } from '../../../middleware/wizard/apply.ts';
import { createTaskRunner } from '../../../middleware/wizard/tasks.ts';
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
    // Every argument goes through, the early result hand-over included: the crash meets the real write path.
    upsertByExternalId: async (...args) => afterWrite(await crm.upsertByExternalId(...args)),
    updateByIds: async (...args) => afterWrite(await crm.updateByIds(...args)),
  };
}

/**
 * The wizard builds its own adapter from the session, so its writes are watched one level down, on
 * jsforce's transport: the process dies as the answer to its N-th write request arrives, before jsforce
 * hands it to the apply step.
 */
function killAfterWriteRequests(session: SalesforceSession, settings: ChildSettings, counter: { writes: number }): SalesforceSession {
  type Send = (request: { method?: string; url?: string }, options?: unknown) => PromiseLike<unknown>;
  const transport = (session.conn as unknown as { _transport: { httpRequest: Send } })._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, options) => {
    const answer = send(request, options);
    const label = endpointLabel(request.method ?? 'GET', request.url ?? '');
    if (!/^(collections\.(create|update|upsert)|bulk2\.ingest\.(POST|PUT))$/.test(label)) return answer;
    // The answer is a stream as well as a promise: it goes back as it is, watched from the side.
    answer.then(
      () => {
        counter.writes += 1;
        if (settings.crashAfterWrites > 0 && counter.writes === settings.crashAfterWrites) {
          emit({ event: 'self-kill', writes: counter.writes, label });
          process.kill(process.pid, 'SIGKILL');
        }
      },
      () => undefined,
    );
    return answer;
  };
  return session;
}

/** Apply as the Confirm page runs it: a background task (one at a time, with heartbeats) around applyWizard. */
async function applyTheWizard(db: Knex, connect: () => Promise<SalesforceSession>, settings: ChildSettings): Promise<void> {
  const stored = createSettingsService(db);
  const counter = { writes: 0 };
  const env = { db, loadSettings: async () => (await stored.load()).settings, session: async () => killAfterWriteRequests(await connect(), settings, counter), publicUrl: 'https://prm.example.com' };
  const tasks = createTaskRunner(db);
  const actor = 'admin@crash.test';
  const options = { undecidedOrganizations: 'dont_sync', undecidedAccounts: 'dont_sync', actor, batchSize: settings.wizardBatchSize } as const;
  const outcome = await tasks.start('apply', actor, (progress, counts) => applyWizard(env, options, progress, counts));
  if (!outcome.started) {
    emit({ event: 'run', status: 'refused', error: outcome.reason });
    emit({ event: 'done', quiet: false });
    return;
  }
  await tasks.idle();
  const task = await tasks.latest('apply');
  emit({ event: 'run', status: task?.status, counts: task?.counts, error: task?.error });
  emit({ event: 'done', quiet: task?.status === 'succeeded' });
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
    if (settings.job === 'wizard') {
      await applyTheWizard(handle.db, connect, settings);
      return;
    }
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
