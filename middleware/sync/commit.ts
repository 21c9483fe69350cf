// The PRM half of a batch, after Salesforce answered: PRM writes, link rows (snapshots, retry marks) and
// their follow-ups, in one transaction. Set-based — a few statements per batch instead of several round
// trips per record, which is what bounds an initial sync of 100k records — with the record-by-record path
// kept for what a set cannot express (one record twice in a batch) and as the fallback when the batch
// fails: then each record commits in its own savepoint, so one bad record never sinks the others.
import type { Knex } from 'knex';
import { logRow } from '../log/catalogue.ts';
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext } from './context.ts';
import { contactLookupsRepository } from './contact-lookups.ts';
import { cursorsRepository } from './cursors.ts';
import { linksRepository, type Link } from './links.ts';
import type { SyncObject } from './plan.ts';
import { prmAccess } from './prm-access.ts';
import { displayName, type PlannedWrite } from './write-plan.ts';

interface FailedWrite {
  write: PlannedWrite;
  error: string;
}

/** Commits the batch; returns the PRM ids whose PRM write failed (logged, and retried where it can be). */
export async function commitPrm(ctx: SyncContext, state: ObjectRunState, planned: readonly PlannedWrite[], sfResults: Map<PlannedWrite, UpsertResult>): Promise<Set<string>> {
  const succeeded: PlannedWrite[] = [];
  const failed: FailedWrite[] = [];
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
    failed.push({ write, error: `${error.statusCode}: ${error.message}` });
  }
  let notCommitted = new Set<string>();
  try {
    await ctx.db.transaction(async (trx) => {
      if (hasRepeatedRecords([...succeeded.map((w) => w.link), ...failed.flatMap((f) => retryLink(f.write, f.error) ?? [])])) {
        for (const write of succeeded) await commitOne(ctx, trx, write);
        for (const { write, error } of failed) await markForRetry(trx, write, error);
      } else {
        await commitTogether(ctx, trx, state.plan.object, succeeded, failed);
      }
    });
  } catch {
    notCommitted = await commitRecordByRecord(ctx, state, succeeded, failed);
  }
  for (const write of succeeded) if (!notCommitted.has(write.link.prm_id as string)) countSuccess(ctx, write);
  return notCommitted;
}

/** Two writes for one PRM or Salesforce record in a batch must apply in order, one after the other. */
function hasRepeatedRecords(links: readonly Link[]): boolean {
  const prmIds = new Set<string>();
  const sfIds = new Set<string>();
  for (const { prm_id: prmId, sf_id: sfId } of links) {
    if (prmId !== null) {
      if (prmIds.has(prmId)) return true;
      prmIds.add(prmId);
    }
    if (sfId !== null) {
      if (sfIds.has(sfId)) return true;
      sfIds.add(sfId);
    }
  }
  return false;
}

async function commitTogether(ctx: SyncContext, trx: Knex.Transaction, object: SyncObject, succeeded: readonly PlannedWrite[], failed: readonly FailedWrite[]): Promise<void> {
  const now = ctx.now();
  const inserts = succeeded.filter((w) => w.prm?.mode === 'insert');
  const insertedSeqs = await prmAccess.insertMany(
    trx,
    object,
    inserts.map((w) => ({ id: w.prm!.id, ...w.prm!.columns, custom: w.prm!.custom })),
  );
  const links: Link[] = [];
  for (const write of succeeded) {
    const link: Link = { ...write.link, last_synced_at: now };
    if (write.prm?.mode === 'insert') link.prm_change_seq = insertedSeqs.get(write.prm.id) ?? null;
    else if (write.prm?.mode === 'update') link.prm_change_seq = await prmAccess.update(trx, object, write.prm.id, write.prm.columns, write.prm.custom);
    else if ('prmRow' in write.item) link.prm_change_seq = Number(write.item.prmRow.change_seq);
    links.push(link);
  }
  for (const { write, error } of failed) {
    const link = retryLink(write, error);
    if (link) links.push(link);
  }
  // A record created in the PRM here has a PRM id no stored link can carry (classify looked it up).
  const newPrmIds = new Set(succeeded.flatMap((w) => (w.item.kind === 'create_in_prm' && w.link.prm_id ? [w.link.prm_id] : [])));
  await saveLinks(trx, object, links, newPrmIds);
  if (object !== 'organization') return;
  const disconnected = succeeded.filter((w) => w.item.kind === 'disconnect' && w.link.prm_id).map((w) => w.link.prm_id as string);
  if (disconnected.length > 0) await linksRepository.disconnectContactsOf(trx, disconnected);
  const linkedNow = succeeded.filter((w) => linksAccountNow(w) && w.link.prm_id && w.link.state === 'linked').map((w) => w.link.prm_id as string);
  if (linkedNow.length > 0) await cursorsRepository.rewindToUnlinkedContactsOf(trx, linkedNow);
  const lookups = succeeded.flatMap((w) => (bringsSalesforceContacts(w) ? [w.link.sf_id as string] : []));
  if (lookups.length > 0) await contactLookupsRepository.add(trx, lookups);
}

