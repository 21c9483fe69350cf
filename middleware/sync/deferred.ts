// Salesforce writes an object pass collects and sends together (sync/spool.ts), for the kinds whose
// unconfirmed state is already on disk before the call:
// - creations in Salesforce (upsert by PRM id): the write-ahead link (needs_retry, pending values) exists
//   before anything is sent, so a crash leaves a creation the next run simply sends again;
// - write-backs of records created in the PRM from Salesforce (PRM id, entity type, link): the PRM record
//   and its link are committed with the page, marked for retry with the values still to send, exactly as
//   when a write-back fails; the flush then confirms them;
// - merges' Salesforce updates: the PRM side commits with the page, its link marked for retry with the
//   sent fields at their old agreed values and the new ones pending (write-plan.ts linkWhileSalesforceWaits).
// Two spools, one per API call shape: upserts by external id, updates by Id. Confirming is set-based: the
// values written ahead become the snapshot (links.confirmWritten).
import type { Knex } from 'knex';
import { logRow } from '../log/catalogue.ts';
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext } from './context.ts';
import { cursorsRepository } from './cursors.ts';
import { linksRepository, type Link } from './links.ts';
import { WriteSpool, type SpooledWrite } from './spool.ts';
import { displayName, type PlannedWrite } from './write-plan.ts';

export interface DeferredWrites {
  /** Upserts by external id: creations in Salesforce, and merges of records that carry their PRM id. */
  upserts: WriteSpool;
  /** Updates by Id: write-backs of records created in the PRM, and the other merges. */
  updates: WriteSpool;
}

export function newDeferredWrites(): DeferredWrites {
  return { upserts: new WriteSpool(), updates: new WriteSpool() };
}

export function disposeDeferredWrites(deferred: DeferredWrites): void {
  deferred.upserts.clear();
  deferred.updates.clear();
}

export function deferredCount(deferred: DeferredWrites): number {
  return deferred.upserts.count + deferred.updates.count;
}

export function isDeferrable(write: PlannedWrite): boolean {
  if (write.item.kind === 'create_in_salesforce') return write.sf?.mode === 'upsert';
  if (write.item.kind === 'create_in_prm') return write.sf?.mode === 'update' && write.linkIfWriteBackFails !== undefined;
  // A relink sets the PRM id on its Salesforce record and brings its contacts: it goes at once.
  if (write.item.kind === 'merge') return write.linkWhileSalesforceWaits !== undefined && write.item.relinked !== true && (write.sf?.mode === 'upsert' || Boolean(write.sf?.sfId));
  return false;
}

/** The link a deferrable write commits with before its Salesforce write is sent (null: committed later). */
export function linkWhileDeferred(write: PlannedWrite): Link | null {
  if (write.item.kind === 'create_in_prm') return linkAwaitingWriteBack(write);
  if (write.item.kind === 'merge') return write.linkWhileSalesforceWaits as Link;
  return null;
}

/**
 * The link a record created in the PRM is committed with while its write-back waits: marked for retry,
 * with the values the write-back carries as pending (the snapshot they complete once confirmed).
 */
export function linkAwaitingWriteBack(write: PlannedWrite): Link {
  const waiting = write.linkIfWriteBackFails as Link;
  const sent = Object.fromEntries(Object.entries(write.link.snapshot).filter(([key]) => !(key in waiting.snapshot)));
  return { ...waiting, pending: sent };
}

export function spoolWrite(ctx: SyncContext, deferred: DeferredWrites, write: PlannedWrite): void {
  const sf = write.sf!;
  const prmId = write.link.prm_id as string;
  const item = write.item;
  if (item.kind === 'create_in_salesforce' || item.kind === 'merge') {
    const name = displayName(item.prmRow);
    if (sf.mode === 'upsert') {
      const { [ctx.plan.externalIdField]: _key, ...values } = sf.values;
      const creation = item.kind === 'create_in_salesforce';
      const sfId = creation ? {} : { sfId: write.link.sf_id };
      deferred.upserts.append({ kind: creation ? 'create' : 'merge', key: sf.externalId, prmId, ...sfId, prmChangeSeq: creation ? write.link.prm_change_seq : null, name, values });
    } else {
      deferred.updates.append({ kind: 'merge', key: sf.sfId as string, prmId, prmChangeSeq: null, name, values: sf.values });
    }
  } else if (item.kind === 'create_in_prm') {
    deferred.updates.append({ kind: 'write_back', key: sf.sfId as string, prmId, prmChangeSeq: null, name: displayName(item.sfRecord.fields), values: sf.values });
  }
}

/**
 * Sends what the spools hold and confirms or fails each record; the spools are empty afterwards.
 * `updatesOnly`: the upserts wait for a later flush (see object-pass.ts for when each goes).
 */
