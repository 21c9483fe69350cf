// Contacts and users (a user is a contact with is_user): the only module that writes the contacts table.
// Emails are stored trimmed and lower-cased and are unique per organization among live contacts.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { conflict, notFound, type AppError } from '../../errors.ts';
import type { ContactRow, CustomFields, GroupModule, OrganizationKind, OrganizationStatus } from '../../db/tables.ts';
import { fetchPage, type Page, type PageRequest } from './pagination.ts';
import {
  changedColumns,
  checkVersion,
  cleanText,
  inTransaction,
  invalidReference,
  isUniqueViolation,
  iterateBatches,
  jsonb,
  lockLiveRow,
  mergeCustom,
  nextChangeSeq,
  normalizeEmail,
  type Queryable,
  type WriteOptions,
} from './shared.ts';

export interface NewContact {
  id?: string;
  organization_id: string;
  first_name?: string | null;
  last_name: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  is_user?: boolean;
  user_active?: boolean;
  custom?: CustomFields;
}

export type ContactPatch = Partial<Omit<NewContact, 'id' | 'is_user' | 'user_active' | 'custom'>> & { custom?: CustomFields };

export interface ContactFilter extends PageRequest {
  organizationId?: string;
  /** Exact match after normalization (trim, lower case). */
  email?: string;
  isUser?: boolean;
  /** Members of this group only. */
  groupId?: string;
  updatedSince?: number;
  includeDeleted?: boolean;
}

/** A user found by email, with what the deal import needs to judge it. */
export interface UserWithAccess {
  contact: ContactRow;
  organizationKind: OrganizationKind;
  organizationStatus: OrganizationStatus;
  /** The union of the modules of the user's groups. */
  modules: GroupModule[];
}

const EMAIL_INDEX = 'contacts_org_email_unique';

function cleanFields(input: Partial<NewContact>): Partial<ContactRow> {
  const out: Partial<ContactRow> = {};
  if (input.organization_id !== undefined) out.organization_id = input.organization_id;
  if (input.last_name !== undefined) out.last_name = input.last_name.trim();
  for (const column of ['first_name', 'phone', 'title'] as const) {
    const value = cleanText(input[column]);
    if (value !== undefined) out[column] = value;
  }
  const email = normalizeEmail(input.email);
  if (email !== undefined) out.email = email;
  if (input.is_user !== undefined) out.is_user = input.is_user;
  if (input.user_active !== undefined) out.user_active = input.user_active;
  return out;
}

function duplicateEmail(email: string, organizationId: string, existingId?: string): AppError {
  return conflict('DUPLICATE_EMAIL', `email: ${email} already belongs to another contact of organization ${organizationId}${existingId ? ` (${existingId})` : ''}; emails are unique per organization, ignoring case.`, [
    { field: 'email', problem: `${email} is already used in this organization`, existing_contact_id: existingId ?? null },
  ]);
}

