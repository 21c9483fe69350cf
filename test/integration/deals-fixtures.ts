// Seeds the PRM side the deal import reads — organizations, users, groups, memberships and links — straight
// into the database, in bulk, so tests can set up hundreds of records quickly.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export interface SeedUser {
  email: string;
  active?: boolean;
  /** Modules of the one group the user is put in; null = no group at all. */
  modules?: string[] | null;
}

export class PrmSeeder {
  private readonly groups = new Map<string, string>();
  constructor(private readonly db: Knex) {}

  async organization(values: { kind?: 'partner' | 'distributor'; name?: string; deleted?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    await this.db('organizations').insert({
      id,
      kind: values.kind ?? 'partner',
      status: 'active',
      name: values.name ?? `Org ${id.slice(0, 8)}`,
      deleted_at: values.deleted ? this.db.fn.now() : null,
    });
    return id;
  }

  /** Users of one organization, each in a group with the given modules (groups are shared by module set). */
  async users(organizationId: string, kind: 'partner' | 'distributor', users: readonly SeedUser[]): Promise<string[]> {
    const rows = users.map((user) => ({
      id: randomUUID(),
      organization_id: organizationId,
      last_name: user.email.split('@')[0] ?? 'User',
      email: user.email.trim().toLowerCase(),
      is_user: true,
      user_active: user.active ?? true,
    }));
    for (let start = 0; start < rows.length; start += 500) await this.db('contacts').insert(rows.slice(start, start + 500));
    const members: Array<{ group_id: string; contact_id: string }> = [];
    for (const [index, user] of users.entries()) {
      const modules = user.modules === undefined ? ['deal_registration'] : user.modules;
      if (modules === null) continue;
      members.push({ group_id: await this.group(kind, modules), contact_id: rows[index]?.id as string });
    }
    for (let start = 0; start < members.length; start += 500) await this.db('group_members').insert(members.slice(start, start + 500));
    return rows.map((row) => row.id);
  }

  /** A plain contact (not a user). */
  async contacts(organizationId: string, count: number): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, index) => ({ id: randomUUID(), organization_id: organizationId, last_name: `Contact ${index}`, email: `c${index}.${randomUUID().slice(0, 6)}@customer.example` }));
    for (let start = 0; start < rows.length; start += 500) await this.db('contacts').insert(rows.slice(start, start + 500));
    return rows.map((row) => row.id);
  }

  async group(kind: 'partner' | 'distributor', modules: string[], options: { deleted?: boolean } = {}): Promise<string> {
    const key = `${kind}:${[...modules].sort().join(',')}:${options.deleted ? 'deleted' : 'live'}`;
    const known = this.groups.get(key);
    if (known) return known;
    const id = randomUUID();
    await this.db('groups').insert({
      id,
      name: `${key} ${id.slice(0, 6)}`,
      kind,
      modules: this.db.raw('?::text[]', [`{${modules.join(',')}}`]),
      deleted_at: options.deleted ? this.db.fn.now() : null,
    });
    this.groups.set(key, id);
    return id;
  }

  async links(object: 'organization' | 'contact', pairs: ReadonlyArray<{ prmId: string; sfId: string; state?: string }>): Promise<void> {
    const rows = pairs.map((pair) => ({ object, prm_id: pair.prmId, sf_id: pair.sfId, state: pair.state ?? 'linked', snapshot: '{}' }));
    for (let start = 0; start < rows.length; start += 500) await this.db('sync_links').insert(rows.slice(start, start + 500));
  }
}
