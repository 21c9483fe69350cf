// Turns one work item into the writes it needs on each side and the link state to store once they
// succeed. Pure apart from the clock: no I/O, so every rule here is tested without a database.
import type { LogRow } from '../log/catalogue.ts';
import { logRow } from '../log/catalogue.ts';
import type { CrmRecord } from './crm.ts';
import type { WorkItem } from './context.ts';
import { prmValues, sfValues, toPrmColumns, toSalesforceFields, type ConversionProblem, type FieldMap } from './fields.ts';
import type { Link } from './links.ts';
import { merge, sameValue, type MergeResult, type MergeValue } from './merge.ts';
import type { ObjectPlan, SyncPlan } from './plan.ts';
import type { PrmRow } from './prm-access.ts';
import { effectiveFlow } from './strategy.ts';

export interface SalesforceWrite {
  /** `upsert` by the external id (creates, or records known to carry it); `update` by Salesforce Id. */
  mode: 'upsert' | 'update';
  sfId: string | null;
  externalId: string;
  values: Record<string, unknown>;
}

export interface PrmWrite {
  mode: 'insert' | 'update';
  id: string;
  columns: Record<string, unknown>;
  custom: Record<string, unknown>;
}

export interface PlannedWrite {
  item: WorkItem;
  sf: SalesforceWrite | null;
  prm: PrmWrite | null;
  /** The link to store when the writes succeed (id 0: insert). */
  link: Link;
  /**
   * Creations in the PRM only: the link to store with the new PRM record when the Salesforce write-back
   * (PRM id, entity type) fails. The record is created anyway and the write-back retried, because the
   * Salesforce record may not change again and the cursor has passed it.
   */
  linkIfWriteBackFails?: Link;
  /**
   * Merges only: the link to commit with the PRM side while the Salesforce write waits for the end of the
   * pass (sync/deferred.ts). The fields it sends keep their old agreed values, with the values sent as
   * pending, marked for retry: until Salesforce confirms, the next merge sees exactly what it would after
   * a failed write, and tells a write that did land from a Salesforce edit (agreedBase).
   */
  linkWhileSalesforceWaits?: Link;
  /** Canonical values the Salesforce write carries, stored on the link ahead of the call (see agreedBase). */
  pending?: Record<string, MergeValue>;
  log: LogRow[];
  conflicts: number;
}

export interface WritePlanContext {
  plan: SyncPlan;
  objectPlan: ObjectPlan;
  runId: string | null;
  now: Date;
  /** Salesforce account id of each contact's organization. */
  accountIdFor?: (organizationId: string) => string | undefined;
  /** Record type ids by DeveloperName, resolved once per run when something is created. */
  recordTypeIds?: ReadonlyMap<string, string>;
}

const recordPath = (object: ObjectPlan['object']) => (object === 'organization' ? 'organizations' : 'contacts');

function systemValues(ctx: WritePlanContext, prmId: string): Record<string, unknown> {
  return {
    [ctx.plan.externalIdField]: prmId,
    PRM_Sys_LastUpdated__c: ctx.now.toISOString(),
    PRM_Sys_URL__c: `${ctx.plan.publicUrl}/records/${recordPath(ctx.objectPlan.object)}/${prmId}`,
  };
}

function problemLogs(ctx: WritePlanContext, problems: readonly ConversionProblem[], prmId: string | null, sfId: string | null): LogRow[] {
  return problems.map((p) => conversionProblemLog(p, { runId: ctx.runId, object: ctx.objectPlan.object, sfObject: ctx.objectPlan.sfObject, prmId, sfId }));
}

/** The log row of a value that could not be converted: an unmapped picklist value, or text too long for the PRM. */
export function conversionProblemLog(p: ConversionProblem, where: { runId: string | null; object: string; sfObject: string; prmId: string | null; sfId: string | null }): LogRow {
  const input = { runId: where.runId, object: where.object, prmId: where.prmId, sfId: where.sfId };
  if (p.kind === 'too_long') {
    return logRow('VALUE_TOO_LONG', { field: `${where.sfObject}.${p.sfField}`, length: [...p.value].length, limit: p.limit ?? 0, prmField: p.key }, { ...input, details: { value: p.value } });
  }
  return logRow('PICKLIST_VALUE_UNMAPPED', { field: p.sfField, value: p.value, side: p.side === 'prm' ? 'PRM' : 'Salesforce' }, input);
}