/** Links without a row id may still have one from an earlier, interrupted attempt: updated in place. */
async function saveLinks(trx: Knex.Transaction, object: SyncObject, links: readonly Link[], newPrmIds: ReadonlySet<string>): Promise<void> {
  const fresh = links.filter((l) => l.id === 0 && !(l.prm_id !== null && newPrmIds.has(l.prm_id)));
  const existing = new Map((await linksRepository.byPrmIds(trx, object, fresh.flatMap((l) => (l.prm_id ? [l.prm_id] : [])))).map((l) => [l.prm_id, l.id]));
  const updates: Link[] = [];
  const inserts: Link[] = [];
  for (const link of links) {
    const id = link.id !== 0 ? link.id : link.prm_id ? existing.get(link.prm_id) : undefined;
    if (id) updates.push({ ...link, id });
    else inserts.push(link);
  }
  if (updates.length > 0) await linksRepository.updateMany(trx, updates);
  if (inserts.length > 0) await linksRepository.insertMany(trx, inserts);
}

async function commitRecordByRecord(ctx: SyncContext, state: ObjectRunState, succeeded: readonly PlannedWrite[], failed: readonly FailedWrite[]): Promise<Set<string>> {
  const notCommitted = new Set<string>();
  await ctx.db.transaction(async (trx) => {
    for (const write of succeeded) {
      try {
        await trx.transaction((savepoint) => commitOne(ctx, savepoint, write));
      } catch (error) {
        ctx.counts.errors += 1;
        ctx.log.push(
          logRow('PRM_WRITE_FAILED', { object: state.plan.object, name: displayName(recordFields(write)), detail: (error as Error).message }, { runId: ctx.runId, object: state.plan.object, prmId: write.link.prm_id, sfId: write.link.sf_id }),
        );
        if (write.link.prm_id) notCommitted.add(write.link.prm_id);
        if (write.item.kind !== 'create_in_prm') await markForRetry(trx, write, (error as Error).message);
      }
    }
    for (const { write, error } of failed) await markForRetry(trx, write, error);
  });
  return notCommitted;
}

function recordFields(write: PlannedWrite): Record<string, unknown> {
  const item = write.item;
  if ('prmRow' in item) return item.prmRow;
  if (item.kind === 'create_in_prm') return item.sfRecord.fields;
  return item.sfRecord?.fields ?? {};
}

/**
 * An account linked by this write (new to the PRM, or relinked) whose existing Salesforce contacts no
 * incremental pull will bring: the contact pass looks them up, from a list stored with this commit.
 */
function bringsSalesforceContacts(write: PlannedWrite): boolean {
  const { link, item } = write;
  return link.object === 'organization' && link.sf_id !== null && link.state === 'linked' && (item.kind === 'create_in_prm' || (item.kind === 'merge' && item.relinked === true));
}

/** An organization that gets its account in this write (created, or relinked). */
function linksAccountNow(write: PlannedWrite): boolean {
  return write.link.object === 'organization' && (write.item.kind === 'create_in_salesforce' || (write.item.kind === 'merge' && write.item.relinked === true));
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
  if (linksAccountNow(write) && link.prm_id && link.state === 'linked') await cursorsRepository.rewindToUnlinkedContactsOf(trx, link.prm_id);
  if (bringsSalesforceContacts({ ...write, link })) await contactLookupsRepository.add(trx, [link.sf_id as string]);
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

/** The link a failed record keeps: its old snapshot, marked for a retry on the next run whatever the cursors say. */
function retryLink(write: PlannedWrite, error: string): Link | null {
  const item = write.item;
  if (item.kind === 'create_in_prm') return null; // the PRM insert itself failed: logged; it is tried again when the record comes back
  if (item.kind === 'create_in_salesforce') return { ...write.link, sf_id: null, snapshot: {}, needs_retry: true, last_error: error };
  const link = 'link' in item ? item.link : write.link;
  return { ...link, needs_retry: true, last_error: error };
}

async function markForRetry(trx: Knex.Transaction, write: PlannedWrite, error: string): Promise<void> {
  const link = retryLink(write, error);
  if (link) await saveLink(trx, link);
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
