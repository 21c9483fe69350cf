// Link rows tie one PRM record to one Salesforce record and keep the snapshot both sides agreed on.
import type { Db } from '../db/knex.ts';
import type { MergeValue } from './merge.ts';
import type { SyncObject } from './plan.ts';

export type LinkState = 'linked' | 'excluded' | 'disconnected' | 'deleted';

export interface Link {
  id: number;
  object: SyncObject;
  prm_id: string | null;
  sf_id: string | null;
  state: LinkState;
  snapshot: Record<string, MergeValue>;
  sf_modstamp: Date | null;
  prm_change_seq: number | null;
  last_synced_at: Date | null;
  needs_retry: boolean;
  last_error: string | null;
  /**
   * Values (by field key) a run sent to Salesforce without committing them yet: written ahead of the call,
   * cleared by the commit. Left behind by a crash, they let the next merge recognise its own write.
   */
  pending?: Record<string, MergeValue> | null;
}

type Queryable = Db;

function parse(row: Record<string, unknown>): Link {
  const snapshot = typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot;
  const pending = typeof row.pending === 'string' ? JSON.parse(row.pending) : row.pending;
  return {
    ...(row as unknown as Link),
    id: Number(row.id),
    snapshot: (snapshot ?? {}) as Record<string, MergeValue>,
    pending: (pending ?? null) as Record<string, MergeValue> | null,
    prm_change_seq: row.prm_change_seq === null || row.prm_change_seq === undefined ? null : Number(row.prm_change_seq),
  };
}

const CHUNK = 1000;

/** The JSON form of a link row for jsonb_to_recordset (ids and dates as text). */
function rowOf(link: Omit<Link, 'id'>): Record<string, unknown> {
  return {
    object: link.object,
    prm_id: link.prm_id,
    sf_id: link.sf_id,
    state: link.state,
    snapshot: link.snapshot,
    sf_modstamp: link.sf_modstamp,
    prm_change_seq: link.prm_change_seq,
    last_synced_at: link.last_synced_at,
    needs_retry: link.needs_retry,
    last_error: link.last_error,
  };
}

async function byColumn(db: Queryable, object: SyncObject, column: 'sf_id' | 'prm_id', ids: readonly string[]): Promise<Link[]> {
  const unique = [...new Set(ids)];
  const out: Link[] = [];
  for (let start = 0; start < unique.length; start += CHUNK) {
    const rows = await db('sync_links').where({ object }).whereIn(column, unique.slice(start, start + CHUNK));
    out.push(...rows.map(parse));
  }
  return out;
}