const flowingTo = (plan: ObjectPlan, side: 'toPrm' | 'toSalesforce') => plan.fields.filter((f) => effectiveFlow(plan.direction, f.direction)[side]);

export function planWrite(ctx: WritePlanContext, item: WorkItem): PlannedWrite {
  switch (item.kind) {
    case 'merge':
      // The item itself, not a copy: `relinked` tells the writer to look up the account's contacts.
      return { ...planMerge(ctx, item.link, item.prmRow, item.sfRecord), item };
    case 'create_in_salesforce':
      return planCreateInSalesforce(ctx, item.prmRow, item);
    case 'create_in_prm':
      return planCreateInPrm(ctx, item);
    case 'disconnect':
      return {
        item,
        sf: null,
        prm: null,
        link: { ...item.link, state: 'disconnected', needs_retry: false },
        conflicts: 0,
        log: [
          logRow(
            'RECORD_DISCONNECTED',
            { object: ctx.objectPlan.sfObject, name: displayName(item.sfRecord?.fields ?? {}), reason: item.reason },
            { runId: ctx.runId, object: ctx.objectPlan.object, prmId: item.link.prm_id, sfId: item.link.sf_id },
          ),
        ],
      };
    case 'mark_deleted':
      return planMarkDeleted(ctx, item.link, item.prmRow, item);
  }
}

function planMerge(ctx: WritePlanContext, link: Link, prmRow: PrmRow, sfRecord: CrmRecord | null): PlannedWrite {
  const { objectPlan } = ctx;
  const problems: ConversionProblem[] = [];
  const sf = sfRecord ? sfValues(objectPlan.fields, sfRecord.fields, problems) : { ...link.snapshot };
  // A field whose Salesforce value cannot be mapped stays out of this merge: it must not read as "cleared".
  const blocked = new Set(problems.map((p) => p.key));
  const fields = objectPlan.fields.filter((f) => !blocked.has(f.key));
  const base = agreedBase(link, sf);
  const result = merge({
    snapshot: base,
    prm: prmValues(fields, prmRow),
    sf,
    fields,
    objectDirection: objectPlan.direction,
    policy: objectPlan.policy,
    prmModifiedAt: prmRow.updated_at ? new Date(prmRow.updated_at) : null,
    sfModifiedAt: sfRecord?.lastModified ?? null,
  });
  followPrmUpdate(objectPlan, fields, prmRow, base, sf, result);
  const sfPatch = toSalesforceFields(fields, result.toSalesforce, problems);
  const carriesExternalId = sfRecord ? sfRecord.fields[ctx.plan.externalIdField] === prmRow.id : true;
  const sfWrite: SalesforceWrite | null =
    Object.keys(sfPatch).length > 0 || !carriesExternalId
      ? { mode: carriesExternalId ? 'upsert' : 'update', sfId: link.sf_id, externalId: prmRow.id, values: { ...sfPatch, ...systemValues(ctx, prmRow.id) } }
      : null;
  const prmPatch = toPrmColumns(fields, result.toPrm);
  const prmWrite: PrmWrite | null = Object.keys(prmPatch.columns).length + Object.keys(prmPatch.custom).length > 0 ? { mode: 'update', id: prmRow.id, ...prmPatch } : null;
  const snapshot = { ...base, ...result.snapshot };
  for (const key of blocked) if (key in base) snapshot[key] = base[key] ?? null;
  const log = problemLogs(ctx, problems, prmRow.id, link.sf_id);
  for (const conflict of result.conflicts) {
    log.push(
      logRow('CONFLICT_RESOLVED', { field: conflict.key, winner: conflict.winner === 'prm' ? 'PRM' : 'Salesforce', rule: conflict.rule.replace(/_/g, ' ') }, {
        runId: ctx.runId,
        object: objectPlan.object,
        prmId: prmRow.id,
        sfId: link.sf_id,
        details: { prm: conflict.prm, salesforce: conflict.sf, base: conflict.snapshot ?? null },
      }),
    );
  }
  const sent = Object.fromEntries(Object.entries(result.toSalesforce).filter(([key]) => !problems.some((p) => p.key === key)));
  const merged: Link = { ...link, state: 'linked', snapshot, sf_modstamp: sfRecord?.modstamp ?? link.sf_modstamp, needs_retry: false, last_error: null, pending: null };
  return {
    item: { kind: 'merge', link, prmRow, sfRecord },
    sf: sfWrite,
    prm: prmWrite,
    pending: sfWrite ? sent : undefined,
    link: merged,
    ...(sfWrite ? { linkWhileSalesforceWaits: { ...merged, snapshot: withAgreedValues(snapshot, base, Object.keys(sent)), pending: sent, needs_retry: true } } : {}),
    log,
    conflicts: result.conflicts.length,
  };
}

