// Organizations (partners and distributors): the only module that writes the organizations table.
import { randomUUID } from 'node:crypto';
import { notFound } from '../../errors.ts';
import type { CustomFields, OrganizationKind, OrganizationRow, OrganizationStatus } from '../../db/tables.ts';
import { fetchPage, likePattern, type Page, type PageRequest } from './pagination.ts';
import {
  changedColumns,
  checkVersion,
  cleanText,
  inTransaction,
  iterateBatches,
  jsonb,
  lockLiveRow,
  mergeCustom,
  nextChangeSeq,
  type Queryable,
  type WriteOptions,
} from './shared.ts';

export interface OrganizationFields {
  name: string;
  website?: string | null;
  phone?: string | null;
  billing_street?: string | null;
  billing_city?: string | null;
  billing_state?: string | null;
  billing_postal_code?: string | null;
  billing_country?: string | null;
}

export interface NewOrganization extends OrganizationFields {
  /** Optional: the seed and the sync's "create in PRM" choose their own ids. */
  id?: string;
  kind: OrganizationKind;
  status?: OrganizationStatus;
  custom?: CustomFields;
}

export type OrganizationPatch = Partial<Omit<NewOrganization, 'id' | 'custom'>> & {
  /** Shallow merge: keys with null are removed. */
  custom?: CustomFields;
};

export interface OrganizationFilter extends PageRequest {
  kind?: OrganizationKind;
  status?: OrganizationStatus;
  /** Case-insensitive substring of the name (served by the trigram index). */
  q?: string;
  /** Only rows whose change_seq is greater; the list is then ordered by change_seq. */
  updatedSince?: number;
  includeDeleted?: boolean;
}

const TEXT_COLUMNS = ['name', 'website', 'phone', 'billing_street', 'billing_city', 'billing_state', 'billing_postal_code', 'billing_country'] as const;

function cleanFields(input: Partial<NewOrganization>): Partial<OrganizationRow> {
  const out: Partial<OrganizationRow> = {};
  for (const column of TEXT_COLUMNS) {
    const value = column === 'name' ? input.name?.trim() : cleanText(input[column]);
    if (value !== undefined) (out as Record<string, unknown>)[column] = value;
  }
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export function createOrganizationRepository(db: Queryable) {
  const table = () => db<OrganizationRow>('organizations');

  return {
    async create(input: NewOrganization): Promise<OrganizationRow> {
      const [row] = await table()
        .insert({
          ...cleanFields(input),
          id: input.id ?? randomUUID(),
          status: input.status ?? 'active',
          custom: jsonb(db, input.custom ?? {}) as unknown as CustomFields,
          change_seq: nextChangeSeq(db) as unknown as number,
        })
        .returning('*');
      return row as OrganizationRow;
    },

    /** A live organization, or undefined (deleted ones only with includeDeleted). */
    async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<OrganizationRow | undefined> {
      const query = table().where({ id });
      if (!options.includeDeleted) query.whereNull('deleted_at');
      return (await query.first()) as OrganizationRow | undefined;
    },

    async require(id: string): Promise<OrganizationRow> {
      const row = await this.get(id);
      if (!row) throw notFound('Organization', id);
      return row;
    },

    async list(filter: OrganizationFilter = {}): Promise<Page<OrganizationRow>> {
      const query = db('organizations').select('organizations.*');
      if (!filter.includeDeleted) query.whereNull('deleted_at');
      if (filter.kind) query.where('kind', filter.kind);
      if (filter.status) query.where('status', filter.status);
      if (filter.q) query.whereRaw("lower(name) LIKE ? ESCAPE '\\'", [likePattern(filter.q.trim())]);
      if (filter.updatedSince !== undefined) query.where('change_seq', '>', filter.updatedSince);
      return fetchPage<OrganizationRow>(db, query, 'organizations', filter.updatedSince !== undefined ? 'change_seq' : 'created', filter);
    },

    async update(id: string, patch: OrganizationPatch, options: WriteOptions = {}): Promise<OrganizationRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<OrganizationRow>(trx, 'organizations', 'Organization', id);
        checkVersion('Organization', row, options);
        const changes = changedColumns(row, { ...cleanFields(patch), custom: mergeCustom(row.custom, patch.custom) });
        if (Object.keys(changes).length === 0) return row;
        if (changes.custom) changes.custom = jsonb(trx, changes.custom) as unknown as CustomFields;
        const [updated] = await trx<OrganizationRow>('organizations')
          .where({ id })
          .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now(), change_seq: nextChangeSeq(trx) } as Record<string, unknown>)
          .returning('*');
        return updated as OrganizationRow;
      });
    },

    /** Soft-deletes the organization and its live contacts (each gets its own change_seq) in one transaction. */
    async softDelete(id: string, options: WriteOptions = {}): Promise<OrganizationRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<OrganizationRow>(trx, 'organizations', 'Organization', id);
        checkVersion('Organization', row, options);
        const tombstone = { deleted_at: trx.fn.now(), updated_at: trx.fn.now(), version: trx.raw('version + 1'), change_seq: nextChangeSeq(trx) };
        const contactIds = trx('contacts').select('id').where({ organization_id: id }).whereNull('deleted_at');
        await trx('group_members').whereIn('contact_id', contactIds).delete();
        await trx('contacts').where({ organization_id: id }).whereNull('deleted_at').update(tombstone);
        const [deleted] = await trx<OrganizationRow>('organizations').where({ id }).update(tombstone as Record<string, unknown>).returning('*');
        return deleted as OrganizationRow;
      });
    },

    /** Rows (deleted ones included) changed after `changeSeq`, in change_seq order: the sync's PRM cursor. */
    async listChangedSince(changeSeq: number, limit = 1000): Promise<OrganizationRow[]> {
      return (await table().where('change_seq', '>', changeSeq).orderBy('change_seq').limit(limit)) as OrganizationRow[];
    },

    /** Streams every change after `changeSeq` in batches, without holding more than one batch in memory. */
    async *iterateChangedSince(changeSeq: number, batchSize = 1000): AsyncGenerator<OrganizationRow[]> {
      yield* iterateBatches((after) => this.listChangedSince(after, batchSize), changeSeq, batchSize);
    },
  };
}

export type OrganizationRepository = ReturnType<typeof createOrganizationRepository>;
