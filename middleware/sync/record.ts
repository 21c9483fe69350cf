// One record at a time, for the record pages: Sync Now (the same merge as the cycle, right away), Unlink
// (both records stay; the PRM id and link are cleared in Salesforce) and relink to another record.
import type { Db } from '../db/knex.ts';
import { writeLog } from '../log/repository.ts';
import { applyBatch, salesforceFieldsFor } from './apply.ts';
import { emptyCounts, type ObjectRunState, type SyncContext, type SyncCounts, type WorkItem } from './context.ts';
import type { CrmAdapter } from './crm.ts';
import { newLink, prmEligible } from './classify.ts';
import { linksRepository } from './links.ts';
import type { SyncObject, SyncPlan } from './plan.ts';
import { prmAccess } from './prm-access.ts';

export class RecordSyncError extends Error {
  override name = 'RecordSyncError';
}

export interface RecordSyncResult {
  counts: SyncCounts;
  apiCalls: number;
  errors: string[];
}

function context(db: Db, crm: CrmAdapter, plan: SyncPlan): SyncContext {
  return { db, crm, plan, runId: null, dryRun: false, counts: emptyCounts(), log: [], planned: [], newlyLinkedAccounts: new Set(), now: () => new Date() };
}

function stateFor(plan: SyncPlan, object: SyncObject): ObjectRunState {
  return { plan: object === 'organization' ? plan.organizations : plan.contacts, seenSfIds: new Set(), seenPrmIds: new Set() };
}

/** Runs the merge for one PRM record now: creates it in Salesforce if it has no link yet. */
export async function syncRecordNow(db: Db, crm: CrmAdapter, plan: SyncPlan, object: SyncObject, prmId: string): Promise<RecordSyncResult> {
  const ctx = context(db, crm, plan);
  const state = stateFor(plan, object);
  const [row] = await prmAccess.byIds(db, object, [prmId]);
  if (!row) throw new RecordSyncError(`There is no PRM ${object} ${prmId}.`);
  const link = await linksRepository.get(db, object, { prmId });
  let item: WorkItem;
  if (!link || (link.state === 'linked' && link.sf_id === null)) {
    if (row.deleted_at) throw new RecordSyncError('This record is deleted in the PRM; there is nothing to sync.');
    if (object === 'organization' && !prmEligible(ctx, row)) throw new RecordSyncError(`Organizations with status "${String(row.status)}" are not synced (see Settings).`);
    item = { kind: 'create_in_salesforce', prmRow: row };
  } else if (link.state !== 'linked') {
    throw new RecordSyncError(`The link is ${link.state}; relink the record to another Salesforce record or re-flag it in Salesforce.`);
  } else if (row.deleted_at) {
    item = { kind: 'mark_deleted', link, prmRow: row };
  } else {
    const [record] = await crm.byIds(state.plan.sfObject, [link.sf_id as string], salesforceFieldsFor(ctx, state));
    item = record && !record.isDeleted ? { kind: 'merge', link, prmRow: row, sfRecord: record } : { kind: 'disconnect', link, sfRecord: record ?? null, reason: 'was deleted in Salesforce' };
  }
  await applyBatch(ctx, state, [item]);
  const errors = ctx.log.filter((entry) => entry.level === 'error').map((entry) => `${entry.message} ${entry.suggestion ?? ''}`.trim());
  await writeLog(db, ctx.log.splice(0));
  return { counts: ctx.counts, apiCalls: crm.apiCalls(), errors };
}

/** Removes the link; both records stay. The PRM id and link are cleared on the Salesforce record. */
export async function unlinkRecord(db: Db, crm: CrmAdapter, plan: SyncPlan, object: SyncObject, prmId: string): Promise<void> {
  const link = await linksRepository.get(db, object, { prmId });
  if (!link) throw new RecordSyncError('This record is not linked to Salesforce.');
  if (link.sf_id && link.state !== 'disconnected') {
    const sfObject = object === 'organization' ? 'Account' : 'Contact';
    const [result] = await crm.updateByIds(sfObject, [{ id: link.sf_id, values: { [plan.externalIdField]: null, PRM_Sys_URL__c: null } }]);
    if (result && !result.success && !result.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED')) {
      throw new RecordSyncError(`Salesforce refused to clear the PRM id: ${result.errors.map((e) => e.message).join('; ')}`);
    }
  }
  await linksRepository.remove(db, link.id);
}

/** Links the PRM record to another Salesforce record and merges them at once (first-sync rules). */
export async function relinkRecord(db: Db, crm: CrmAdapter, plan: SyncPlan, object: SyncObject, prmId: string, sfId: string): Promise<RecordSyncResult> {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(sfId)) throw new RecordSyncError(`"${sfId}" is not a Salesforce record id (15 or 18 letters and digits).`);
  const taken = await linksRepository.get(db, object, { sfId });
  if (taken && taken.prm_id !== prmId) throw new RecordSyncError('That Salesforce record is already linked to another PRM record; unlink it there first.');
  const existing = await linksRepository.get(db, object, { prmId });
  if (existing?.sf_id && existing.sf_id !== sfId) await unlinkRecord(db, crm, plan, object, prmId);
  else if (existing) await linksRepository.remove(db, existing.id);
  const { id: _id, ...fresh } = newLink(object, prmId, sfId);
  await linksRepository.insert(db, fresh);
  return syncRecordNow(db, crm, plan, object, prmId);
}