/** The snapshot with these fields back at their agreed values (absent where none was agreed yet). */
function withAgreedValues(snapshot: Record<string, MergeValue>, base: Record<string, MergeValue>, keys: readonly string[]): Record<string, MergeValue> {
  const out = { ...snapshot };
  for (const key of keys) {
    if (key in base) out[key] = base[key] ?? null;
    else delete out[key];
  }
  return out;
}

/**
 * The merge base: the agreed snapshot, plus what an interrupted run already wrote to Salesforce without
 * committing, wherever Salesforce still holds exactly that. Both sides had agreed on it then (the value came
 * from the PRM), so Salesforce holding it is no Salesforce edit, and a PRM edit made since still wins.
 */
export function agreedBase(link: Pick<Link, 'snapshot' | 'pending'>, sf: Record<string, MergeValue | undefined>): Record<string, MergeValue> {
  if (!link.pending) return link.snapshot;
  const base = { ...link.snapshot };
  for (const [key, value] of Object.entries(link.pending)) if (sameValue(sf[key], value)) base[key] = value;
  return base;
}

/**
 * Fields that flow only PRM → Salesforce may be derived from columns this very merge is about to change in
 * the PRM (the entity type from a status pulled from Salesforce): send what the PRM will hold after the
 * write, or the derived value stays stale until the next PRM edit (our own write is echo-suppressed).
 */
function followPrmUpdate(plan: ObjectPlan, fields: readonly FieldMap[], prmRow: PrmRow, base: Record<string, MergeValue>, sf: Record<string, MergeValue | undefined>, result: MergeResult): void {
  if (Object.keys(result.toPrm).length === 0) return;
  const { columns, custom } = toPrmColumns(fields, result.toPrm);
  const after = { ...prmRow, ...columns, custom: { ...((prmRow.custom as Record<string, unknown> | null) ?? {}), ...custom } };
  const derived = fields.filter((f) => f.direction === 'to_salesforce' && effectiveFlow(plan.direction, f.direction).toSalesforce && !(f.firstSyncOnly && f.key in base));
  for (const [key, value] of Object.entries(prmValues(derived, after))) {
    const next = value ?? null;
    if (sameValue(next, result.snapshot[key])) continue;
    if (sameValue(next, sf[key])) delete result.toSalesforce[key];
    else result.toSalesforce[key] = next;
    result.snapshot[key] = next;
  }
}

function planCreateInSalesforce(ctx: WritePlanContext, row: PrmRow, item: WorkItem): PlannedWrite {
  const { objectPlan, plan } = ctx;
  const fields = flowingTo(objectPlan, 'toSalesforce');
  const canonical = prmValues(fields, row);
  const problems: ConversionProblem[] = [];
  const values: Record<string, unknown> = { ...toSalesforceFields(fields, canonical as Record<string, MergeValue>, problems), ...systemValues(ctx, row.id) };
  if (objectPlan.object === 'organization') {
    values[plan.accountSyncFlagField] = true;
    const recordType = row.kind === 'distributor' ? plan.recordTypes.distributorAccount : plan.recordTypes.partnerAccount;
    const recordTypeId = recordType ? ctx.recordTypeIds?.get(recordType) : undefined;
    if (recordTypeId) values.RecordTypeId = recordTypeId;
  } else {
    if (plan.contactSyncFlagField) values[plan.contactSyncFlagField] = true;
    values.AccountId = ctx.accountIdFor?.(String(row.organization_id));
    const recordTypeId = plan.recordTypes.contact ? ctx.recordTypeIds?.get(plan.recordTypes.contact) : undefined;
    if (recordTypeId) values.RecordTypeId = recordTypeId;
  }
  const snapshot: Record<string, MergeValue> = {};
  for (const field of fields) if (!problems.some((p) => p.key === field.key)) snapshot[field.key] = canonical[field.key] ?? null;
  return {
    item,
    sf: { mode: 'upsert', sfId: null, externalId: row.id, values },
    prm: null,
    pending: snapshot,
    link: { id: 0, object: objectPlan.object, prm_id: row.id, sf_id: null, state: 'linked', snapshot, sf_modstamp: null, prm_change_seq: Number(row.change_seq), last_synced_at: null, needs_retry: false, last_error: null, pending: null },
    log: problemLogs(ctx, problems, row.id, null),
    conflicts: 0,
  };
}

