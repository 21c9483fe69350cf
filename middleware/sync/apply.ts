// Executes a batch of planned writes in the crash-safe order: Salesforce first (idempotent upserts by
// external id, or updates by Id), then one PRM transaction with the PRM writes and the links. A crash in
// between leaves cursors and snapshots behind, so the next run redoes the work and finds it done.
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext, WorkItem } from './context.ts';
import type { CrmRecord } from './crm.ts';
import { commitPrm } from './commit.ts';
import { isDeferrable, linkWhileDeferred, spoolWrite, type DeferredWrites } from './deferred.ts';
import { linksRepository } from './links.ts';
import { planWrite, type PlannedWrite } from './write-plan.ts';

/** Salesforce fields the sync reads for an object: every mapped field plus scope and parent fields. */
export function salesforceFieldsFor(ctx: SyncContext, state: ObjectRunState): string[] {
  const fields = new Set(state.plan.fields.map((f) => f.sfField));
  fields.add(ctx.plan.externalIdField);
  if (state.plan.object === 'organization') {
    fields.add(ctx.plan.accountSyncFlagField);
    fields.add('Name');
  } else {
    if (ctx.plan.contactSyncFlagField) fields.add(ctx.plan.contactSyncFlagField);
    fields.add('AccountId');
    fields.add(`Account.${ctx.plan.accountSyncFlagField}`);
    fields.add('FirstName');
    fields.add('LastName');
    fields.add('Email');
  }
  return [...fields];
}

/**
 * Plans and writes one batch. With `deferred` (an object pass), creations in Salesforce, write-backs of
 * records created in the PRM and merges' Salesforce updates are collected for one write later in the pass
 * (sync/deferred.ts).
 */
export async function applyBatch(ctx: SyncContext, state: ObjectRunState, items: WorkItem[], deferred?: DeferredWrites): Promise<void> {
  if (items.length === 0) return;
  await fillMissingSalesforceRecords(ctx, state, items);
  const accountIds =
    state.plan.object === 'contact'
      ? await linksRepository.accountIdsForOrganizations(ctx.db, items.flatMap((i) => ('prmRow' in i ? [String(i.prmRow.organization_id)] : [])))
      : new Map<string, string>();
  const recordTypeIds = items.some((i) => i.kind === 'create_in_salesforce') ? await resolveRecordTypes(ctx, state) : undefined;
  const planned = items.map((item) =>
    planWrite({ plan: ctx.plan, objectPlan: state.plan, runId: ctx.runId, now: ctx.now(), accountIdFor: (id) => accountIds.get(id), recordTypeIds }, item),
  );
  for (const write of planned) ctx.log.push(...write.log);
  if (ctx.dryRun) {
    recordPreview(ctx, state, planned);
    return;
  }
  await recordPendingWrites(ctx, planned);
  const later = new Set(deferred ? planned.filter(isDeferrable) : []);
  const writeNow = later.size > 0 ? planned.filter((write) => !later.has(write)) : planned;
  const sfResults = await writeSalesforce(ctx, state, writeNow);
  // Records created in the PRM and merges commit their PRM side now, their links waiting for Salesforce;
  // creations in Salesforce are committed when the deferred write confirms them (their write-ahead link
  // is already stored).
  const awaiting = [...later].flatMap((w) => {
    const link = linkWhileDeferred(w);
    return link ? [{ ...w, sf: null, link }] : [];
  });
  const notCommitted = await commitPrm(ctx, state, [...writeNow, ...awaiting], sfResults);
  for (const write of later) {
    // No PRM record to point at, or a merge whose PRM side is marked for retry: nothing to send now.
    if (write.item.kind !== 'create_in_salesforce' && notCommitted.has(write.link.prm_id as string)) continue;
    spoolWrite(ctx, deferred as DeferredWrites, write);
  }
}

/** Record type ids for the DeveloperNames the plan names, looked up once per run (cached by the adapter). */
async function resolveRecordTypes(ctx: SyncContext, state: ObjectRunState): Promise<Map<string, string>> {
  const { recordTypes } = ctx.plan;
  const names = state.plan.object === 'organization' ? [recordTypes.partnerAccount, recordTypes.distributorAccount] : [recordTypes.contact];
  const out = new Map<string, string>();
  for (const name of names) {
    if (!name) continue;
    const id = await ctx.crm.recordTypeId(state.plan.sfObject, name);
    if (id) out.set(name, id);
  }
  return out;
}

