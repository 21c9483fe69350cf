// Link history: for every link the wizard applied, the field-level before/after on both sides, so the
// link can be undone (undo.ts) and the record page can show what the wizard changed; and, while a link is
// being applied, what both records held before (linkBefore), so an interrupted Apply keeps the real "before".
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SyncObject } from '../sync/plan.ts';

export type HistoryAction = 'link' | 'create_in_salesforce' | 'create_in_prm' | 'exclude';

export interface FieldChange {
  before: unknown;
  after: unknown;
}

export type FieldChanges = Record<string, FieldChange>;

export interface LinkHistoryEntry {
  id: number;
  linkId: number | null;
  object: SyncObject;
  prmId: string | null;
  sfId: string | null;
  action: HistoryAction;
  prmChanges: FieldChanges;
  sfChanges: FieldChanges;
  runId: string | null;
  appliedBy: string | null;
  appliedAt: Date;
  undoneAt: Date | null;
  undoneBy: string | null;
}

/** PRM columns the sync's bookkeeping changes on every write: not field values anyone edits. */
const PRM_BOOKKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'change_seq', 'deleted_at']);
/** Salesforce system fields (and parent paths such as Account.PRM_Sync__c). */
const SF_SYSTEM = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'LastModifiedDate', 'CreatedDate', 'attributes']);

/** One comparable form for values read through different drivers (Date vs ISO text, numeric strings). */
export function comparable(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function plain(value: unknown): unknown {
  if (value === undefined || value === '') return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** PRM row columns (and `custom.<key>` entries) that differ between before and after. */
export function prmRowChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const column of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (PRM_BOOKKEEPING.has(column)) continue;
    if (column === 'custom') {
      const a = (typeof before.custom === 'string' ? JSON.parse(before.custom) : (before.custom ?? {})) as Record<string, unknown>;
      const b = (typeof after.custom === 'string' ? JSON.parse(after.custom) : (after.custom ?? {})) as Record<string, unknown>;
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (comparable(a[key]) !== comparable(b[key])) changes[`custom.${key}`] = { before: plain(a[key]), after: plain(b[key]) };
      }
      continue;
    }
    if (comparable(before[column]) !== comparable(after[column])) changes[column] = { before: plain(before[column]), after: plain(after[column]) };
  }
  return changes;
}

/** Salesforce fields that differ between two reads of one record (system fields and parent paths left out). */
export function salesforceChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (SF_SYSTEM.has(field) || field.includes('.')) continue;
    if (comparable(before[field]) !== comparable(after[field])) changes[field] = { before: plain(before[field]), after: plain(after[field]) };
  }
  return changes;
}

function parseJson(value: unknown): FieldChanges {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === 'object' ? (parsed as FieldChanges) : {};
}

function toEntry(row: Record<string, unknown>): LinkHistoryEntry {
  return {
    id: Number(row.id),
    linkId: row.link_id === null || row.link_id === undefined ? null : Number(row.link_id),
    object: row.object as SyncObject,
    prmId: (row.prm_id as string | null) ?? null,
    sfId: (row.sf_id as string | null) ?? null,
    action: row.action as HistoryAction,
    prmChanges: parseJson(row.prm_changes),
    sfChanges: parseJson(row.sf_changes),
    runId: (row.run_id as string | null) ?? null,
    appliedBy: (row.applied_by as string | null) ?? null,
    appliedAt: new Date(row.applied_at as string),
    undoneAt: row.undone_at ? new Date(row.undone_at as string) : null,
    undoneBy: (row.undone_by as string | null) ?? null,
  };
}

export interface NewHistoryEntry {
  linkId: number | null;
  object: SyncObject;
  prmId: string | null;
  sfId: string | null;
  action: HistoryAction;
  prmChanges?: FieldChanges;
  sfChanges?: FieldChanges;
  runId: string | null;
  appliedBy: string;
}