export async function flushDeferredWrites(ctx: SyncContext, state: ObjectRunState, deferred: DeferredWrites, updatesOnly = false): Promise<void> {
  const { upserts, updates } = deferred;
  if (upserts.count > 0 && !updatesOnly) {
    const results = await ctx.crm.upsertByExternalId(state.plan.sfObject, ctx.plan.externalIdField, {
      count: upserts.count,
      valueColumns: () => upserts.valueColumns(),
      rows: async function* () {
        for await (const row of upserts.rows()) yield { externalId: row.key, values: row.values };
      },
    });
    await settle(ctx, state, upserts, results);
    upserts.clear();
  }
  if (updates.count > 0) {
    const results = await ctx.crm.updateByIds(state.plan.sfObject, {
      count: updates.count,
      valueColumns: () => updates.valueColumns(),
      rows: async function* () {
        for await (const row of updates.rows()) yield { id: row.key, values: row.values };
      },
    });
    await settle(ctx, state, updates, results);
    updates.clear();
  }
  ctx.onProgress?.(`${state.plan.object}: wrote Salesforce`, ctx.counts.createdInSalesforce + ctx.counts.toSalesforce);
}

const SETTLE_CHUNK = 1000;
/**
 * Chunks confirmed at once, each in its own transaction on its own connection. Confirming is database
 * work alone (the process waits), the chunks touch disjoint links, and the database has more than one
 * core: two in flight take about half the time of one after another. One connection (PGlite) just queues.
 */
const SETTLE_CONCURRENCY = 2;

async function settle(ctx: SyncContext, state: ObjectRunState, spool: WriteSpool, results: readonly UpsertResult[]): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const start = async (chunk: SettleChunk) => {
    const running: Promise<void> = settleChunk(ctx, state, chunk)
      .catch((error: unknown) => void failures.push(error))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    if (inFlight.size >= SETTLE_CONCURRENCY) await Promise.race(inFlight);
  };
  let index = 0;
  let chunk: SettleChunk = [];
  for await (const write of spool.rows()) {
    chunk.push({ write, result: results[index++] });
    if (chunk.length >= SETTLE_CHUNK) {
      await start(chunk);
      chunk = [];
    }
    if (failures.length > 0) break;
  }
  if (chunk.length > 0 && failures.length === 0) await start(chunk);
  await Promise.all(inFlight);
  // settleChunk reports a failed confirmation itself (the links stay marked for retry); what reaches here
  // is unexpected, and ends the run once every chunk in flight has finished.
  if (failures.length > 0) throw failures[0];
}

type SettleChunk = Array<{ write: SpooledWrite; result: UpsertResult | undefined }>;

async function settleChunk(ctx: SyncContext, state: ObjectRunState, chunk: Readonly<SettleChunk>): Promise<void> {
  const object = state.plan.object;
  const confirmed: Array<{ prm_id: string; sf_id: string | null; prm_change_seq: number | null }> = [];
  const failed: Array<{ prm_id: string; error: string }> = [];
  const created: string[] = [];
  let merged = 0;
  for (const { write, result } of chunk) {
    const creation = write.kind === 'create';
    if (result?.success) {
      const sfId = creation ? result.id : null;
      confirmed.push({ prm_id: write.prmId, sf_id: sfId, prm_change_seq: write.prmChangeSeq });
      if (sfId) state.seenSfIds.add(sfId);
      if (creation) created.push(write.prmId);
      if (write.kind === 'merge') merged += 1;
      continue;
    }
    const error = result?.errors[0] ?? { statusCode: 'UNKNOWN_ERROR', message: 'no result for this record', fields: [] };
    ctx.counts.errors += 1;
    ctx.log.push(
      logRow('SF_WRITE_FAILED', { object: state.plan.sfObject, name: write.name, statusCode: error.statusCode, detail: error.message }, {
        runId: ctx.runId,
        object,
        prmId: write.prmId,
        sfId: write.sfId ?? (creation ? null : write.key),
        details: { fields: error.fields, values: write.values },
      }),
    );
    failed.push({ prm_id: write.prmId, error: `${error.statusCode}: ${error.message}` });
  }
  const confirm = async (trx: Knex.Transaction) => {
    await linksRepository.confirmWritten(trx, object, confirmed);
    await linksRepository.markWriteFailed(trx, object, failed);
    // An organization that gets its account now: contacts skipped while it had none go again (see commit.ts).
    if (created.length > 0 && object === 'organization') await cursorsRepository.rewindToUnlinkedContactsOf(trx, created);
  };
  try {
    await ctx.db.transaction(confirm);
  } catch (error) {
    // The links stay marked for retry, so the next run sends these again and confirms them then.
    ctx.counts.errors += confirmed.length;
    ctx.log.push(logRow('PRM_WRITE_FAILED', { object, name: `${confirmed.length} records`, detail: (error as Error).message }, { runId: ctx.runId, object }));
    return;
  }
  // Write-backs were counted with their records, as created in the PRM; a merge's PRM side with its page.
  ctx.counts.createdInSalesforce += created.length;
  ctx.counts.toSalesforce += merged;
}
