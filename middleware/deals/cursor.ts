// The deal import's change cursor: the SystemModstamp of the last opportunity handled, one row with
// object 'deal' in sync_cursors (beside the sync's organization and contact rows). Re-read with an
// overlap, because modstamps of concurrent Salesforce transactions can commit out of order.
import type { Knex } from 'knex';

type Queryable = Knex | Knex.Transaction;

export const DEAL_CURSOR_OBJECT = 'deal';

export async function readDealCursor(db: Queryable): Promise<Date | null> {
  const row = (await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).first()) as { sf_modstamp: Date | string | null } | undefined;
  return row?.sf_modstamp ? new Date(row.sf_modstamp) : null;
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

/** Where an incremental run starts reading: the cursor minus the overlap (null: from the beginning). */
export function readStart(cursor: Date | null, overlapMs: number): Date | null {
  return cursor ? new Date(cursor.getTime() - overlapMs) : null;
}
