// The sync's reads and writes of PRM organizations and contacts. Every write stamps a new change_seq and
// version, exactly like the REST API's repositories, so API clients see sync edits as ordinary changes.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SyncObject } from './plan.ts';

export type PrmRow = Record<string, unknown> & { id: string; change_seq: number | string; updated_at: Date; deleted_at: Date | null };

export const PRM_TABLE: Record<SyncObject, 'organizations' | 'contacts'> = { organization: 'organizations', contact: 'contacts' };

/** A changed row as the PRM cursor sees it, and whether its link alone says there is nothing to do. */
export interface ChangeMark {
  id: string;
  change_seq: number | string;
  updated_at: Date;
  settled: boolean;
}

/**
 * A row whose link settles it needs no work from the PRM step, whatever its values: the link is not
 * linked (excluded, disconnected, deleted), its creation is still unconfirmed (retried elsewhere), or the
 * row's change is the sync's own write. The same rules as classifyPrmPage's, in SQL, so that a pull's
 * 300,000 new PRM rows are not read back one by one only to be skipped. A scalar subquery, not EXISTS:
 * PostgreSQL never turns it into a join, so it stays one index lookup a row even when the planner's
 * statistics still count the links a run is writing as a handful (an anti join planned on such stale
 * figures compared every row with every link).
 */
function settledByLink(table: string, object: SyncObject): { sql: string; bindings: string[] } {
  return {
    sql: `coalesce((select l.state <> 'linked' or l.sf_id is null or (l.prm_change_seq = ??.change_seq and not l.needs_retry) from sync_links l where l.object = ? and l.prm_id = ??.id), false)`,
    bindings: [table, object, table],
  };
}

/** Rows per insert statement. */
const INSERT_CHUNK = 1000;
const SAFE_COLUMN = /^[a-z_][a-z0-9_]*$/;

/** The columns every row of the chunk sets (custom always), or null when the rows differ. */
function sharedColumns(rows: ReadonlyArray<Record<string, unknown>>): string[] | null {
  const first = rows[0];
  if (!first) return null;
  const columns = [...new Set([...Object.keys(first), 'custom'])];
  if (!columns.every((column) => SAFE_COLUMN.test(column) && column !== 'change_seq')) return null;
  const expected = Object.keys(first).length;
  for (const row of rows) {
    if (Object.keys(row).length !== expected) return null;
    for (const column of columns) if (column !== 'custom' && !(column in row)) return null;
  }
  return columns;
}

export const prmAccess = {
  /** The PRM cursor's page: rows changed after `afterSeq` (soft-deleted included), oldest change first, without their values. */
  async changeMarks(db: Db, object: SyncObject, afterSeq: number, limit: number): Promise<ChangeMark[]> {
    const table = PRM_TABLE[object];
    const settled = settledByLink(table, object);
    return db(table)
      .select(`${table}.id`, `${table}.change_seq`, `${table}.updated_at`, db.raw(`${settled.sql} as settled`, settled.bindings))
      .where('change_seq', '>', afterSeq)
      .orderBy('change_seq')
      .limit(limit);
  },

  /** The full rows of a page of changes (change_seq in (afterSeq, upToSeq]) that their links do not settle. */
  async unsettledChanges(db: Db, object: SyncObject, afterSeq: number, upToSeq: number): Promise<PrmRow[]> {
    const settled = settledByLink(PRM_TABLE[object], object);
    return db(PRM_TABLE[object]).where('change_seq', '>', afterSeq).andWhere('change_seq', '<=', upToSeq).whereRaw(`not ${settled.sql}`, settled.bindings).orderBy('change_seq');
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

  /**
   * Inserts many rows (each with its own change_seq); returns each new row's change_seq by id. Rows that
   * set the same columns (a sync page's do) go in as one JSON parameter per chunk, typed by the table
   * itself: a third less time than thousands of bound parameters. Others go as a multi-row VALUES.
   */
  async insertMany(trx: Knex.Transaction, object: SyncObject, rows: ReadonlyArray<Record<string, unknown> & { id: string }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const table = PRM_TABLE[object];
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const columns = sharedColumns(chunk);
      const inserted: Array<{ id: string; change_seq: string | number }> = columns
        ? (
            await trx.raw(
              `insert into ?? (${columns.map(() => '??').join(', ')}, change_seq)
               select ${columns.map(() => '??').join(', ')}, nextval('prm_change_seq') from jsonb_populate_recordset(null::??, ?::jsonb) as r
               returning id, change_seq`,
              [table, ...columns, ...columns.map((column) => `r.${column}`), table, JSON.stringify(chunk.map((row) => ({ ...row, custom: row.custom ?? {} })))],
            )
          ).rows
        : await trx(table)
            .insert(chunk.map((row) => ({ ...row, custom: JSON.stringify(row.custom ?? {}), change_seq: trx.raw("nextval('prm_change_seq')") })))
            .returning(['id', 'change_seq']);
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
