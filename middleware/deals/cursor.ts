// The deal import's change cursor: the SystemModstamp of the last opportunity handled, one row with
// object 'deal' in sync_cursors (beside the sync's organization and contact rows). Re-read with an
// overlap, because modstamps of concurrent Salesforce transactions can commit out of order. Like the sync's
// cursors (middleware/sync/cursors.ts), a run that read every page also keeps the org's clock at its query
// less the overlap (`sf_seen_until`), so quiet runs stop re-reading the last burst of changes.
import type { Knex } from 'knex';
import { readLowerBound, seenUntilOf } from '../sync/cursors.ts';

type Queryable = Knex | Knex.Transaction;

export const DEAL_CURSOR_OBJECT = 'deal';

type TimeColumn = 'sf_modstamp' | 'sf_seen_until';

async function readTimes(db: Queryable): Promise<Record<TimeColumn, Date | null>> {
  const row = (await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).first()) as Record<TimeColumn, Date | string | null> | undefined;
  const asDate = (value: Date | string | null | undefined) => (value ? new Date(value) : null);
  return { sf_modstamp: asDate(row?.sf_modstamp), sf_seen_until: asDate(row?.sf_seen_until) };
}

/** Sets one time of the deal's row, forward only: a run that saw older records never moves it back. */
async function advanceTime(db: Queryable, column: TimeColumn, value: Date): Promise<void> {
  const current = (await readTimes(db))[column];
  if (current && current.getTime() >= value.getTime()) return;
  await db('sync_cursors')
    .insert({ object: DEAL_CURSOR_OBJECT, [column]: value, updated_at: db.fn.now() })
    .onConflict('object')
    .merge([column, 'updated_at']);
}

export const readDealCursor = async (db: Queryable): Promise<Date | null> => (await readTimes(db)).sf_modstamp;

/** Where an incremental run starts reading (null: from the beginning); see sync/cursors.ts readLowerBound. */
export async function readDealStart(db: Queryable, overlapMs: number): Promise<Date | null> {
  const times = await readTimes(db);
  return readLowerBound(times.sf_modstamp, overlapMs, times.sf_seen_until);
}

/** Moves the cursor forward only (a full run or an overlap re-reads older records). */
export const advanceDealCursor = (db: Queryable, modstamp: Date): Promise<void> => advanceTime(db, 'sf_modstamp', modstamp);

/** After a run that read every page of a query the org answered at `queriedAt`; forward only. */
export const advanceDealSeenUntil = (db: Queryable, queriedAt: Date, overlapMs: number): Promise<void> => advanceTime(db, 'sf_seen_until', seenUntilOf(queriedAt, overlapMs));

export async function resetDealCursor(db: Queryable): Promise<void> {
  await db('sync_cursors').where({ object: DEAL_CURSOR_OBJECT }).delete();
}
