// What a prm-sync worker process holds between commands: its database, where the org is, and the sync
// plan — the product's defaults (overlap 60 s, Bulk API above 2,000 records, bulk polling every second).
import type { DbHandle } from '../../middleware/db/knex.ts';
import { connectSalesforce, type SalesforceSession } from '../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../middleware/salesforce/adapter.ts';
import type { CrmAdapter } from '../../middleware/sync/crm.ts';
import { defaultSyncPlan, type SyncPlan } from '../../middleware/sync/plan.ts';
import type { SalesforceTarget } from './protocol.ts';

export const PUBLIC_URL = 'https://prm.example.com';

export interface WorkerState {
  handle: DbHandle | null;
  salesforce: SalesforceTarget | null;
  plan: SyncPlan;
}

export function newState(): WorkerState {
  return { handle: null, salesforce: null, plan: defaultSyncPlan({ publicUrl: PUBLIC_URL }) };
}

export function databaseOf(state: WorkerState): DbHandle['db'] {
  if (!state.handle) throw new Error('The worker has no database open; send "open" first.');
  return state.handle.db;
}

export function salesforceOf(state: WorkerState): SalesforceTarget {
  if (!state.salesforce) throw new Error('The worker was opened without a Salesforce org.');
  return state.salesforce;
}

/** A session as the product opens one per run: an access token, no login call. */
export function openSession(state: WorkerState): Promise<SalesforceSession> {
  const { url, accessToken } = salesforceOf(state);
  return connectSalesforce({ loginUrl: url, instanceUrl: url, accessToken });
}

/** The adapter exactly as middleware/sync/service.ts builds it (no bulk poll override: the product's 1 s). */
export async function openCrm(state: WorkerState): Promise<CrmAdapter> {
  return createSalesforceAdapter(await openSession(state), { bulkThreshold: state.plan.bulkThreshold });
}
