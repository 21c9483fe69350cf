// The deal import's change cursor: the SystemModstamp of the last opportunity handled, one row with
// object 'deal' in sync_cursors (beside the sync's organization and contact rows). Re-read with an
// overlap, because modstamps of concurrent Salesforce transactions can commit out of order. Like the sync's
// cursors (middleware/sync/cursors.ts), a run that read every page also keeps the org's clock at its query
// less the overlap (`sf_seen_until`), so quiet runs stop re-reading the last burst of changes.
import type { Knex } from 'knex';

type Queryable = Knex | Knex.Transaction;

export const DEAL_CURSOR_OBJECT = 'deal';

type TimeColumn = 'sf_modstamp' | 'sf_seen_until';

async function readTime(db: Queryable, column: TimeColumn): Promise<Date | null> {
  const row = (await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).first()) as Record<TimeColumn, Date | string | null> | undefined;
  return row?.[column] ? new Date(row[column]) : null;
}

/** Sets one time of the deal's row, forward only: a run that saw older records never moves it back. */
async function advanceTime(db: Queryable, column: TimeColumn, value: Date): Promise<void> {
  const current = await readTime(db, column);
  if (current && current.getTime() >= value.getTime()) return;
  await db('sync_cursors')
    .insert({ object: DEAL_CURSOR_OBJECT, [column]: value, updated_at: db.fn.now() })
    .onConflict('object')
    .merge([column, 'updated_at']);
}

export const readDealCursor = (db: Queryable): Promise<Date | null> => readTime(db, 'sf_modstamp');
export const readDealSeenUntil = (db: Queryable): Promise<Date | null> => readTime(db, 'sf_seen_until');

/** Moves the cursor forward only (a full run or an overlap re-reads older records). */
export const advanceDealCursor = (db: Queryable, modstamp: Date): Promise<void> => advanceTime(db, 'sf_modstamp', modstamp);

/** After a run that read every page of a query the org answered at `queriedAt`; forward only. */
export function advanceDealSeenUntil(db: Queryable, queriedAt: Date, overlapMs: number): Promise<void> {
  // The Date header is stamped a moment after the query ran, in whole seconds: a second back.
  return advanceTime(db, 'sf_seen_until', new Date(queriedAt.getTime() - 1000 - overlapMs));
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