function planCreateInPrm(ctx: WritePlanContext, item: Extract<WorkItem, { kind: 'create_in_prm' }>): PlannedWrite {
  const { objectPlan } = ctx;
  const newRow = { ...item.prmValues, id: item.prmId } as Record<string, unknown>;
  const canonical = prmValues(objectPlan.fields, newRow);
  const fromSalesforce = sfValues(objectPlan.fields, item.sfRecord.fields);
  // Computed fields (entity type, URL) go back to Salesforce with the PRM id.
  const backFields = flowingTo(objectPlan, 'toSalesforce').filter((f) => canonical[f.key] !== (fromSalesforce[f.key] ?? null));
  const back = toSalesforceFields(backFields, Object.fromEntries(backFields.map((f) => [f.key, canonical[f.key] ?? null])));
  const { custom, ...columns } = item.prmValues as Record<string, unknown> & { custom?: Record<string, unknown> };
  const snapshot: Record<string, MergeValue> = {};
  for (const field of objectPlan.fields) snapshot[field.key] = canonical[field.key] ?? null;
  const link: Link = { id: 0, object: objectPlan.object, prm_id: item.prmId, sf_id: item.sfRecord.id, state: 'linked', snapshot, sf_modstamp: item.sfRecord.modstamp, prm_change_seq: null, last_synced_at: null, needs_retry: false, last_error: null };
  // Without the write-back the fields it carried were never agreed: the retry's merge sends them (first-sync rule).
  const unsent = Object.fromEntries(Object.entries(snapshot).filter(([key]) => !backFields.some((f) => f.key === key)));
  return {
    item,
    sf: { mode: 'update', sfId: item.sfRecord.id, externalId: item.prmId, values: { ...back, ...systemValues(ctx, item.prmId) } },
    prm: { mode: 'insert', id: item.prmId, columns, custom: custom ?? {} },
    link,
    linkIfWriteBackFails: { ...link, snapshot: unsent, needs_retry: true },
    log: [],
    conflicts: 0,
  };
}

function planMarkDeleted(ctx: WritePlanContext, link: Link, row: PrmRow, item: WorkItem): PlannedWrite {
  // The status the PRM record had when it was deleted (the snapshot may predate a last status change).
  const entityField = ctx.objectPlan.fields.find((f) => f.sfField === 'PRM_Sys_EntityType__c');
  const current = entityField?.readPrm(row);
  const entity = (typeof current === 'string' && current ? current : null) ?? (link.snapshot.entity_type as string | null) ?? (ctx.objectPlan.object === 'organization' ? 'Partner' : 'Contact');
  const flag = ctx.objectPlan.object === 'organization' ? ctx.plan.accountSyncFlagField : ctx.plan.contactSyncFlagField;
  const unflag = flag ? { [flag]: false } : {};
  return {
    item,
    sf: {
      mode: 'update',
      sfId: link.sf_id,
      externalId: row.id,
      values: { PRM_Sys_EntityType__c: `${entity.replace(/ \(Deleted\)$/, '')} (Deleted)`, ...unflag, PRM_Sys_LastUpdated__c: ctx.now.toISOString() },
    },
    prm: null,
    link: { ...link, state: 'deleted', needs_retry: false, last_error: null },
    log: [logRow('RECORD_DELETED_IN_PRM', { object: ctx.objectPlan.object, name: displayName(row) }, { runId: ctx.runId, object: ctx.objectPlan.object, prmId: row.id, sfId: link.sf_id })],
    conflicts: 0,
  };
}

export function displayName(fields: Record<string, unknown>): string {
  const name = fields.Name ?? fields.name ?? [fields.FirstName ?? fields.first_name, fields.LastName ?? fields.last_name].filter(Boolean).join(' ');
  return String(name || fields.Id || fields.id || '(unnamed)');
}

export type { FieldMap };
