// Executes a batch of planned writes in the crash-safe order: Salesforce first (idempotent upserts by
// external id, or updates by Id), then one PRM transaction with the PRM writes and the links. A crash in
// between leaves cursors and snapshots behind, so the next run redoes the work and finds it done.
import type { Knex } from 'knex';
import { logRow } from '../log/catalogue.ts';
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext, WorkItem } from './context.ts';
import type { CrmRecord } from './crm.ts';
import { cursorsRepository } from './cursors.ts';
import { linksRepository, type Link } from './links.ts';
import { prmAccess } from './prm-access.ts';
import { displayName, planWrite, type PlannedWrite } from './write-plan.ts';

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

export async function applyBatch(ctx: SyncContext, state: ObjectRunState, items: WorkItem[]): Promise<void> {
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
  const sfResults = await writeSalesforce(ctx, state, planned);
  await commitPrm(ctx, state, planned, sfResults);
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
  const fresh = ahead.filter((p) => p.item.kind !== 'merge' || p.item.link.id === 0);
  const object = ahead[0]?.link.object;
  const existing = object ? new Map((await linksRepository.byPrmIds(ctx.db, object, fresh.map((p) => p.link.prm_id as string))).map((l) => [l.prm_id, l.id])) : new Map<string | null, number>();
  await ctx.db.transaction(async (trx) => {
    const inserts: Array<Record<string, unknown>> = [];
    for (const write of ahead) {
      const known = write.item.kind === 'merge' && write.item.link.id !== 0 ? write.item.link.id : existing.get(write.link.prm_id);
      if (known) {
        await linksRepository.update(trx, known, { pending: write.pending });
        continue;
      }
      const creating = write.item.kind === 'create_in_salesforce';
      // A creation not confirmed yet is retried whatever the cursors say (needs_retry), like a failed one.
      inserts.push({ object: write.link.object, prm_id: write.link.prm_id, sf_id: creating ? null : write.link.sf_id, state: 'linked', snapshot: '{}', needs_retry: creating, pending: JSON.stringify(write.pending) });
    }
    for (let start = 0; start < inserts.length; start += 500) await trx('sync_links').insert(inserts.slice(start, start + 500));
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

async function commitPrm(ctx: SyncContext, state: ObjectRunState, planned: readonly PlannedWrite[], sfResults: Map<PlannedWrite, UpsertResult>): Promise<void> {
  const succeeded: PlannedWrite[] = [];
  const failedLinks: Array<{ write: PlannedWrite; error: string }> = [];
  for (const write of planned) {
    const result = sfResults.get(write);
    if (!write.sf || result?.success) {
      if (result?.id && !write.link.sf_id) write.link.sf_id = result.id;
      // Created in this run: a full reconcile's pull ran before it existed, but it is not "unseen".
      if (write.link.sf_id) state.seenSfIds.add(write.link.sf_id);
      succeeded.push(write);
      continue;
    }
    const error = result?.errors[0] ?? { statusCode: 'UNKNOWN_ERROR', message: 'no result for this record', fields: [] };
    ctx.counts.errors += 1;
    ctx.log.push(
      logRow('SF_WRITE_FAILED', { object: state.plan.sfObject, name: displayName(recordFields(write)), statusCode: error.statusCode, detail: error.message }, {
        runId: ctx.runId,
        object: state.plan.object,
        prmId: write.link.prm_id,
        sfId: write.link.sf_id,
        details: { fields: error.fields, values: write.sf.values },
      }),
    );
    if (write.linkIfWriteBackFails) {
      succeeded.push({ ...write, link: { ...write.linkIfWriteBackFails, last_error: `${error.statusCode}: ${error.message}` } });
      continue;
    }
    failedLinks.push({ write, error: `${error.statusCode}: ${error.message}` });
  }
  try {
    await ctx.db.transaction(async (trx) => {
      for (const write of succeeded) await commitOne(ctx, trx, write);
      for (const { write, error } of failedLinks) await markForRetry(trx, write, error);
    });
  } catch {
    // One bad record must not sink the batch: redo record by record, each in its own savepoint.
    await ctx.db.transaction(async (trx) => {
      for (const write of succeeded) {
        try {
          await trx.transaction((savepoint) => commitOne(ctx, savepoint, write));
        } catch (error) {
          ctx.counts.errors += 1;
          ctx.log.push(
            logRow('PRM_WRITE_FAILED', { object: state.plan.object, name: displayName(recordFields(write)), detail: (error as Error).message }, { runId: ctx.runId, object: state.plan.object, prmId: write.link.prm_id, sfId: write.link.sf_id }),
          );
          if (write.item.kind !== 'create_in_prm') await markForRetry(trx, write, (error as Error).message);
        }
      }
      for (const { write, error } of failedLinks) await markForRetry(trx, write, error);
    });
  }
  for (const write of succeeded) countSuccess(ctx, write);
}

function recordFields(write: PlannedWrite): Record<string, unknown> {
  const item = write.item;
  if ('prmRow' in item) return item.prmRow;
  if (item.kind === 'create_in_prm') return item.sfRecord.fields;
  return item.sfRecord?.fields ?? {};
}

async function commitOne(ctx: SyncContext, trx: Knex.Transaction, write: PlannedWrite): Promise<void> {
  const link: Link = { ...write.link, last_synced_at: ctx.now() };
  if (write.prm?.mode === 'insert') {
    link.prm_change_seq = await prmAccess.insert(trx, link.object, { id: write.prm.id, ...write.prm.columns, custom: write.prm.custom });
  } else if (write.prm?.mode === 'update') {
    link.prm_change_seq = await prmAccess.update(trx, link.object, write.prm.id, write.prm.columns, write.prm.custom);
  } else if ('prmRow' in write.item) {
    link.prm_change_seq = Number(write.item.prmRow.change_seq);
  }
  await saveLink(trx, link);
  // Contacts follow their account out of scope: without this their links stay "linked" (the contacts did
  // not change, so no pull sees them) and PRM edits keep flowing into an account that no longer syncs.
  if (write.item.kind === 'disconnect' && link.object === 'organization' && link.prm_id) await linksRepository.disconnectContactsOf(trx, link.prm_id);
  // An organization that gets its account now: PRM contacts skipped while it had none (its creation failed,
  // or it was disconnected) may lie behind the contact cursor. Rewind it to them, in this same transaction.
  const linkedNow = write.item.kind === 'create_in_salesforce' || (write.item.kind === 'merge' && write.item.relinked === true);
  if (linkedNow && link.object === 'organization' && link.prm_id && link.state === 'linked') await cursorsRepository.rewindToUnlinkedContactsOf(trx, link.prm_id);
}

async function saveLink(trx: Knex.Transaction, link: Link): Promise<void> {
  const { id, ...fields } = link;
  if (id === 0) {
    // A link for this PRM record may exist from an earlier, interrupted attempt: update it in place.
    const existing = link.prm_id ? await linksRepository.get(trx, link.object, { prmId: link.prm_id }) : undefined;
    if (existing) await linksRepository.update(trx, existing.id, fields);
    else await linksRepository.insert(trx, fields);
  } else {
    await linksRepository.update(trx, id, fields);
  }
}

/** A failed record keeps its old snapshot and is retried on the next run, whatever the cursors say. */
async function markForRetry(trx: Knex.Transaction, write: PlannedWrite, error: string): Promise<void> {
  const item = write.item;
  if (item.kind === 'create_in_prm') return; // the PRM insert itself failed: logged; it is tried again when the record comes back
  if (item.kind === 'create_in_salesforce') {
    await saveLink(trx, { ...write.link, sf_id: null, snapshot: {}, needs_retry: true, last_error: error });
    return;
  }
  const link = 'link' in item ? item.link : write.link;
  await saveLink(trx, { ...link, needs_retry: true, last_error: error });
}

function countSuccess(ctx: SyncContext, write: PlannedWrite): void {
  ctx.counts.conflicts += write.conflicts;
  switch (write.item.kind) {
    case 'create_in_salesforce':
      ctx.counts.createdInSalesforce += 1;
      break;
    case 'create_in_prm':
      ctx.counts.createdInPrm += 1;
      if (write.link.object === 'organization' && write.link.sf_id) ctx.newlyLinkedAccounts.add(write.link.sf_id);
      break;
    case 'disconnect':
      ctx.counts.disconnected += 1;
      break;
    default:
      if (write.sf) ctx.counts.toSalesforce += 1;
      if (write.prm) ctx.counts.toPrm += 1;
      if (write.item.kind === 'merge' && write.item.relinked && write.link.object === 'organization' && write.link.sf_id) ctx.newlyLinkedAccounts.add(write.link.sf_id);
  }
}
