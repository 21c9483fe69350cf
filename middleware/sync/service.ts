// The sync as the rest of the app uses it (scheduler, Sync Manager, record pages, CLI): loads the
// settings into a plan for every run, opens the Salesforce session only when a run needs it.
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { createSettingsService } from '../settings/service.ts';
import { createSalesforceAdapter } from '../salesforce/adapter.ts';
import { connectSalesforce, type SalesforceCredentials } from '../salesforce/connection.ts';
import { resolveSalesforceCredentials } from '../salesforce/credentials.ts';
import type { CrmAdapter } from './crm.ts';
import { runSyncCycle, type CycleOptions, type CycleSummary } from './cycle.ts';
import { syncPlanFromSettings } from './plan-from-settings.ts';
import type { SyncObject, SyncPlan } from './plan.ts';
import { RecordSyncError, relinkRecord, syncRecordNow, unlinkRecord, type RecordSyncResult } from './record.ts';
import { integrationState } from './state.ts';
import { runsRepository } from './runs.ts';
import { emptyCounts } from './context.ts';
import { dealPlanFromSettings } from '../deals/plan-from-settings.ts';
import { importDeals } from '../deals/importer.ts';

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
  constructor() {
    super('Salesforce is not connected: connect it in Settings → Connection (or set the SF_* variables).');
  }
}

export interface SyncServiceOptions {
  db: Knex;
  config: Config;
  /** Overrides where credentials come from (tests, the demo). */
  credentials?: () => Promise<SalesforceCredentials | null>;
  bulkPollIntervalMs?: number;
}

export function createSyncService(options: SyncServiceOptions) {
  const { db, config } = options;
  const settings = createSettingsService(db);

  async function loadPlan(): Promise<SyncPlan> {
    const stored = await settings.load();
    return syncPlanFromSettings(stored.settings, { wizardCompleted: await integrationState.wizardCompleted(db), publicUrl: config.publicUrl });
  }

  async function openSession() {
    const credentials = await (options.credentials ?? (() => resolveSalesforceCredentials(config, db)))();
    if (!credentials) throw new NotConnectedError();
    return connectSalesforce(credentials);
  }

  async function openCrm(plan: SyncPlan): Promise<CrmAdapter> {
    return createSalesforceAdapter(await openSession(), { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: options.bulkPollIntervalMs });
  }

  return {
    loadPlan,
    openCrm,
    async runCycle(cycleOptions: CycleOptions): Promise<CycleSummary> {
      const plan = await loadPlan();
      return runSyncCycle(db, () => openCrm(plan), plan, cycleOptions);
    },
    async syncNow(object: SyncObject, prmId: string): Promise<RecordSyncResult> {
      const plan = await loadPlan();
      return syncRecordNow(db, await openCrm(plan), plan, object, prmId);
    },
    async unlink(object: SyncObject, prmId: string): Promise<void> {
      const plan = await loadPlan();
      await unlinkRecord(db, await openCrm(plan), plan, object, prmId);
    },
    /** Re-imports one deal's opportunity now: the same rules and writes as the scheduled import. */
    async syncDealNow(dealId: string): Promise<RecordSyncResult> {
      const deal = await db('deal_registrations').where({ id: dealId }).first('sf_opportunity_id');
      if (!deal?.sf_opportunity_id) throw new RecordSyncError('This deal did not come from a Salesforce opportunity, so there is nothing to sync.');
      const plan = dealPlanFromSettings((await settings.load()).settings, config.publicUrl);
      const session = await openSession();
      const runId = await runsRepository.start(db, 'deals', 'record');
      const { counts } = await importDeals({ db, session, plan, mode: 'incremental', dryRun: false, runId, now: () => new Date(), onlyOpportunityIds: [deal.sf_opportunity_id] });
      await runsRepository.finish(db, runId, { status: 'succeeded', counts: { ...counts }, apiCalls: session.ledger.apiCalls, byEndpoint: session.ledger.counts() });
      const errors: string[] = [];
      if (counts.read === 0) errors.push('The opportunity no longer qualifies for import (its PRM boxes are unticked, or it was deleted) — see the integration log.');
      if (counts.ineligible > 0) errors.push('The opportunity is no longer eligible; the integration log lists each failed rule.');
      return {
        counts: { ...emptyCounts(), sfRead: counts.read, toPrm: counts.updated + counts.created, toSalesforce: counts.writeBacks, errors: counts.writeBackFailures },
        apiCalls: session.ledger.apiCalls,
        errors,
      };
    },
    async relink(object: SyncObject, prmId: string, sfId: string): Promise<RecordSyncResult> {
      const plan = await loadPlan();
      return relinkRecord(db, await openCrm(plan), plan, object, prmId, sfId);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