/** Merges whose snapshot lacks a mapped field (new mapping, wizard link) need the real Salesforce values. */
async function fillMissingSalesforceRecords(ctx: SyncContext, state: ObjectRunState, items: WorkItem[]): Promise<void> {
  const missing = items.filter(
    (item): item is Extract<WorkItem, { kind: 'merge' }> =>
      item.kind === 'merge' && item.sfRecord === null && (item.link.needs_retry || state.plan.fields.some((f) => !(f.key in item.link.snapshot))),
  );
  if (missing.length === 0) return;
  const records = await ctx.crm.byIds(state.plan.sfObject, missing.map((i) => i.link.sf_id as string), salesforceFieldsFor(ctx, state));
  const byId = new Map<string, CrmRecord>(records.map((r) => [r.id, r]));
  for (const item of missing) {
    const record = byId.get(item.link.sf_id as string);
    if (record) {
      item.sfRecord = record;
      continue;
    }
    // Gone from Salesforce (purged from the recycle bin): the link cannot be merged any more.
    items[items.indexOf(item)] = { kind: 'disconnect', link: item.link, sfRecord: null, reason: 'no longer exists' };
  }
}

function recordPreview(ctx: SyncContext, state: ObjectRunState, planned: readonly PlannedWrite[]): void {
  for (const write of planned) {
    if (!write.sf && !write.prm && write.item.kind === 'merge') continue;
    const action = write.item.kind === 'merge' ? 'update' : write.item.kind === 'create_in_salesforce' ? 'create_in_salesforce' : write.item.kind === 'create_in_prm' ? 'create_in_prm' : write.item.kind;
    ctx.planned.push({
      object: state.plan.object,
      action,
      prmId: write.link.prm_id,
      sfId: write.link.sf_id,
      toSalesforce: write.sf?.values ?? {},
      toPrm: { ...(write.prm?.columns ?? {}), ...(write.prm && Object.keys(write.prm.custom).length ? { custom: write.prm.custom } : {}) },
    });
  }
}

/**
 * Write-ahead: what each Salesforce write carries goes onto its link before the call, in one transaction
 * (a creation or a first link gets a row holding just that). The commit clears it; a crash in between
 * leaves it for the next merge, which then tells its own unconfirmed write from a Salesforce edit.
 */
async function recordPendingWrites(ctx: SyncContext, planned: readonly PlannedWrite[]): Promise<void> {
  const ahead = planned.filter((p) => p.sf && p.pending && (p.item.kind === 'merge' || p.item.kind === 'create_in_salesforce'));
  if (ahead.length === 0) return;
  // By link id, or for records planned without a link by PRM id: the last write wins, as in order.
  const updates = new Map<number, NonNullable<PlannedWrite['pending']>>();
  const fresh = new Map<string, Parameters<typeof linksRepository.insertPendingMany>[1][number]>();
  for (const write of ahead) {
    if (write.item.kind === 'merge' && write.item.link.id !== 0) {
      updates.set(write.item.link.id, write.pending!);
      continue;
    }
    const creating = write.item.kind === 'create_in_salesforce';
    // A creation not confirmed yet is retried whatever the cursors say (needs_retry), like a failed one.
    const prmId = write.link.prm_id as string;
    fresh.set(prmId, { object: write.link.object, prm_id: prmId, sf_id: creating ? null : write.link.sf_id, needs_retry: creating, pending: write.pending! });
  }
  await ctx.db.transaction(async (trx) => {
    await linksRepository.setPendingMany(trx, [...updates].map(([id, pending]) => ({ id, pending })));
    await linksRepository.insertPendingMany(trx, [...fresh.values()]);
  });
}

async function writeSalesforce(ctx: SyncContext, state: ObjectRunState, planned: readonly PlannedWrite[]): Promise<Map<PlannedWrite, UpsertResult>> {
  const results = new Map<PlannedWrite, UpsertResult>();
  const upserts = planned.filter((p) => p.sf?.mode === 'upsert');
  const updates = planned.filter((p) => p.sf?.mode === 'update' && p.sf.sfId);
  if (upserts.length > 0) {
    const rows = upserts.map((p) => ({ externalId: p.sf!.externalId, values: withoutExternalId(ctx, p.sf!.values) }));
    const outcome = await ctx.crm.upsertByExternalId(state.plan.sfObject, ctx.plan.externalIdField, rows);
    outcome.forEach((result, index) => results.set(upserts[index] as PlannedWrite, result));
  }
  if (updates.length > 0) {
    const outcome = await ctx.crm.updateByIds(state.plan.sfObject, updates.map((p) => ({ id: p.sf!.sfId as string, values: p.sf!.values })));
    outcome.forEach((result, index) => results.set(updates[index] as PlannedWrite, result));
  }
  ctx.onProgress?.(`${state.plan.object}: wrote Salesforce`, results.size);
  return results;
}

function withoutExternalId(ctx: SyncContext, values: Record<string, unknown>): Record<string, unknown> {
  const { [ctx.plan.externalIdField]: _ignored, ...rest } = values;
  return rest;
}
