// Link rows for imported deals (sync_links, object 'deal': prm_id = deal, sf_id = opportunity), kept
// like the sync's own: a refused write-back sets needs_retry, and the next run sends it again whatever the
// cursor says — the write-back's values come from the deal alone, so no opportunity needs to be re-read.
import type { Knex } from 'knex';
import type { DealWriteResult } from './store.ts';

type Queryable = Knex | Knex.Transaction;

export const DEAL_LINK_OBJECT = 'deal';

export interface PendingWriteBack {
  dealId: string;
  opportunityId: string;
}

/**
 * Adds the missing links for a page of saved deals and marks those about to be written back as pending,
 * inside the page's transaction: if the process dies before Salesforce confirms, the next run sends them.
 */
export async function ensureDealLinks(trx: Queryable, saved: readonly DealWriteResult[], pendingDealIds: ReadonlySet<string> = new Set()): Promise<void> {
  if (saved.length === 0) return;
  const existing = new Set<string>();
  for (let start = 0; start < saved.length; start += 1000) {
    const rows = (await trx('sync_links')
      .where({ object: DEAL_LINK_OBJECT })
      .whereIn('prm_id', saved.slice(start, start + 1000).map((s) => s.dealId))
      .select('prm_id')) as Array<{ prm_id: string }>;
    for (const row of rows) existing.add(row.prm_id);
  }
  const missing = saved
    .filter((s) => !existing.has(s.dealId))
    .map((s) => ({ object: DEAL_LINK_OBJECT, prm_id: s.dealId, sf_id: s.opportunityId, state: 'linked', snapshot: '{}', needs_retry: pendingDealIds.has(s.dealId) }));
  for (let start = 0; start < missing.length; start += 500) await trx('sync_links').insert(missing.slice(start, start + 500));
  const pendingExisting = [...pendingDealIds].filter((id) => existing.has(id));
  for (let start = 0; start < pendingExisting.length; start += 1000) {
    await trx('sync_links')
      .where({ object: DEAL_LINK_OBJECT })
      .whereIn('prm_id', pendingExisting.slice(start, start + 1000))
      .update({ needs_retry: true, state: 'linked', updated_at: trx.fn.now() });
  }
}

/** Records how the write-backs went: done, or to be retried with the reason. */
export async function recordWriteBacks(db: Queryable, outcomes: ReadonlyArray<{ dealId: string; error: string | null }>, now: Date): Promise<void> {
  const done = outcomes.filter((o) => o.error === null).map((o) => o.dealId);
  for (let start = 0; start < done.length; start += 1000) {
    await db('sync_links')
      .where({ object: DEAL_LINK_OBJECT })
      .whereIn('prm_id', done.slice(start, start + 1000))
      .update({ needs_retry: false, last_error: null, last_synced_at: now, updated_at: db.fn.now() });
  }
  for (const failed of outcomes.filter((o) => o.error !== null)) {
    await db('sync_links').where({ object: DEAL_LINK_OBJECT, prm_id: failed.dealId }).update({ needs_retry: true, last_error: failed.error, updated_at: db.fn.now() });
  }
}

/** Links whose write-back failed before, oldest first. */
export async function pendingWriteBacks(db: Queryable, limit: number): Promise<PendingWriteBack[]> {
  const rows = (await db('sync_links')
    .where({ object: DEAL_LINK_OBJECT, needs_retry: true, state: 'linked' })
    .orderBy('id')
    .limit(limit)
    .select('prm_id', 'sf_id')) as Array<{ prm_id: string; sf_id: string }>;
  return rows.map((row) => ({ dealId: row.prm_id, opportunityId: row.sf_id }));
}

/** The opportunity is gone from Salesforce: stop retrying, keep the deal (spec: PRM records are kept). */
export async function disconnectDealLink(db: Queryable, dealId: string, reason: string): Promise<void> {
  await db('sync_links').where({ object: DEAL_LINK_OBJECT, prm_id: dealId }).update({ state: 'disconnected', needs_retry: false, last_error: reason, updated_at: db.fn.now() });
}
