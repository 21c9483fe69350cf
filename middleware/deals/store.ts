// The PRM write side of the deal import: one page of eligible opportunities becomes deal registrations in
// one transaction — a lookup of the deals imported before, one multi-row insert for the new ones and an
// update for each one whose values changed. A deal whose values did not change is not touched (no new
// version, no change_seq), which keeps repeated runs silent. Idempotent by sf_opportunity_id.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CustomFields } from '../db/tables.ts';
import { changedColumns, jsonb, mergeCustom, nextChangeSeq } from '../prm/repositories/shared.ts';
import type { DealValues } from './eligibility.ts';

type Queryable = Knex | Knex.Transaction;

export interface ImportedDeal {
  id: string;
  sf_opportunity_id: string;
  organization_id: string;
  owner_contact_id: string;
  distributor_organization_id: string | null;
  distributor_contact_id: string | null;
  name: string;
  stage: string;
  amount: string | null;
  close_date: string | null;
  custom: CustomFields;
  deleted_at: Date | null;
}

export type DealOutcome = 'created' | 'updated' | 'unchanged';

export interface DealWrite {
  opportunityId: string;
  values: DealValues;
}

export interface DealWriteResult {
  opportunityId: string;
  dealId: string;
  outcome: DealOutcome;
}

/** Deals imported before, by opportunity id (soft-deleted ones too: the import revives them). */
export async function dealsByOpportunityIds(db: Queryable, opportunityIds: readonly string[], options: { lock?: boolean } = {}): Promise<Map<string, ImportedDeal>> {
  const out = new Map<string, ImportedDeal>();
  for (let start = 0; start < opportunityIds.length; start += 1000) {
    const query = db('deal_registrations')
      .select(
        'id',
        'sf_opportunity_id',
        'organization_id',
        'owner_contact_id',
        'distributor_organization_id',
        'distributor_contact_id',
        'name',
        'stage',
        'amount',
        'custom',
        'deleted_at',
        // As text: pg would build a local-midnight Date, PGlite a UTC one.
        db.raw("to_char(close_date, 'YYYY-MM-DD') AS close_date"),
      )
      .whereIn('sf_opportunity_id', opportunityIds.slice(start, start + 1000));
    if (options.lock) query.forUpdate();
    for (const row of (await query) as ImportedDeal[]) {
      out.set(row.sf_opportunity_id, { ...row, custom: typeof row.custom === 'string' ? JSON.parse(row.custom) : row.custom });
    }
  }
  return out;
}

type DealColumns = Omit<ImportedDeal, 'id' | 'sf_opportunity_id' | 'deleted_at'>;

/** The column changes importing `values` makes to an existing deal; empty when nothing would change. Pure. */
export function dealChanges(existing: ImportedDeal, values: DealValues): Partial<DealColumns> & { revive?: true } {
  const target: Partial<DealColumns> = {
    organization_id: values.organization_id,
    owner_contact_id: values.owner_contact_id,
    distributor_organization_id: values.distributor_organization_id,
    distributor_contact_id: values.distributor_contact_id,
    name: values.name,
    stage: values.stage,
    custom: mergeCustom(existing.custom, values.custom),
  };
  if (values.amount !== undefined) target.amount = values.amount;
  if (values.close_date !== undefined) target.close_date = values.close_date;
  const current = { ...existing, amount: existing.amount === null ? null : Number(existing.amount).toFixed(2) };
  const changes: Partial<DealColumns> & { revive?: true } = changedColumns(current, target);
  if (existing.deleted_at !== null) changes.revive = true;
  return changes;
}

/** What saving would do, without writing (dry runs). */
export async function previewDeals(db: Queryable, writes: readonly DealWrite[]): Promise<DealWriteResult[]> {
  const existing = await dealsByOpportunityIds(db, writes.map((w) => w.opportunityId));
  return writes.map((write) => {
    const deal = existing.get(write.opportunityId);
    if (!deal) return { opportunityId: write.opportunityId, dealId: '(new)', outcome: 'created' };
    return { opportunityId: write.opportunityId, dealId: deal.id, outcome: Object.keys(dealChanges(deal, write.values)).length > 0 ? 'updated' : 'unchanged' };
  });
}

/** Creates or updates the deals of one page; call inside a transaction so the page commits as a whole. */
export async function saveDeals(trx: Knex.Transaction, writes: readonly DealWrite[]): Promise<DealWriteResult[]> {
  const existing = await dealsByOpportunityIds(trx, writes.map((w) => w.opportunityId), { lock: true });
  const results: DealWriteResult[] = [];
  const inserts: Array<Record<string, unknown>> = [];
  for (const write of writes) {
    const deal = existing.get(write.opportunityId);
    if (!deal) {
      const id = randomUUID();
      const { custom, ...columns } = write.values;
      inserts.push({
        amount: null,
        close_date: null,
        ...columns,
        custom: jsonb(trx, withoutNulls(custom)),
        id,
        sf_opportunity_id: write.opportunityId,
        change_seq: nextChangeSeq(trx),
      });
      results.push({ opportunityId: write.opportunityId, dealId: id, outcome: 'created' });
      continue;
    }
    const { revive, ...changes } = dealChanges(deal, write.values);
    if (!revive && Object.keys(changes).length === 0) {
      results.push({ opportunityId: write.opportunityId, dealId: deal.id, outcome: 'unchanged' });
      continue;
    }
    const update: Record<string, unknown> = { ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now(), change_seq: nextChangeSeq(trx) };
    if (changes.custom) update.custom = jsonb(trx, changes.custom);
    if (revive) update.deleted_at = null;
    await trx('deal_registrations').where({ id: deal.id }).update(update);
    results.push({ opportunityId: write.opportunityId, dealId: deal.id, outcome: 'updated' });
  }
  for (let start = 0; start < inserts.length; start += 500) await trx('deal_registrations').insert(inserts.slice(start, start + 500));
  return results;
}

function withoutNulls(custom: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(custom).filter(([, value]) => value !== null));
}