export function createContactRepository(db: Queryable) {
  /** Refuses a live organization that does not exist, and an email another live contact of it already has. */
  async function checkPlacement(trx: Knex.Transaction, organizationId: string, email: string | null | undefined, selfId?: string): Promise<void> {
    const organization = await trx('organizations').select('id').where({ id: organizationId }).whereNull('deleted_at').first();
    if (!organization) throw invalidReference('organization_id', 'Organization', organizationId);
    if (!email) return;
    const clash = trx('contacts').select('id').where({ organization_id: organizationId }).whereRaw('lower(email) = ?', [email]).whereNull('deleted_at');
    if (selfId) clash.whereNot({ id: selfId });
    const existing = (await clash.first()) as { id: string } | undefined;
    if (existing) throw duplicateEmail(email, organizationId, existing.id);
  }

  /** The unique index catches what the check above cannot see: a concurrent insert of the same email. */
  async function translateDuplicate<T>(email: string | null | undefined, organizationId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, EMAIL_INDEX) && email) throw duplicateEmail(email, organizationId);
      throw error;
    }
  }

  async function setUserFlags(id: string, flags: Partial<Pick<ContactRow, 'is_user' | 'user_active'>>, options: WriteOptions, guard: (row: ContactRow) => void): Promise<ContactRow> {
    return inTransaction(db, async (trx) => {
      const row = await lockLiveRow<ContactRow>(trx, 'contacts', 'Contact', id);
      checkVersion('Contact', row, options);
      guard(row);
      const changes = changedColumns(row, flags);
      if (Object.keys(changes).length === 0) return row;
      const [updated] = await trx<ContactRow>('contacts')
        .where({ id })
        .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now(), change_seq: nextChangeSeq(trx) } as Record<string, unknown>)
        .returning('*');
      return updated as ContactRow;
    });
  }

  return {
    async create(input: NewContact): Promise<ContactRow> {
      const fields = cleanFields(input);
      return inTransaction(db, async (trx) => {
        await checkPlacement(trx, input.organization_id, fields.email);
        return translateDuplicate(fields.email, input.organization_id, async () => {
          const [row] = await trx<ContactRow>('contacts')
            .insert({
              ...fields,
              id: input.id ?? randomUUID(),
              custom: jsonb(trx, input.custom ?? {}) as unknown as CustomFields,
              change_seq: nextChangeSeq(trx) as unknown as number,
            })
            .returning('*');
          return row as ContactRow;
        });
      });
    },

    async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<ContactRow | undefined> {
      const query = db<ContactRow>('contacts').where({ id });
      if (!options.includeDeleted) query.whereNull('deleted_at');
      return (await query.first()) as ContactRow | undefined;
    },

    async require(id: string): Promise<ContactRow> {
      const row = await this.get(id);
      if (!row) throw notFound('Contact', id);
      return row;
    },

    async list(filter: ContactFilter = {}): Promise<Page<ContactRow>> {
      const query = db('contacts').select('contacts.*');
      if (!filter.includeDeleted) query.whereNull('contacts.deleted_at');
      if (filter.organizationId) query.where('contacts.organization_id', filter.organizationId);
      if (filter.email !== undefined) query.whereRaw('lower(contacts.email) = ?', [normalizeEmail(filter.email) ?? '']);
      if (filter.isUser !== undefined) query.where('contacts.is_user', filter.isUser);
      if (filter.groupId) query.whereIn('contacts.id', db('group_members').select('contact_id').where({ group_id: filter.groupId }));
      if (filter.updatedSince !== undefined) query.where('contacts.change_seq', '>', filter.updatedSince);
      return fetchPage<ContactRow>(db, query, 'contacts', filter.updatedSince !== undefined ? 'change_seq' : 'created', filter);
    },

    async update(id: string, patch: ContactPatch, options: WriteOptions = {}): Promise<ContactRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<ContactRow>(trx, 'contacts', 'Contact', id);
        checkVersion('Contact', row, options);
        const changes = changedColumns(row, { ...cleanFields(patch), custom: mergeCustom(row.custom, patch.custom) });
        if (Object.keys(changes).length === 0) return row;
        if (changes.organization_id !== undefined || changes.email !== undefined) {
          await checkPlacement(trx, changes.organization_id ?? row.organization_id, changes.email === undefined ? row.email : changes.email, id);
        }
        if (changes.email === null && row.is_user) {
          throw conflict('USER_NEEDS_EMAIL', `email: contact ${id} is a user and signs in with its email; it cannot be removed.`, [{ field: 'email', problem: 'cannot be removed from a user' }]);
        }
        if (changes.custom) changes.custom = jsonb(trx, changes.custom) as unknown as CustomFields;
        return translateDuplicate(changes.email ?? row.email, changes.organization_id ?? row.organization_id, async () => {
          const [updated] = await trx<ContactRow>('contacts')
            .where({ id })
            .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now(), change_seq: nextChangeSeq(trx) } as Record<string, unknown>)
            .returning('*');
          return updated as ContactRow;
        });
      });
    },

    async softDelete(id: string, options: WriteOptions = {}): Promise<ContactRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<ContactRow>(trx, 'contacts', 'Contact', id);
        checkVersion('Contact', row, options);
        await trx('group_members').where({ contact_id: id }).delete();
        const [deleted] = await trx<ContactRow>('contacts')
          .where({ id })
          .update({ deleted_at: trx.fn.now(), updated_at: trx.fn.now(), version: trx.raw('version + 1'), change_seq: nextChangeSeq(trx) } as Record<string, unknown>)
          .returning('*');
        return deleted as ContactRow;
      });
    },

    /** Makes the contact a user (same record, same id) and activates it; a user signs in with its email. */
    promote(id: string, options: WriteOptions = {}): Promise<ContactRow> {
      return setUserFlags(id, { is_user: true, user_active: true }, options, (row) => {
        if (!row.email) {
          throw conflict('CONTACT_HAS_NO_EMAIL', `email: contact ${id} has no email; a user signs in with its email, so set one before promoting.`, [{ field: 'email', problem: 'is required to promote a contact to user' }]);
        }
      });
    },

    setUserActive(id: string, active: boolean, options: WriteOptions = {}): Promise<ContactRow> {
      return setUserFlags(id, { user_active: active }, options, (row) => {
        if (!row.is_user) {
          throw conflict('NOT_A_USER', `is_user: contact ${id} is not a user; promote it first (POST /api/v1/contacts/${id}/promote).`, [{ field: 'is_user', problem: 'is false' }]);
        }
      });
    },

    /** Live users with this email (any organization), with their organization and group modules. */
    async findUsersByEmail(email: string): Promise<UserWithAccess[]> {
      const normalized = normalizeEmail(email);
      if (!normalized) return [];
      const rows = (await db('contacts')
        .join('organizations', 'organizations.id', 'contacts.organization_id')
        .select('contacts.*', 'organizations.kind as organization_kind', 'organizations.status as organization_status')
        .select(
          db.raw(
            `coalesce((select array_agg(distinct m) from group_members gm join groups g on g.id = gm.group_id and g.deleted_at is null
               cross join lateral unnest(g.modules) m where gm.contact_id = contacts.id), '{}') as modules`,
          ),
        )
        .whereRaw('lower(contacts.email) = ?', [normalized])
        .where('contacts.is_user', true)
        .whereNull('contacts.deleted_at')
        .whereNull('organizations.deleted_at')
        .orderBy('contacts.created_at')) as Array<ContactRow & { organization_kind: OrganizationKind; organization_status: OrganizationStatus; modules: GroupModule[] }>;
      return rows.map(({ organization_kind, organization_status, modules, ...contact }) => ({
        contact,
        organizationKind: organization_kind,
        organizationStatus: organization_status,
        modules: [...modules].sort(),
      }));
    },

    async listChangedSince(changeSeq: number, limit = 1000): Promise<ContactRow[]> {
      return (await db<ContactRow>('contacts').where('change_seq', '>', changeSeq).orderBy('change_seq').limit(limit)) as ContactRow[];
    },

    async *iterateChangedSince(changeSeq: number, batchSize = 1000): AsyncGenerator<ContactRow[]> {
      yield* iterateBatches((after) => this.listChangedSince(after, batchSize), changeSeq, batchSize);
    },
  };
}

export type ContactRepository = ReturnType<typeof createContactRepository>;
