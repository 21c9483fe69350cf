// The scheduler's two jobs wired to the engines: the accounts/contacts sync cycle (middleware/sync) and
// the opportunity → deal import (middleware/jobs/deal-import.ts), each reading the current settings at
// the start of every run.
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { dealPlanFromSettings } from '../deals/plan-from-settings.ts';
import { connectSalesforce } from '../salesforce/connection.ts';
import { resolveSalesforceCredentials } from '../salesforce/credentials.ts';
import { createSettingsService } from '../settings/service.ts';
import { NotConnectedError, type SyncService } from '../sync/service.ts';
import { runDealImport } from './deal-import.ts';
import type { JobRunners } from './scheduler.ts';

export function createJobRunners(options: { db: Knex; config: Config; sync: SyncService }): JobRunners {
  const settings = createSettingsService(options.db);
  return {
    async accounts_contacts(request) {
      const summary = await options.sync.runCycle({ mode: request.mode, interactive: request.interactive, onProgress: request.onProgress });
      const c = summary.counts;
      return {
        runId: summary.runId,
        status: summary.status,
        recordsSynced: c.toSalesforce + c.toPrm + c.createdInSalesforce + c.createdInPrm,
        errors: c.errors,
        apiCalls: summary.apiCalls,
        error: summary.error,
      };
    },
    async deals(request) {
      const stored = await settings.load();
      const plan = dealPlanFromSettings(stored.settings, options.config.publicUrl);
      const openSession = async () => {
        const credentials = await resolveSalesforceCredentials(options.config, options.db);
        if (!credentials) throw new NotConnectedError();
        return connectSalesforce(credentials);
      };
      const summary = await runDealImport(options.db, openSession, plan, { mode: request.mode, interactive: request.interactive, onProgress: request.onProgress });
      return { runId: summary.runId, status: summary.status, recordsSynced: summary.recordsSynced, errors: summary.errors, apiCalls: summary.apiCalls, error: summary.error };
    },
  };
}
