// Resolves the PRM side of a page of opportunities in three queries, whatever the page size: linked
// organizations by Account id, linked contacts by Contact id, and live users by email with the modules
// of their groups. The rules then judge every opportunity from these maps without further I/O.
import type { Knex } from 'knex';
import type { OrganizationKind } from '../db/tables.ts';
import { normalizeEmail, type OpportunityFacts, type PrmDirectory, type PrmUser } from './eligibility.ts';

type Queryable = Knex | Knex.Transaction;

/** Values per `IN (…)` list; keeps statements small on both PostgreSQL and PGlite. */
const CHUNK = 1000;

export async function loadDirectory(db: Queryable, opportunities: readonly OpportunityFacts[]): Promise<PrmDirectory> {
  const accountIds = unique(opportunities.map((o) => o.accountId));
  const contactIds = unique(opportunities.map((o) => o.primaryContactId));
  const emails = unique(opportunities.flatMap((o) => [o.partnerEmail, o.distributorEmail]).map((e) => (e ? normalizeEmail(e) : null)));
  const [organizationByAccountId, contactByContactId, usersByEmail] = await Promise.all([
    linkedIds(db, 'organization', accountIds),
    linkedIds(db, 'contact', contactIds),
    usersByEmails(db, emails),
  ]);
  return { organizationByAccountId, contactByContactId, usersByEmail };
}

/** Salesforce id → PRM id for links in state `linked` whose PRM record is live. */
async function linkedIds(db: Queryable, object: 'organization' | 'contact', sfIds: readonly string[]): Promise<Map<string, string>> {
  const table = object === 'organization' ? 'organizations' : 'contacts';
  const out = new Map<string, string>();
  for (const chunk of chunks(sfIds)) {
    const rows = (await db('sync_links')
      .join(table, `${table}.id`, 'sync_links.prm_id')
      .where({ 'sync_links.object': object, 'sync_links.state': 'linked' })
      .whereIn('sync_links.sf_id', chunk)
      .whereNull(`${table}.deleted_at`)
      .select('sync_links.sf_id', 'sync_links.prm_id')) as Array<{ sf_id: string; prm_id: string }>;
    for (const row of rows) out.set(row.sf_id, row.prm_id);
  }
  return out;
}

interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  user_active: boolean;
  organization_kind: OrganizationKind;
  modules: string[] | string | null;
}

/** Live users (of live organizations) by lower-cased email, each with the modules of its live groups. */
async function usersByEmails(db: Queryable, emails: readonly string[]): Promise<Map<string, PrmUser[]>> {
  const out = new Map<string, PrmUser[]>();
  for (const chunk of chunks(emails)) {
    const rows = (await db('contacts')
      .join('organizations', 'organizations.id', 'contacts.organization_id')
      .select('contacts.id', 'contacts.organization_id', 'contacts.email', 'contacts.user_active', 'organizations.kind as organization_kind')
      .select(
        db.raw(
          `coalesce((select array_agg(distinct m order by m) from group_members gm
              join groups g on g.id = gm.group_id and g.deleted_at is null
              cross join lateral unnest(g.modules) m
              where gm.contact_id = contacts.id), '{}') as modules`,
        ),
      )
      .whereRaw(`lower(contacts.email) IN (${chunk.map(() => '?').join(', ')})`, chunk)
      .where('contacts.is_user', true)
      .whereNull('contacts.deleted_at')
      .whereNull('organizations.deleted_at')
      .orderBy(['contacts.created_at', 'contacts.id'])) as UserRow[];
    for (const row of rows) {
      const key = normalizeEmail(row.email);
      const list = out.get(key) ?? [];
      list.push({ contactId: row.id, organizationId: row.organization_id, organizationKind: row.organization_kind, active: row.user_active, modules: parseTextArray(row.modules) });
      out.set(key, list);
    }
  }
  return out;
}

/** text[] arrives as an array from pg, but may arrive as its literal (`{a,b}`) from other drivers. */
function parseTextArray(value: string[] | string | null): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || value === '{}') return [];
  return value.replace(/^\{|\}$/g, '').split(',').map((item) => item.replace(/^"|"$/g, ''));
}

function unique(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];
}

function* chunks<T>(values: readonly T[]): Generator<T[]> {
  for (let start = 0; start < values.length; start += CHUNK) yield values.slice(start, start + CHUNK);
}
