// The sync's reads and writes of PRM organizations and contacts. Every write stamps a new change_seq and
// version, exactly like the REST API's repositories, so API clients see sync edits as ordinary changes.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SyncObject } from './plan.ts';

export type PrmRow = Record<string, unknown> & { id: string; change_seq: number | string; updated_at: Date; deleted_at: Date | null };

export const PRM_TABLE: Record<SyncObject, 'organizations' | 'contacts'> = { organization: 'organizations', contact: 'contacts' };

export const prmAccess = {
  /** Rows changed after `afterSeq` (soft-deleted included), oldest change first: the PRM cursor's page. */
  async changedSince(db: Db, object: SyncObject, afterSeq: number, limit: number): Promise<PrmRow[]> {
    return db(PRM_TABLE[object]).where('change_seq', '>', afterSeq).orderBy('change_seq').limit(limit);
  },

  async byIds(db: Db | Knex.Transaction, object: SyncObject, ids: readonly string[]): Promise<PrmRow[]> {
    const out: PrmRow[] = [];
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += 1000) {
      out.push(...(await db(PRM_TABLE[object]).whereIn('id', unique.slice(start, start + 1000))));
    }
    return out;
  },

  /** All live rows in id order (full reconcile), page by page. */
  async page(db: Db, object: SyncObject, afterId: string | null, limit: number): Promise<PrmRow[]> {
    const query = db(PRM_TABLE[object]).orderBy('id').limit(limit);
    if (afterId) query.where('id', '>', afterId);
    return query;
  },

  async update(trx: Knex.Transaction, object: SyncObject, id: string, columns: Record<string, unknown>, custom: Record<string, unknown>): Promise<number> {
    const values: Record<string, unknown> = {
      ...columns,
      version: trx.raw('version + 1'),
      updated_at: trx.fn.now(),
      change_seq: trx.raw("nextval('prm_change_seq')"),
    };
    if (Object.keys(custom).length > 0) values.custom = trx.raw('custom || ?::jsonb', [JSON.stringify(custom)]);
    const [row] = await trx(PRM_TABLE[object]).where({ id }).update(values).returning('change_seq');
    return Number(row?.change_seq ?? 0);
  },

  async insert(trx: Knex.Transaction, object: SyncObject, row: Record<string, unknown>): Promise<number> {
    const [inserted] = await trx(PRM_TABLE[object])
      .insert({ ...row, custom: JSON.stringify(row.custom ?? {}), change_seq: trx.raw("nextval('prm_change_seq')") })
      .returning('change_seq');
    return Number(inserted?.change_seq ?? 0);
  },

  /** Inserts many rows (each with its own change_seq); returns each new row's change_seq by id. */
  async insertMany(trx: Knex.Transaction, object: SyncObject, rows: ReadonlyArray<Record<string, unknown> & { id: string }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500).map((row) => ({ ...row, custom: JSON.stringify(row.custom ?? {}), change_seq: trx.raw("nextval('prm_change_seq')") }));
      const inserted = await trx(PRM_TABLE[object]).insert(chunk).returning(['id', 'change_seq']);
      for (const row of inserted) out.set(String(row.id), Number(row.change_seq));
    }
    return out;
  },

  /** Live contact ids by (organization, lower email), to link Salesforce contacts by email. */
  async contactsByEmail(db: Db, pairs: ReadonlyArray<{ organizationId: string; email: string }>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (pairs.length === 0) return out;
    const organizationIds = [...new Set(pairs.map((p) => p.organizationId))];
    const rows = await db('contacts').whereIn('organization_id', organizationIds).whereNull('deleted_at').whereNotNull('email').select('id', 'organization_id', 'email');
    for (const row of rows) out.set(`${row.organization_id}|${String(row.email).toLowerCase()}`, row.id);
    return out;
  },
};
