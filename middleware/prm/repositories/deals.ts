// Deal registrations: read through the API, written by the opportunity importer through this repository.
// `sf_opportunity_id` is unique, which makes the import idempotent (upsertByOpportunityId).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { conflict, notFound } from '../../errors.ts';
import type { CustomFields, DealRegistrationRow } from '../../db/tables.ts';
import { fetchPage, type Page, type PageRequest } from './pagination.ts';
import {
  changedColumns,
  checkVersion,
  inTransaction,
  invalidReference,
  isUniqueViolation,
  iterateBatches,
  jsonb,
  mergeCustom,
  nextChangeSeq,
  type Queryable,
  type WriteOptions,
} from './shared.ts';

export interface NewDeal {
  id?: string;
  organization_id: string;
  owner_contact_id: string;
  distributor_organization_id?: string | null;
  distributor_contact_id?: string | null;
  name: string;
  stage: string;
  /** Decimal number or its text; stored as numeric(18,2). */
  amount?: number | string | null;
  /** YYYY-MM-DD */
  close_date?: string | null;
  sf_opportunity_id?: string | null;
  custom?: CustomFields;
}

export type DealPatch = Partial<Omit<NewDeal, 'id' | 'custom'>> & { custom?: CustomFields };

export interface DealFilter extends PageRequest {
  organizationId?: string;
  stage?: string;
  updatedSince?: number;
  includeDeleted?: boolean;
}

const OPPORTUNITY_INDEX = 'deal_registrations_sf_opportunity_unique';

// Date columns as text: pg would build a Date at local midnight, PGlite one at UTC midnight.
const DEAL_COLUMNS = (db: Queryable) => ['deal_registrations.*', db.raw("to_char(deal_registrations.close_date, 'YYYY-MM-DD') AS close_date")];

/** numeric(18,2) text → the same text for any equal amount, so "10" and 10.00 compare equal. */
function canonicalAmount(amount: number | string | null | undefined): string | null | undefined {
  if (amount === undefined || amount === null) return amount;
  return Number(amount).toFixed(2);
}

function cleanFields(input: Partial<NewDeal>): Partial<DealRegistrationRow> {
  const out: Partial<DealRegistrationRow> = {};
  for (const column of ['organization_id', 'owner_contact_id', 'distributor_organization_id', 'distributor_contact_id', 'close_date', 'sf_opportunity_id'] as const) {
    if (input[column] !== undefined) (out as Record<string, unknown>)[column] = input[column];
  }
  if (input.name !== undefined) out.name = input.name.trim();
  if (input.stage !== undefined) out.stage = input.stage.trim();
  const amount = canonicalAmount(input.amount);
  if (amount !== undefined) out.amount = amount;
  return out;
}

