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
import type { ResultSink } from '../salesforce/live-results.ts';
import type { RowSource, UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext } from './context.ts';
import type { Link } from './links.ts';
import { createSettler } from './settle.ts';
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
    const rows = asSource(upserts, (row) => ({ externalId: row.key, values: row.values }));
    await sendAndSettle(ctx, state, upserts, (onSucceeded) => ctx.crm.upsertByExternalId(state.plan.sfObject, ctx.plan.externalIdField, rows, onSucceeded));
  }
  if (updates.count > 0) {
    const rows = asSource(updates, (row) => ({ id: row.key, values: row.values }));
    await sendAndSettle(ctx, state, updates, (onSucceeded) => ctx.crm.updateByIds(state.plan.sfObject, rows, onSucceeded));
  }
  ctx.onProgress?.(`${state.plan.object}: wrote Salesforce`, ctx.counts.createdInSalesforce + ctx.counts.toSalesforce);
}

/** A spool as the writer's streamed input, each row in the shape of the call. */
function asSource<R>(spool: WriteSpool, toRow: (row: SpooledWrite) => R): RowSource<R> {
  return {
    count: spool.count,
    valueColumns: () => spool.valueColumns(),
    rows: async function* () {
      for await (const row of spool.rows()) yield toRow(row);
    },
  };
}

/**
 * Sends one spool and confirms its records: those the writer hands over early (a Bulk job's successes,
 * while its results download) at once, the rest from its full results. The spool is empty afterwards.
 */
async function sendAndSettle(ctx: SyncContext, state: ObjectRunState, spool: WriteSpool, send: (onSucceeded: ResultSink) => Promise<UpsertResult[]>): Promise<void> {
  const settler = createSettler(ctx, state, spool);
  let results: UpsertResult[];
  try {
    results = await send((batch) => settler.take(batch));
  } catch (error) {
    // What was handed over is confirmed; the rest keeps its retry mark, as when the call fails outright.
    await settler.finish().catch(() => undefined);
    throw error;
  }
  await settler.take(results.slice(settler.taken()));
  await settler.finish();
  spool.clear();
}
