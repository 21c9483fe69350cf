// Salesforce writes an object pass collects and sends at the end of a step (sync/spool.ts), for the two
// kinds whose unconfirmed state is already on disk before the call:
// - creations in Salesforce (upsert by PRM id): the write-ahead link (needs_retry, pending values) exists
//   before anything is sent, so a crash leaves a creation the next run simply sends again;
// - write-backs of records created in the PRM from Salesforce (PRM id, entity type, link): the PRM record
//   and its link are committed with the page, marked for retry with the values still to send, exactly as
//   when a write-back fails; the flush then confirms them.
// Confirming is set-based: the values written ahead become the snapshot (links.confirmWritten).
import type { Knex } from 'knex';
import { logRow } from '../log/catalogue.ts';
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext } from './context.ts';
import { cursorsRepository } from './cursors.ts';
import { linksRepository, type Link } from './links.ts';
import { WriteSpool, type SpooledWrite } from './spool.ts';
import { displayName, type PlannedWrite } from './write-plan.ts';

export interface DeferredWrites {
  creates: WriteSpool;
  writeBacks: WriteSpool;
}

export function newDeferredWrites(): DeferredWrites {
  return { creates: new WriteSpool(), writeBacks: new WriteSpool() };
}

export function disposeDeferredWrites(deferred: DeferredWrites): void {
  deferred.creates.clear();
  deferred.writeBacks.clear();
}

export function isDeferrable(write: PlannedWrite): boolean {
  if (write.item.kind === 'create_in_salesforce') return write.sf?.mode === 'upsert';
  if (write.item.kind === 'create_in_prm') return write.sf?.mode === 'update' && write.linkIfWriteBackFails !== undefined;
  return false;
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
  if (write.item.kind === 'create_in_salesforce') {
    const { [ctx.plan.externalIdField]: _key, ...values } = sf.values;
    deferred.creates.append({ key: sf.externalId, prmId, prmChangeSeq: write.link.prm_change_seq, name: displayName(write.item.prmRow), values });
  } else if (write.item.kind === 'create_in_prm') {
    deferred.writeBacks.append({ key: sf.sfId as string, prmId, prmChangeSeq: null, name: displayName(write.item.sfRecord.fields), values: sf.values });
  }
}

/** Sends what the spools hold and confirms or fails each record; the spools are empty afterwards. */
export async function flushDeferredWrites(ctx: SyncContext, state: ObjectRunState, deferred: DeferredWrites): Promise<void> {
  const { creates, writeBacks } = deferred;
  if (creates.count > 0) {
    const results = await ctx.crm.upsertByExternalId(state.plan.sfObject, ctx.plan.externalIdField, {
      count: creates.count,
      valueColumns: () => creates.valueColumns(),
      rows: async function* () {
        for await (const row of creates.rows()) yield { externalId: row.key, values: row.values };
      },
    });
    await settle(ctx, state, creates, results, true);
    creates.clear();
  }
  if (writeBacks.count > 0) {
    const results = await ctx.crm.updateByIds(state.plan.sfObject, {
      count: writeBacks.count,
      valueColumns: () => writeBacks.valueColumns(),
      rows: async function* () {
        for await (const row of writeBacks.rows()) yield { id: row.key, values: row.values };
      },
    });
    await settle(ctx, state, writeBacks, results, false);
    writeBacks.clear();
  }
  ctx.onProgress?.(`${state.plan.object}: wrote Salesforce`, ctx.counts.createdInSalesforce + ctx.counts.toSalesforce);
}

const SETTLE_CHUNK = 1000;

async function settle(ctx: SyncContext, state: ObjectRunState, spool: WriteSpool, results: readonly UpsertResult[], creations: boolean): Promise<void> {
  let index = 0;
  let chunk: Array<{ write: SpooledWrite; result: UpsertResult | undefined }> = [];
  for await (const write of spool.rows()) {
    chunk.push({ write, result: results[index++] });
    if (chunk.length >= SETTLE_CHUNK) {
      await settleChunk(ctx, state, chunk, creations);
      chunk = [];
    }
  }
  if (chunk.length > 0) await settleChunk(ctx, state, chunk, creations);
}

async function settleChunk(ctx: SyncContext, state: ObjectRunState, chunk: ReadonlyArray<{ write: SpooledWrite; result: UpsertResult | undefined }>, creations: boolean): Promise<void> {
  const object = state.plan.object;
  const confirmed: Array<{ prm_id: string; sf_id: string | null; prm_change_seq: number | null }> = [];
  const failed: Array<{ prm_id: string; error: string }> = [];
  for (const { write, result } of chunk) {
    if (result?.success) {
      const sfId = creations ? result.id : null;
      confirmed.push({ prm_id: write.prmId, sf_id: sfId, prm_change_seq: write.prmChangeSeq });
      if (sfId) state.seenSfIds.add(sfId);
      continue;
    }
    const error = result?.errors[0] ?? { statusCode: 'UNKNOWN_ERROR', message: 'no result for this record', fields: [] };
    ctx.counts.errors += 1;
    ctx.log.push(
      logRow('SF_WRITE_FAILED', { object: state.plan.sfObject, name: write.name, statusCode: error.statusCode, detail: error.message }, {
        runId: ctx.runId,
        object,
        prmId: write.prmId,
        sfId: creations ? null : write.key,
        details: { fields: error.fields, values: write.values },
      }),
    );
    failed.push({ prm_id: write.prmId, error: `${error.statusCode}: ${error.message}` });
  }
  const confirm = async (trx: Knex.Transaction) => {
    await linksRepository.confirmWritten(trx, object, confirmed);
    await linksRepository.markWriteFailed(trx, object, failed);
    // An organization that gets its account now: contacts skipped while it had none go again (see commit.ts).
    if (creations && object === 'organization') await cursorsRepository.rewindToUnlinkedContactsOf(trx, confirmed.map((c) => c.prm_id));
  };
  try {
    await ctx.db.transaction(confirm);
  } catch (error) {
    // The links stay marked for retry, so the next run sends these again and confirms them then.
    ctx.counts.errors += confirmed.length;
    ctx.log.push(logRow('PRM_WRITE_FAILED', { object, name: `${confirmed.length} records`, detail: (error as Error).message }, { runId: ctx.runId, object }));
    return;
  }
  // Write-backs were counted with their records, as created in the PRM.
  if (creations) ctx.counts.createdInSalesforce += confirmed.length;
}
