// State shared by the steps of one sync run: where to read and write, what the plan says, and what the
// run has counted and logged so far.
import type { Db } from '../db/knex.ts';
import type { LogRow } from '../log/catalogue.ts';
import type { CrmAdapter, CrmRecord } from './crm.ts';
import type { Link } from './links.ts';
import type { ObjectPlan, SyncPlan } from './plan.ts';
import type { PrmRow } from './prm-access.ts';

export interface SyncCounts {
  sfRead: number;
  prmRead: number;
  toSalesforce: number;
  toPrm: number;
  createdInSalesforce: number;
  createdInPrm: number;
  conflicts: number;
  errors: number;
  skipped: number;
  disconnected: number;
}

export const emptyCounts = (): SyncCounts => ({
  sfRead: 0,
  prmRead: 0,
  toSalesforce: 0,
  toPrm: 0,
  createdInSalesforce: 0,
  createdInPrm: 0,
  conflicts: 0,
  errors: 0,
  skipped: 0,
  disconnected: 0,
});

export interface PlannedChange {
  object: string;
  action: 'update' | 'create_in_salesforce' | 'create_in_prm' | 'disconnect' | 'mark_deleted';
  prmId: string | null;
  sfId: string | null;
  toSalesforce: Record<string, unknown>;
  toPrm: Record<string, unknown>;
}

export interface SyncContext {
  db: Db;
  crm: CrmAdapter;
  plan: SyncPlan;
  runId: string | null;
  dryRun: boolean;
  counts: SyncCounts;
  log: LogRow[];
  /** Dry runs collect what they would do here (the sync preview). */
  planned: PlannedChange[];
  /** Salesforce accounts linked during this run: their contacts are pulled even if unchanged. */
  newlyLinkedAccounts: Set<string>;
  onProgress?: (phase: string, done: number) => void;
  now: () => Date;
}

/** One record's worth of work for the batch writer. */
export type WorkItem =
  | { kind: 'merge'; link: Link; prmRow: PrmRow; sfRecord: CrmRecord | null; relinked?: boolean }
  | { kind: 'create_in_salesforce'; prmRow: PrmRow }
  | { kind: 'create_in_prm'; sfRecord: CrmRecord; prmId: string; prmValues: Record<string, unknown>; existingPrmId?: string }
  | { kind: 'disconnect'; link: Link; sfRecord: CrmRecord | null; reason: string }
  | { kind: 'mark_deleted'; link: Link; prmRow: PrmRow };

export interface ObjectRunState {
  plan: ObjectPlan;
  /** Salesforce ids already merged in this run, so the PRM pass does not merge them again. */
  seenSfIds: Set<string>;
  seenPrmIds: Set<string>;
}
