// What the console drives, passed in by app.ts: the scheduler (Run Now, pause, progress), the sync
// engine's one-record operations, the settings service, the Salesforce connection and its access.
import type { ConnectionStore } from '../auth/salesforce-connection.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { SettingsService } from '../settings/service.ts';
import type { SyncObject } from '../sync/plan.ts';
import type { SalesforceAccess } from './salesforce-access.ts';

export interface RecordSyncResult {
  counts: Record<string, number> | object;
  apiCalls: number;
  errors: string[];
}

/** One-record operations of the record pages; the sync service (middleware/sync/service.ts) implements them. */
export interface RecordSync {
  syncNow(object: SyncObject, prmId: string): Promise<RecordSyncResult>;
  unlink(object: SyncObject, prmId: string): Promise<void>;
  relink(object: SyncObject, prmId: string, sfId: string): Promise<RecordSyncResult>;
  /** Re-imports the opportunity behind a deal registration now; absent until the deal import offers it. */
  syncDealNow?(dealId: string): Promise<RecordSyncResult>;
}

export interface ConsoleServices {
  scheduler: Scheduler;
  recordSync: RecordSync;
  settings: SettingsService;
  connections: ConnectionStore;
  salesforce: SalesforceAccess;
}
