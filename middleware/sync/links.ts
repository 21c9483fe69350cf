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

  async remove(db: Queryable, id: number): Promise<void> {
    await db('sync_links').where({ id }).delete();
  },

  /** Marks the linked contacts of one PRM organization disconnected (their account left the sync). */
  async disconnectContactsOf(db: Queryable, organizationId: string): Promise<void> {
    await db('sync_links')
      .where({ object: 'contact', state: 'linked' })
      .whereIn('prm_id', db('contacts').select('id').where({ organization_id: organizationId }))
      .update({ state: 'disconnected', needs_retry: false, updated_at: db.fn.now() });
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