export function createDealRepository(db: Queryable) {
  /** Each reference must name a live record; the distributor pair must be a distributor and its user. */
  async function checkReferences(trx: Knex.Transaction, deal: Partial<DealRegistrationRow>): Promise<void> {
    const live = async (table: string, id: string) => (await trx(table).select('*').where({ id }).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
    if (deal.organization_id && !(await live('organizations', deal.organization_id))) throw invalidReference('organization_id', 'Organization', deal.organization_id);
    if (deal.owner_contact_id) {
      const owner = await live('contacts', deal.owner_contact_id);
      if (!owner) throw invalidReference('owner_contact_id', 'Contact', deal.owner_contact_id);
      if (!owner.is_user) throw conflict('NOT_A_USER', `owner_contact_id: contact ${deal.owner_contact_id} is not a user; a deal is owned by a user.`, [{ field: 'owner_contact_id', problem: 'is not a user' }]);
    }
    if (deal.distributor_organization_id) {
      const distributor = await live('organizations', deal.distributor_organization_id);
      if (!distributor) throw invalidReference('distributor_organization_id', 'Organization', deal.distributor_organization_id);
      if (distributor.kind !== 'distributor') {
        throw conflict('NOT_A_DISTRIBUTOR', `distributor_organization_id: organization ${deal.distributor_organization_id} is a ${String(distributor.kind)}, not a distributor.`, [{ field: 'distributor_organization_id', problem: 'is not a distributor' }]);
      }
    }
    if (deal.distributor_contact_id && !(await live('contacts', deal.distributor_contact_id))) {
      throw invalidReference('distributor_contact_id', 'Contact', deal.distributor_contact_id);
    }
  }

  async function translateDuplicate<T>(opportunityId: string | null | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, OPPORTUNITY_INDEX)) {
        throw conflict('DUPLICATE_OPPORTUNITY', `sf_opportunity_id: opportunity ${opportunityId} is already imported as another deal.`, [{ field: 'sf_opportunity_id', problem: 'is already imported' }]);
      }
      throw error;
    }
  }

  async function selectOne(q: Queryable, id: string): Promise<DealRegistrationRow> {
    return (await q('deal_registrations').select(DEAL_COLUMNS(q)).where({ id }).first()) as DealRegistrationRow;
  }

  const repository = {
    async create(input: NewDeal): Promise<DealRegistrationRow> {
      const fields = cleanFields(input);
      return inTransaction(db, async (trx) => {
        await checkReferences(trx, fields);
        const id = input.id ?? randomUUID();
        await translateDuplicate(input.sf_opportunity_id, () =>
          trx('deal_registrations').insert({ ...fields, id, custom: jsonb(trx, input.custom ?? {}), change_seq: nextChangeSeq(trx) }),
        );
        return selectOne(trx, id);
      });
    },

    async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<DealRegistrationRow | undefined> {
      const query = db('deal_registrations').select(DEAL_COLUMNS(db)).where({ id });
      if (!options.includeDeleted) query.whereNull('deleted_at');
      return (await query.first()) as DealRegistrationRow | undefined;
    },

    async require(id: string): Promise<DealRegistrationRow> {
      const row = await repository.get(id);
      if (!row) throw notFound('Deal registration', id);
      return row;
    },

    async findByOpportunityId(opportunityId: string): Promise<DealRegistrationRow | undefined> {
      return (await db('deal_registrations').select(DEAL_COLUMNS(db)).where({ sf_opportunity_id: opportunityId }).first()) as DealRegistrationRow | undefined;
    },

    async list(filter: DealFilter = {}): Promise<Page<DealRegistrationRow>> {
      const query = db('deal_registrations').select(DEAL_COLUMNS(db));
      if (!filter.includeDeleted) query.whereNull('deleted_at');
      if (filter.organizationId) query.where('organization_id', filter.organizationId);
      if (filter.stage) query.where('stage', filter.stage);
      if (filter.updatedSince !== undefined) query.where('change_seq', '>', filter.updatedSince);
      return fetchPage<DealRegistrationRow>(db, query, 'deal_registrations', filter.updatedSince !== undefined ? 'change_seq' : 'created', filter);
    },

    async update(id: string, patch: DealPatch, options: WriteOptions = {}): Promise<DealRegistrationRow> {
      return inTransaction(db, async (trx) => {
        const locked = await trx('deal_registrations').select('id').where({ id }).whereNull('deleted_at').forUpdate().first();
        if (!locked) throw notFound('Deal registration', id);
        const row = await selectOne(trx, id);
        checkVersion('Deal registration', row, options);
        const changes = changedColumns(row, { ...cleanFields(patch), custom: mergeCustom(row.custom, patch.custom) });
        if (Object.keys(changes).length === 0) return row;
        await checkReferences(trx, changes);
        if (changes.custom) changes.custom = jsonb(trx, changes.custom) as unknown as CustomFields;
        await translateDuplicate(changes.sf_opportunity_id, () =>
          trx('deal_registrations')
            .where({ id })
            .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now(), change_seq: nextChangeSeq(trx) }),
        );
        return selectOne(trx, id);
      });
    },

    /**
     * The importer's write: creates the deal for this opportunity, or updates the one imported before
     * (a deleted one is revived). `created` tells which.
     */
    async upsertByOpportunityId(opportunityId: string, input: Omit<NewDeal, 'sf_opportunity_id'>): Promise<{ deal: DealRegistrationRow; created: boolean }> {
      return inTransaction(db, async (trx) => {
        const existing = (await trx('deal_registrations').select('id', 'deleted_at').where({ sf_opportunity_id: opportunityId }).forUpdate().first()) as
          | { id: string; deleted_at: Date | null }
          | undefined;
        const scoped = createDealRepository(trx);
        if (!existing) return { deal: await scoped.create({ ...input, sf_opportunity_id: opportunityId }), created: true };
        if (existing.deleted_at !== null) {
          await trx('deal_registrations').where({ id: existing.id }).update({ deleted_at: null, updated_at: trx.fn.now(), version: trx.raw('version + 1'), change_seq: nextChangeSeq(trx) });
        }
        const { id: _ignored, ...patch } = input;
        return { deal: await scoped.update(existing.id, patch), created: false };
      });
    },

    async softDelete(id: string, options: WriteOptions = {}): Promise<DealRegistrationRow> {
      return inTransaction(db, async (trx) => {
        const row = await trx('deal_registrations').select('id', 'version').where({ id }).whereNull('deleted_at').forUpdate().first();
        if (!row) throw notFound('Deal registration', id);
        checkVersion('Deal registration', row as { id: string; version: number }, options);
        await trx('deal_registrations').where({ id }).update({ deleted_at: trx.fn.now(), updated_at: trx.fn.now(), version: trx.raw('version + 1'), change_seq: nextChangeSeq(trx) });
        return selectOne(trx, id);
      });
    },

    async listChangedSince(changeSeq: number, limit = 1000): Promise<DealRegistrationRow[]> {
      return (await db('deal_registrations').select(DEAL_COLUMNS(db)).where('change_seq', '>', changeSeq).orderBy('change_seq').limit(limit)) as DealRegistrationRow[];
    },

    async *iterateChangedSince(changeSeq: number, batchSize = 1000): AsyncGenerator<DealRegistrationRow[]> {
      yield* iterateBatches((after) => repository.listChangedSince(after, batchSize), changeSeq, batchSize);
    },
  };
  return repository;
}

export type DealRepository = ReturnType<typeof createDealRepository>;

/** The stored amount as a number for JSON (numeric(18,2) fits a double exactly enough for currency display). */
export function dealAmount(row: DealRegistrationRow): number | null {
  return row.amount === null ? null : Number(row.amount);
}
