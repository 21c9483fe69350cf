// The deal import's change cursor: the SystemModstamp of the last opportunity handled, one row with
// object 'deal' in sync_cursors (beside the sync's organization and contact rows). Re-read with an
// overlap, because modstamps of concurrent Salesforce transactions can commit out of order. Like the sync's
// cursors (middleware/sync/cursors.ts), a run that read every page also keeps the org's clock at its query
// less the overlap (`sf_seen_until`), so quiet runs stop re-reading the last burst of changes.
import type { Knex } from 'knex';

type Queryable = Knex | Knex.Transaction;

export const DEAL_CURSOR_OBJECT = 'deal';

export async function readDealCursor(db: Queryable): Promise<Date | null> {
  const row = (await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).first()) as { sf_modstamp: Date | string | null } | undefined;
  return row?.sf_modstamp ? new Date(row.sf_modstamp) : null;
}

export async function readDealSeenUntil(db: Queryable): Promise<Date | null> {
  const row = (await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).first()) as { sf_seen_until: Date | string | null } | undefined;
  return row?.sf_seen_until ? new Date(row.sf_seen_until) : null;
}

/** After a run that read every page of a query the org answered at `queriedAt`; forward only. */
export async function advanceDealSeenUntil(db: Queryable, queriedAt: Date, overlapMs: number): Promise<void> {
  // The Date header is stamped a moment after the query ran, in whole seconds: a second back.
  const seenUntil = new Date(queriedAt.getTime() - 1000 - overlapMs);
  const current = await readDealSeenUntil(db);
  if (current && current.getTime() >= seenUntil.getTime()) return;
  await db('sync_cursors')
    .insert({ object: DEAL_CURSOR_OBJECT, sf_seen_until: seenUntil, updated_at: db.fn.now() })
    .onConflict('object')
    .merge(['sf_seen_until', 'updated_at']);
}

/** Moves the cursor forward only: a run that saw older records (a full run, an overlap) never moves it back. */
export async function advanceDealCursor(db: Queryable, modstamp: Date): Promise<void> {
  const current = await readDealCursor(db);
  if (current && current.getTime() >= modstamp.getTime()) return;
  await db('sync_cursors')
    .insert({ object: DEAL_CURSOR_OBJECT, sf_modstamp: modstamp, updated_at: db.fn.now() })
    .onConflict('object')
    .merge(['sf_modstamp', 'updated_at']);
}

export async function resetDealCursor(db: Queryable): Promise<void> {
  await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).delete();
}

/**
 * Where an incremental run starts reading (null: from the beginning): the cursor minus the overlap, or
 * where the last complete run saw everything, whichever is later.
 */
export function readStart(cursor: Date | null, overlapMs: number, seenUntil: Date | null = null): Date | null {
  if (!cursor) return null;
  return new Date(Math.max(cursor.getTime() - overlapMs, seenUntil?.getTime() ?? -Infinity));
}
