// Per-object change cursors: Salesforce SystemModstamp (re-read with an overlap, because modstamps of
// concurrent transactions can commit out of order) and the PRM change_seq.
//
// The overlap alone would re-read the last burst of changes forever: the newest modstamp does not move
// while nothing changes. So a pull that went through also records the org's clock when its query ran,
// less the overlap (`sfSeenUntil`): every change stamped before that was committed, and read, by then.
// The next pull starts at the later of the two bounds, and a quiet org costs one query page per object.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SyncObject } from './plan.ts';

export interface Cursor {
  object: SyncObject;
  sfModstamp: Date | null;
  /** The org's clock when the last complete pull ran, less the overlap (null until one did). */
  sfSeenUntil: Date | null;
  overlapMs: number;
  prmChangeSeq: number;
}

export const cursorsRepository = {
  async get(db: Db, object: SyncObject, defaultOverlapMs: number): Promise<Cursor> {
    const row = await db('sync_cursors').where({ object }).first();
    if (!row) return { object, sfModstamp: null, sfSeenUntil: null, overlapMs: defaultOverlapMs, prmChangeSeq: 0 };
    return {
      object,
      sfModstamp: row.sf_modstamp ? new Date(row.sf_modstamp) : null,
      sfSeenUntil: row.sf_seen_until ? new Date(row.sf_seen_until) : null,
      overlapMs: Number(row.overlap_ms),
      prmChangeSeq: Number(row.prm_change_seq),
    };
  },

  async save(db: Db, cursor: Cursor): Promise<void> {
    await db('sync_cursors')
      .insert({ object: cursor.object, sf_modstamp: cursor.sfModstamp, sf_seen_until: cursor.sfSeenUntil, overlap_ms: cursor.overlapMs, prm_change_seq: cursor.prmChangeSeq, updated_at: db.fn.now() })
      .onConflict('object')
      .merge();
  },

  /** Moves the contact PRM cursor back to before the oldest live, never-linked contact of these organizations. */
  async rewindToUnlinkedContactsOf(db: Db | Knex.Transaction, organizationIds: string | readonly string[]): Promise<void> {
    const ids = typeof organizationIds === 'string' ? [organizationIds] : [...new Set(organizationIds)];
    if (ids.length === 0) return;
    const row = await db('contacts as c')
      .whereIn('c.organization_id', ids)
      .whereNull('c.deleted_at')
      .whereNotExists(db('sync_links as l').select(db.raw('1')).where('l.object', 'contact').whereRaw('l.prm_id = c.id'))
      .min({ seq: 'c.change_seq' })
      .first();
    if (row?.seq === null || row?.seq === undefined) return;
    const before = Number(row.seq) - 1;
    await db('sync_cursors').where({ object: 'contact' }).andWhere('prm_change_seq', '>', before).update({ prm_change_seq: before, updated_at: db.fn.now() });
  },

  async reset(db: Db): Promise<void> {
    await db('sync_cursors').delete();
  },
};

/**
 * Where an incremental read starts (null: from the beginning): the newest modstamp read less the overlap,
 * or the time up to which the last complete read saw everything, whichever is later. Both bounds are safe
 * alone. Shared with the deal import's cursor.
 */
export function readLowerBound(modstamp: Date | null, overlapMs: number, seenUntil: Date | null): Date | null {
  if (!modstamp) return null;
  const fromModstamp = modstamp.getTime() - overlapMs;
  return new Date(Math.max(fromModstamp, seenUntil?.getTime() ?? fromModstamp));
}

/** What a complete read whose query the org answered at `queriedAt` has seen everything up to. */
export function seenUntilOf(queriedAt: Date, overlapMs: number): Date {
  // The Date header is stamped as the answer leaves, a moment after the query ran, in whole seconds: a
  // second back keeps the bound before the query's own time even without an overlap.
  return new Date(queriedAt.getTime() - 1000 - overlapMs);
}

export function pullStart(cursor: Cursor): Date | null {
  return readLowerBound(cursor.sfModstamp, cursor.overlapMs, cursor.sfSeenUntil);
}

/** After a complete pull whose query the org answered at `queriedAt`: moves `sfSeenUntil` on; true if it moved. */
export function advanceSeenUntil(cursor: Cursor, queriedAt: Date): boolean {
  const seenUntil = seenUntilOf(queriedAt, cursor.overlapMs);
  if (cursor.sfSeenUntil && cursor.sfSeenUntil >= seenUntil) return false;
  cursor.sfSeenUntil = seenUntil;
  return true;
}
