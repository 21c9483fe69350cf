// Per-object change cursors: Salesforce SystemModstamp (re-read with an overlap, because modstamps of
// concurrent transactions can commit out of order) and the PRM change_seq.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SyncObject } from './plan.ts';

export interface Cursor {
  object: SyncObject;
  sfModstamp: Date | null;
  overlapMs: number;
  prmChangeSeq: number;
}

export const cursorsRepository = {
  async get(db: Db, object: SyncObject, defaultOverlapMs: number): Promise<Cursor> {
    const row = await db('sync_cursors').where({ object }).first();
    if (!row) return { object, sfModstamp: null, overlapMs: defaultOverlapMs, prmChangeSeq: 0 };
    return { object, sfModstamp: row.sf_modstamp ? new Date(row.sf_modstamp) : null, overlapMs: Number(row.overlap_ms), prmChangeSeq: Number(row.prm_change_seq) };
  },

  async save(db: Db, cursor: Cursor): Promise<void> {
    await db('sync_cursors')
      .insert({ object: cursor.object, sf_modstamp: cursor.sfModstamp, overlap_ms: cursor.overlapMs, prm_change_seq: cursor.prmChangeSeq, updated_at: db.fn.now() })
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

/** Where the next pull starts: the cursor minus the overlap window (null: from the beginning). */
export function pullStart(cursor: Cursor): Date | null {
  return cursor.sfModstamp ? new Date(cursor.sfModstamp.getTime() - cursor.overlapMs) : null;
}