export const linksRepository = {
  bySfIds: (db: Queryable, object: SyncObject, ids: readonly string[]) => byColumn(db, object, 'sf_id', ids),
  byPrmIds: (db: Queryable, object: SyncObject, ids: readonly string[]) => byColumn(db, object, 'prm_id', ids),

  async get(db: Queryable, object: SyncObject, by: { prmId?: string; sfId?: string; id?: number }): Promise<Link | undefined> {
    const query = db('sync_links').where({ object });
    if (by.id !== undefined) query.andWhere({ id: by.id });
    if (by.prmId !== undefined) query.andWhere({ prm_id: by.prmId });
    if (by.sfId !== undefined) query.andWhere({ sf_id: by.sfId });
    const row = await query.first();
    return row ? parse(row) : undefined;
  },

  async needingRetry(db: Queryable, object: SyncObject, afterId: number, limit: number): Promise<Link[]> {
    const rows = await db('sync_links').where({ object, needs_retry: true }).andWhere('id', '>', afterId).orderBy('id').limit(limit);
    return rows.map(parse);
  },

  async linkedAfter(db: Queryable, object: SyncObject, afterId: number, limit: number): Promise<Link[]> {
    const rows = await db('sync_links').where({ object, state: 'linked' }).andWhere('id', '>', afterId).orderBy('id').limit(limit);
    return rows.map(parse);
  },

  async insert(db: Queryable, link: Omit<Link, 'id' | 'sf_modstamp' | 'prm_change_seq' | 'last_synced_at' | 'last_error'> & Partial<Link>): Promise<Link> {
    const [row] = await db('sync_links')
      .insert({ ...link, snapshot: JSON.stringify(link.snapshot), pending: link.pending ? JSON.stringify(link.pending) : null })
      .returning('*');
    return parse(row);
  },

  async update(db: Queryable, id: number, patch: Partial<Omit<Link, 'id'>>): Promise<void> {
    const values: Record<string, unknown> = { ...patch, updated_at: db.fn.now() };
    if (patch.snapshot) values.snapshot = JSON.stringify(patch.snapshot);
    if (patch.pending !== undefined) values.pending = patch.pending === null ? null : JSON.stringify(patch.pending);
    await db('sync_links').where({ id }).update(values);
  },

  /**
   * Inserts many links at once; every field of each row is written (pending only where given). One JSON
   * parameter per chunk rather than eleven bound parameters a link (see updateMany).
   */
  async insertMany(db: Queryable, links: ReadonlyArray<Omit<Link, 'id'>>): Promise<void> {
    for (let start = 0; start < links.length; start += CHUNK) {
      const rows = links.slice(start, start + CHUNK).map((link) => ({ ...rowOf(link), pending: link.pending ?? null }));
      await db.raw(
        `INSERT INTO sync_links (object, prm_id, sf_id, state, snapshot, sf_modstamp, prm_change_seq, last_synced_at, needs_retry, last_error, pending)
         SELECT v.object, v.prm_id, v.sf_id, v.state, v.snapshot, v.sf_modstamp, v.prm_change_seq, v.last_synced_at, v.needs_retry, v.last_error, v.pending
         FROM jsonb_to_recordset(?::jsonb) AS v(object text, prm_id uuid, sf_id text, state text, snapshot jsonb, sf_modstamp timestamptz,
           prm_change_seq bigint, last_synced_at timestamptz, needs_retry boolean, last_error text, pending jsonb)`,
        [JSON.stringify(rows)],
      );
    }
  },

  /**
   * Rewrites many links by id in one statement per chunk, each with all its fields, as `update` does
   * field by field. `pending` is only touched where the link carries the key (undefined: left alone).
   */
  async updateMany(db: Queryable, links: readonly Link[]): Promise<void> {
    for (let start = 0; start < links.length; start += CHUNK) {
      const rows = links.slice(start, start + CHUNK).map((link) => ({ id: link.id, ...rowOf(link), set_pending: link.pending !== undefined, pending: link.pending ?? null }));
      await db.raw(
        `UPDATE sync_links AS l SET
           prm_id = v.prm_id, sf_id = v.sf_id, state = v.state, snapshot = v.snapshot, sf_modstamp = v.sf_modstamp,
           prm_change_seq = v.prm_change_seq, last_synced_at = v.last_synced_at, needs_retry = v.needs_retry,
           last_error = v.last_error, pending = CASE WHEN v.set_pending THEN v.pending ELSE l.pending END,
           updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v(id bigint, prm_id uuid, sf_id text, state text, snapshot jsonb,
           sf_modstamp timestamptz, prm_change_seq bigint, last_synced_at timestamptz, needs_retry boolean,
           last_error text, set_pending boolean, pending jsonb)
         WHERE l.id = v.id`,
        [JSON.stringify(rows)],
      );
    }
  },

  /**
   * Write-ahead rows for records that had no link when their work was planned: inserted, or — a link an
   * interrupted attempt left, or one another run stored meanwhile — given the pending values and otherwise
   * left as it is. One statement per chunk, instead of a lookup by PRM id and then an insert.
   */
  async insertPendingMany(
    db: Queryable,
    rows: ReadonlyArray<{ object: SyncObject; prm_id: string; sf_id: string | null; needs_retry: boolean; pending: Record<string, MergeValue> }>,
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db.raw(
        `INSERT INTO sync_links (object, prm_id, sf_id, state, snapshot, needs_retry, pending)
         SELECT v.object, v.prm_id, v.sf_id, 'linked', '{}'::jsonb, v.needs_retry, v.pending
         FROM jsonb_to_recordset(?::jsonb) AS v(object text, prm_id uuid, sf_id text, needs_retry boolean, pending jsonb)
         ON CONFLICT (object, prm_id) WHERE prm_id IS NOT NULL DO UPDATE SET pending = EXCLUDED.pending, updated_at = now()`,
        [JSON.stringify(rows.slice(start, start + CHUNK))],
      );
    }
  },

  /** Sets the write-ahead values of many links by id (see Link.pending). */
  async setPendingMany(db: Queryable, rows: ReadonlyArray<{ id: number; pending: Record<string, MergeValue> }>): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db.raw(
        `UPDATE sync_links AS l SET pending = v.pending, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v(id bigint, pending jsonb) WHERE l.id = v.id`,
        [JSON.stringify(rows.slice(start, start + CHUNK))],
      );
    }
  },

  /**
   * Confirms deferred writes (see sync/spool.ts) by PRM id: the values written ahead become part of the
   * snapshot, and a creation gets its Salesforce id and the change_seq it was planned from.
   */
  async confirmWritten(db: Queryable, object: SyncObject, rows: ReadonlyArray<{ prm_id: string; sf_id: string | null; prm_change_seq: number | null }>): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db.raw(
        `UPDATE sync_links AS l SET
           sf_id = COALESCE(v.sf_id, l.sf_id), prm_change_seq = COALESCE(v.prm_change_seq, l.prm_change_seq),
           snapshot = l.snapshot || COALESCE(l.pending, '{}'::jsonb), pending = NULL, needs_retry = false,
           last_error = NULL, last_synced_at = now(), updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v(prm_id uuid, sf_id text, prm_change_seq bigint)
         WHERE l.object = ? AND l.prm_id = v.prm_id`,
        [JSON.stringify(rows.slice(start, start + CHUNK)), object],
      );
    }
  },

  /** Deferred writes Salesforce refused: nothing was written, so the link keeps no pending values and waits for a retry. */
  async markWriteFailed(db: Queryable, object: SyncObject, rows: ReadonlyArray<{ prm_id: string; error: string }>): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db.raw(
        `UPDATE sync_links AS l SET pending = NULL, needs_retry = true, last_error = v.error, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v(prm_id uuid, error text)
         WHERE l.object = ? AND l.prm_id = v.prm_id`,
        [JSON.stringify(rows.slice(start, start + CHUNK)), object],
      );
    }
  },

  async remove(db: Queryable, id: number): Promise<void> {
    await db('sync_links').where({ id }).delete();
  },

  /** Marks the linked contacts of these PRM organizations disconnected (their accounts left the sync). */
  async disconnectContactsOf(db: Queryable, organizationIds: string | readonly string[]): Promise<void> {
    const ids = typeof organizationIds === 'string' ? [organizationIds] : [...new Set(organizationIds)];
    for (let start = 0; start < ids.length; start += CHUNK) {
      const contactsOf = db('contacts').select('id').whereIn('organization_id', ids.slice(start, start + CHUNK));
      // A contact whose creation never got a Salesforce id (failed, waiting for its retry) has nothing to
      // disconnect from: its link goes, so it counts as never synced and goes again when its organization
      // relinks (cursors.ts rewindToUnlinkedContactsOf). An upsert that did land is found by PRM id then.
      await db('sync_links').where({ object: 'contact', state: 'linked' }).whereNull('sf_id').whereIn('prm_id', contactsOf.clone()).delete();
      await db('sync_links')
        .where({ object: 'contact', state: 'linked' })
        .whereIn('prm_id', contactsOf)
        .update({ state: 'disconnected', needs_retry: false, updated_at: db.fn.now() });
    }
  },

  /** Organization link ids → Salesforce account ids, for contacts' AccountId. */
  async accountIdsForOrganizations(db: Queryable, organizationIds: readonly string[]): Promise<Map<string, string>> {
    const links = await byColumn(db, 'organization', 'prm_id', organizationIds);
    return new Map(links.filter((l) => l.state === 'linked' && l.sf_id).map((l) => [l.prm_id as string, l.sf_id as string]));
  },

  async organizationIdsForAccounts(db: Queryable, accountIds: readonly string[]): Promise<Map<string, string>> {
    const links = await byColumn(db, 'organization', 'sf_id', accountIds);
    return new Map(links.filter((l) => l.state === 'linked' && l.prm_id).map((l) => [l.sf_id as string, l.prm_id as string]));
  },
};
