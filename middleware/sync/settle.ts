// Confirming what a deferred write sent (deferred.ts): each spooled record with its result, in spool
// order, as the results come — the values written ahead become the link's snapshot, a refusal is logged and
// left marked for retry. Set-based, in chunks of 1,000, two chunks in flight.
import type { Knex } from 'knex';
import { logRow } from '../log/catalogue.ts';
import type { UpsertResult } from '../salesforce/writer.ts';
import type { ObjectRunState, SyncContext } from './context.ts';
import { cursorsRepository } from './cursors.ts';
import { linksRepository } from './links.ts';
import type { SpooledWrite, WriteSpool } from './spool.ts';

const SETTLE_CHUNK = 1000;
/**
 * Chunks confirmed at once, each in its own transaction on its own connection. Confirming is database
 * work alone (the process waits), the chunks touch disjoint links, and the database has more than one
 * core: two in flight take about half the time of one after another. One connection (PGlite) just queues.
 */
const SETTLE_CONCURRENCY = 2;

type SettleChunk = Array<{ write: SpooledWrite; result: UpsertResult | undefined }>;

export interface Settler {
  /** Results for the next spooled records, in spool order. */
  take(results: readonly UpsertResult[]): Promise<void>;
  /** How many results were taken so far. */
  taken(): number;
  /** Confirms what is left and waits for every chunk; throws what went unexpectedly wrong. */
  finish(): Promise<void>;
}

export function createSettler(ctx: SyncContext, state: ObjectRunState, spool: WriteSpool): Settler {
  const writes = spool.rows()[Symbol.asyncIterator]();
  const inFlight = new Set<Promise<void>>();
  // settleChunk reports a failed confirmation itself (the links stay marked for retry); what lands here is
  // unexpected: no further chunk starts, and finish() throws it once the chunks in flight have ended.
  const failures: unknown[] = [];
  let chunk: SettleChunk = [];
  let taken = 0;
  const start = async (work: SettleChunk) => {
    if (failures.length > 0) return;
    const running: Promise<void> = settleChunk(ctx, state, work)
      .catch((error: unknown) => void failures.push(error))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    if (inFlight.size >= SETTLE_CONCURRENCY) await Promise.race(inFlight);
  };
  return {
    async take(results) {
      for (const result of results) {
        const next = await writes.next();
        if (next.done) throw new Error(`The write returned more results than the ${spool.count} records sent.`);
        chunk.push({ write: next.value, result });
        taken += 1;
        if (chunk.length >= SETTLE_CHUNK) {
          await start(chunk);
          chunk = [];
        }
      }
    },
    taken: () => taken,
    async finish() {
      if (chunk.length > 0) await start(chunk);
      chunk = [];
      await Promise.all(inFlight);
      await writes.return?.(undefined);
      if (failures.length > 0) throw failures[0];
    },
  };
}

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