export const linkHistory = {
  async insert(db: Db | Knex.Transaction, entries: readonly NewHistoryEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += 500) {
      await db('wizard_link_history').insert(
        entries.slice(start, start + 500).map((entry) => ({
          link_id: entry.linkId,
          object: entry.object,
          prm_id: entry.prmId,
          sf_id: entry.sfId,
          action: entry.action,
          prm_changes: JSON.stringify(entry.prmChanges ?? {}),
          sf_changes: JSON.stringify(entry.sfChanges ?? {}),
          run_id: entry.runId,
          applied_by: entry.appliedBy,
        })),
      );
    }
  },

  /** The wizard's history of one PRM record, newest first (for its record page). */
  async forRecord(db: Db, object: SyncObject, prmId: string): Promise<LinkHistoryEntry[]> {
    const rows = (await db('wizard_link_history').where({ object, prm_id: prmId }).orderBy('id', 'desc')) as Array<Record<string, unknown>>;
    return rows.map(toEntry);
  },

  /** The entry that made a link (the newest not undone), or undefined. */
  async forLink(db: Db | Knex.Transaction, linkId: number): Promise<LinkHistoryEntry | undefined> {
    const row = (await db('wizard_link_history').where({ link_id: linkId }).whereNull('undone_at').orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
    return row ? toEntry(row) : undefined;
  },

  async markUndone(db: Db | Knex.Transaction, id: number, actor: string): Promise<void> {
    await db('wizard_link_history').where({ id }).update({ undone_at: db.fn.now(), undone_by: actor });
  },

  /** Which of these links have an entry not undone (an Apply that died after it is finished with them). */
  async linksWithEntry(db: Db, linkIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let start = 0; start < linkIds.length; start += 1000) {
      const rows = (await db('wizard_link_history').whereIn('link_id', linkIds.slice(start, start + 1000)).whereNull('undone_at').select('link_id')) as Array<{ link_id: number | string }>;
      for (const row of rows) out.add(Number(row.link_id));
    }
    return out;
  },
};

export interface BeforeImage {
  sfId: string;
  prm: Record<string, unknown>;
  sf: Record<string, unknown>;
}

/**
 * Write-ahead for links about to be made: what both records held before Apply's first write to them,
 * stored ahead of it. If Apply dies after a write, the Apply that resumes takes its history's "before"
 * from here rather than from records that already hold the merged values. Removed with the history entry.
 */
export const linkBefore = {
  async store(db: Db, object: SyncObject, images: ReadonlyMap<string, BeforeImage>): Promise<void> {
    const rows = [...images].map(([prmId, image]) => ({ object, prm_id: prmId, sf_id: image.sfId, prm_values: JSON.stringify(image.prm), sf_values: JSON.stringify(image.sf), stored_at: new Date() }));
    for (let start = 0; start < rows.length; start += 500) {
      await db('wizard_link_before').insert(rows.slice(start, start + 500)).onConflict(['object', 'prm_id']).merge(['sf_id', 'prm_values', 'sf_values', 'stored_at']);
    }
  },

  async load(db: Db, object: SyncObject, prmIds: readonly string[]): Promise<Map<string, BeforeImage>> {
    const out = new Map<string, BeforeImage>();
    for (let start = 0; start < prmIds.length; start += 1000) {
      const rows = (await db('wizard_link_before').where({ object }).whereIn('prm_id', prmIds.slice(start, start + 1000))) as Array<Record<string, unknown>>;
      for (const row of rows) out.set(String(row.prm_id), { sfId: String(row.sf_id), prm: parseObject(row.prm_values), sf: parseObject(row.sf_values) });
    }
    return out;
  },

  async remove(db: Db | Knex.Transaction, object: SyncObject, prmIds: readonly string[]): Promise<void> {
    for (let start = 0; start < prmIds.length; start += 1000) await db('wizard_link_before').where({ object }).whereIn('prm_id', prmIds.slice(start, start + 1000)).delete();
  },
};

function parseObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}
