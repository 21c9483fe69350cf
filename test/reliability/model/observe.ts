// One picture of the whole world at a moment: every PRM organization and contact, every Salesforce
// account and contact (recycle bin included), and every link. Read straight from the database and the
// emulator's store (no HTTP, so it neither counts as an API call nor meets an injected fault).
import type { Knex } from 'knex';
import type { Org } from '../../sf-emulator/store/org.ts';
import type { EntityKind } from './fields.ts';

export type Row = Record<string, unknown>;

export interface LinkRow {
  object: EntityKind;
  prm_id: string | null;
  sf_id: string | null;
  state: 'linked' | 'excluded' | 'disconnected' | 'deleted';
  last_synced_at: string | null;
  needs_retry: boolean;
}

export interface World {
  prm: Record<EntityKind, Map<string, Row>>;
  sf: Record<EntityKind, Map<string, Row>>;
  links: LinkRow[];
  /** Links by `object:prm_id` and by `object:sf_id`. */
  linkByPrm: Map<string, LinkRow>;
  linkBySf: Map<string, LinkRow>;
  maxChangeSeq: number;
}

const ACCOUNT_FIELDS = 'Id, IsDeleted, Name, Website, Phone, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, PRM_Id__c, PRM_Sync__c, PRM_Partner_Status__c, PRM_Sys_EntityType__c, LastModifiedDate, SystemModstamp';
const CONTACT_FIELDS = 'Id, IsDeleted, AccountId, FirstName, LastName, Email, Phone, Title, PRM_Id__c, PRM_Sync__c, PRM_Sys_EntityType__c, LastModifiedDate, SystemModstamp';

export const SF_OBJECT: Record<EntityKind, 'Account' | 'Contact'> = { organization: 'Account', contact: 'Contact' };

export function readSalesforce(org: Org, kind: EntityKind): Map<string, Row> {
  const soql = kind === 'organization' ? `SELECT ${ACCOUNT_FIELDS} FROM Account` : `SELECT ${CONTACT_FIELDS} FROM Contact`;
  const { records } = org.query(soql, { includeDeleted: true });
  return new Map(records.map((r) => [String(r.Id), r as Row]));
}

export async function observe(db: Knex, org: Org): Promise<World> {
  const [organizations, contacts, links, seq] = await Promise.all([
    db('organizations').select('*'),
    db('contacts').select('*'),
    db('sync_links').select('object', 'prm_id', 'sf_id', 'state', 'last_synced_at', 'needs_retry'),
    db.raw('SELECT max(change_seq) AS max FROM (SELECT change_seq FROM organizations UNION ALL SELECT change_seq FROM contacts) AS all_rows'),
  ]);
  const normalizedLinks: LinkRow[] = links.map((l: Row) => ({
    ...(l as unknown as LinkRow),
    last_synced_at: l.last_synced_at ? new Date(l.last_synced_at as string).toISOString() : null,
  }));
  const seqRows = (seq as { rows?: Array<{ max: unknown }> }).rows ?? [];
  return {
    prm: {
      organization: new Map(organizations.map((r: Row) => [String(r.id), r])),
      contact: new Map(contacts.map((r: Row) => [String(r.id), r])),
    },
    sf: { organization: readSalesforce(org, 'organization'), contact: readSalesforce(org, 'contact') },
    links: normalizedLinks,
    linkByPrm: new Map(normalizedLinks.filter((l) => l.prm_id).map((l) => [`${l.object}:${l.prm_id}`, l])),
    linkBySf: new Map(normalizedLinks.filter((l) => l.sf_id).map((l) => [`${l.object}:${l.sf_id}`, l])),
    maxChangeSeq: Number(seqRows[0]?.max ?? 0),
  };
}

export const isLive = (row: Row | undefined): boolean => row !== undefined && row.IsDeleted !== true;
export const isPrmLive = (row: Row | undefined): boolean => row !== undefined && (row.deleted_at === null || row.deleted_at === undefined);

export function sfTime(record: Row | undefined): number | null {
  const value = record?.LastModifiedDate;
  if (typeof value !== 'string') return null;
  const time = new Date(value.replace(/\+0000$/, 'Z')).getTime();
  return Number.isNaN(time) ? null : time;
}

export function prmTime(row: Row | undefined): number | null {
  const value = row?.updated_at;
  if (value === null || value === undefined) return null;
  return new Date(value as string).getTime();
}
