// Groups of users and the modules they grant (e.g. deal_registration): the only module that writes the
// groups and group_members tables. A group holds users of its own kind of organization only.
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { ContactRow, CustomFields, GroupModule, GroupRow, OrganizationKind } from '../../db/tables.ts';
import { fetchPage, type Page, type PageRequest } from './pagination.ts';
import { changedColumns, checkVersion, inTransaction, isUniqueViolation, jsonb, lockLiveRow, mergeCustom, type Queryable, type WriteOptions } from './shared.ts';

export const GROUP_MODULES: readonly GroupModule[] = ['deal_registration', 'lead_distribution', 'market_development_funds', 'training'];

export interface NewGroup {
  id?: string;
  name: string;
  kind: OrganizationKind;
  modules?: GroupModule[];
  custom?: CustomFields;
}

export type GroupPatch = Partial<Omit<NewGroup, 'id'>>;

export interface GroupFilter extends PageRequest {
  kind?: OrganizationKind;
  module?: GroupModule;
}

const NAME_INDEX = 'groups_name_unique';

const duplicateName = (name: string) =>
  conflict('DUPLICATE_GROUP_NAME', `name: a group named "${name}" already exists (group names are unique, ignoring case).`, [{ field: 'name', problem: `"${name}" is already used` }]);

/** Modules sorted and without repeats, so equal sets compare equal. */
const normalizeModules = (modules: GroupModule[]) => [...new Set(modules)].sort();

export function createGroupRepository(db: Queryable) {
  async function translateDuplicate<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, NAME_INDEX)) throw duplicateName(name);
      throw error;
    }
  }

  return {
    async create(input: NewGroup): Promise<GroupRow> {
      const name = input.name.trim();
      return translateDuplicate(name, async () => {
        const [row] = await db<GroupRow>('groups')
          .insert({ id: input.id ?? randomUUID(), name, kind: input.kind, modules: normalizeModules(input.modules ?? []), custom: jsonb(db, input.custom ?? {}) as unknown as CustomFields })
          .returning('*');
        return row as GroupRow;
      });
    },

    async get(id: string): Promise<GroupRow | undefined> {
      return (await db<GroupRow>('groups').where({ id }).whereNull('deleted_at').first()) as GroupRow | undefined;
    },

    async require(id: string): Promise<GroupRow> {
      const row = await this.get(id);
      if (!row) throw notFound('Group', id);
      return row;
    },

    async list(filter: GroupFilter = {}): Promise<Page<GroupRow>> {
      const query = db('groups').select('groups.*').whereNull('deleted_at');
      if (filter.kind) query.where('kind', filter.kind);
      if (filter.module) query.whereRaw('? = ANY(modules)', [filter.module]);
      return fetchPage<GroupRow>(db, query, 'groups', 'created', filter);
    },

    async update(id: string, patch: GroupPatch, options: WriteOptions = {}): Promise<GroupRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<GroupRow>(trx, 'groups', 'Group', id);
        checkVersion('Group', row, options);
        const changes = changedColumns(row, {
          name: patch.name?.trim(),
          kind: patch.kind,
          modules: patch.modules ? normalizeModules(patch.modules) : undefined,
          custom: mergeCustom(row.custom, patch.custom),
        });
        if (Object.keys(changes).length === 0) return row;
        if (changes.kind !== undefined) {
          const members = await trx('group_members').where({ group_id: id }).count<Array<{ count: string | number }>>({ count: '*' });
          if (Number(members[0]?.count ?? 0) > 0) {
            throw conflict('GROUP_HAS_MEMBERS', `kind: group ${id} has members of ${row.kind} organizations; remove them before changing its kind.`, [{ field: 'kind', problem: 'cannot change while the group has members' }]);
          }
        }
        if (changes.custom) changes.custom = jsonb(trx, changes.custom) as unknown as CustomFields;
        return translateDuplicate(changes.name ?? row.name, async () => {
          const [updated] = await trx<GroupRow>('groups')
            .where({ id })
            .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() } as Record<string, unknown>)
            .returning('*');
          return updated as GroupRow;
        });
      });
    },

    /** Soft-deletes the group and removes its memberships: a deleted group grants nothing. */
    async softDelete(id: string, options: WriteOptions = {}): Promise<GroupRow> {
      return inTransaction(db, async (trx) => {
        const row = await lockLiveRow<GroupRow>(trx, 'groups', 'Group', id);
        checkVersion('Group', row, options);
        await trx('group_members').where({ group_id: id }).delete();
        const [deleted] = await trx<GroupRow>('groups')
          .where({ id })
          .update({ deleted_at: trx.fn.now(), updated_at: trx.fn.now(), version: trx.raw('version + 1') } as Record<string, unknown>)
          .returning('*');
        return deleted as GroupRow;
      });
    },

    /** Adds a user to the group; true when added, false when it was already a member. */
    async addMember(groupId: string, contactId: string): Promise<boolean> {
      return inTransaction(db, async (trx) => {
        const group = await lockLiveRow<GroupRow>(trx, 'groups', 'Group', groupId);
        const contact = (await trx('contacts')
          .join('organizations', 'organizations.id', 'contacts.organization_id')
          .select('contacts.*', 'organizations.kind as organization_kind')
          .where('contacts.id', contactId)
          .whereNull('contacts.deleted_at')
          .first()) as (ContactRow & { organization_kind: OrganizationKind }) | undefined;
        if (!contact) throw notFound('Contact', contactId);
        if (!contact.is_user) {
          throw conflict('NOT_A_USER', `contact_id: contact ${contactId} is not a user; groups hold users only. Promote it first (POST /api/v1/contacts/${contactId}/promote).`, [{ field: 'contact_id', problem: 'is not a user' }]);
        }
        if (contact.organization_kind !== group.kind) {
          throw conflict('GROUP_KIND_MISMATCH', `contact_id: contact ${contactId} belongs to a ${contact.organization_kind} organization; group "${group.name}" is for ${group.kind} users.`, [{ field: 'contact_id', problem: `belongs to a ${contact.organization_kind}, the group is for ${group.kind} users` }]);
        }
        const inserted = await trx('group_members').insert({ group_id: groupId, contact_id: contactId }).onConflict(['group_id', 'contact_id']).ignore().returning('contact_id');
        return inserted.length > 0;
      });
    },

    async removeMember(groupId: string, contactId: string): Promise<void> {
      await this.require(groupId);
      // `returning` rather than the affected-row count: knex-pglite reports deletes as a result object.
      const removed = await db('group_members').where({ group_id: groupId, contact_id: contactId }).delete().returning('contact_id');
      if (removed.length === 0) throw new AppError(404, 'NOT_FOUND', `Contact ${contactId} is not a member of group ${groupId}.`);
    },

    /** Live groups the contact belongs to. */
    async groupsOf(contactId: string): Promise<GroupRow[]> {
      return (await db<GroupRow>('groups')
        .join('group_members', 'group_members.group_id', 'groups.id')
        .select('groups.*')
        .where('group_members.contact_id', contactId)
        .whereNull('groups.deleted_at')
        .orderBy('groups.name')) as GroupRow[];
    },
  };
}

export type GroupRepository = ReturnType<typeof createGroupRepository>;
