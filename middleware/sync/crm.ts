// The narrow interface the sync cycle talks to a CRM through. Salesforce is the first implementation
// (middleware/salesforce/adapter.ts); another CRM plugs in here without touching merge or cycle code.
import type { ApiUsage } from '../salesforce/ledger.ts';
import type { UpdateRow, UpsertResult, UpsertRow, WriteInput } from '../salesforce/writer.ts';
import type { ResultSink } from '../salesforce/live-results.ts';

export interface CrmRecord {
  id: string;
  modstamp: Date;
  lastModified: Date | null;
  isDeleted: boolean;
  /** Field values by CRM field name, including parent paths such as `Account.PRM_Sync__c`. */
  fields: Record<string, unknown>;
}

export interface ChangeQuery {
  object: string;
  fields: readonly string[];
  /** Records modified at or after this time; null reads every record in scope (full reconcile). */
  since: Date | null;
  /** Checkbox that puts a record in scope, on the record itself or its parent (`Account.PRM_Sync__c`). */
  scopeFlagField: string;
  externalIdField: string;
}

export interface CrmChangePage {
  records: CrmRecord[];
  /**
   * The CRM's clock when it answered the page, or null when it does not say. A change committed before
   * the query ran is in its answer; the cursor overlap covers changes stamped earlier but committed later.
   */
  serverTime: Date | null;
}

export type CrmUpdateRow = UpdateRow;

export interface CrmAdapter {
  /** Changed records, deleted ones included (isDeleted), oldest change first, one page at a time. */
  changedSince(query: ChangeQuery): AsyncIterable<CrmChangePage>;
  byIds(object: string, ids: readonly string[], fields: readonly string[]): Promise<CrmRecord[]>;
  byParentIds(object: string, parentField: string, parentIds: readonly string[], fields: readonly string[]): AsyncIterable<CrmRecord[]>;
  /**
   * Writes rows in memory, or streams a large source (one Bulk API job above the threshold); results in
   * input order. `onSucceeded`, when given, may take the leading successful results early (while a Bulk
   * job's results download); the returned results hold every row all the same.
   */
  upsertByExternalId(object: string, externalIdField: string, rows: WriteInput<UpsertRow>, onSucceeded?: ResultSink): Promise<UpsertResult[]>;
  updateByIds(object: string, rows: WriteInput<CrmUpdateRow>, onSucceeded?: ResultSink): Promise<UpsertResult[]>;
  /** The id of an active record type by DeveloperName, or null when the org has none by that name. */
  recordTypeId(object: string, developerName: string): Promise<string | null>;
  apiCalls(): number;
  apiCallsByEndpoint(): Record<string, number>;
  apiUsage(): ApiUsage | null;
}
