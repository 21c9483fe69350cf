// The model's own view of the mapped fields: how to read each one from a PRM row and from a Salesforce
// record into one comparable ("canonical") value. Written from the spec, not imported from the engine, so
// a mapping mistake in middleware/sync/fields.ts shows up as a disagreement instead of being copied.

export type Value = string | null;
export type Values = Record<string, Value>;
export type EntityKind = 'organization' | 'contact';

/** `PRM_Partner_Status__c` picklist values (spec §2) → the PRM's kind and status. */
export const PARTNER_STATUS_VALUES: Readonly<Record<string, { kind: 'partner' | 'distributor'; status: 'active' | 'prospective' | 'inactive' }>> = {
  'Reseller, Active': { kind: 'partner', status: 'active' },
  'Reseller, Prospective': { kind: 'partner', status: 'prospective' },
  'Reseller, Inactive': { kind: 'partner', status: 'inactive' },
  'Distributor, Active': { kind: 'distributor', status: 'active' },
  'Distributor, Prospective': { kind: 'distributor', status: 'prospective' },
  'Distributor, Inactive': { kind: 'distributor', status: 'inactive' },
};

export function picklistFor(kind: string, status: string): string {
  const hit = Object.entries(PARTNER_STATUS_VALUES).find(([, v]) => v.kind === kind && v.status === status);
  if (!hit) throw new Error(`no picklist value for ${kind}/${status}`);
  return hit[0];
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What PRM_Sys_EntityType__c must say for a PRM organization (spec §2: "Active Partner"). */
export function organizationEntityType(kind: string, status: string): string {
  return `${capitalize(status)} ${capitalize(kind)}`;
}

export function contactEntityType(isUser: boolean): string {
  return isUser ? 'User' : 'Contact';
}

function text(value: unknown): Value {
  if (value === null || value === undefined) return null;
  const s = String(value);
  return s === '' ? null : s;
}

export interface ModelField {
  key: string;
  /** Salesforce field the value lives in. */
  sf: string;
  /** `both`: merged; `computed`: derived from the PRM row and only ever written to Salesforce. */
  flow: 'both' | 'computed';
  readPrm: (row: Record<string, unknown>) => Value;
  readSf: (record: Record<string, unknown>) => Value;
}

const column = (key: string, prmColumn: string, sf: string, normalize: (v: Value) => Value = (v) => v): ModelField => ({
  key,
  sf,
  flow: 'both',
  readPrm: (row) => normalize(text(row[prmColumn])),
  readSf: (record) => normalize(text(record[sf])),
});

const lower = (v: Value) => (v === null ? null : v.trim().toLowerCase() || null);

export const ORGANIZATION_FIELDS: readonly ModelField[] = [
  column('name', 'name', 'Name'),
  column('website', 'website', 'Website'),
  column('phone', 'phone', 'Phone'),
  column('billing_street', 'billing_street', 'BillingStreet'),
  column('billing_city', 'billing_city', 'BillingCity'),
  column('billing_state', 'billing_state', 'BillingState'),
  column('billing_postal_code', 'billing_postal_code', 'BillingPostalCode'),
  column('billing_country', 'billing_country', 'BillingCountry'),
  {
    key: 'partner_status',
    sf: 'PRM_Partner_Status__c',
    flow: 'both',
    readPrm: (row) => (row.kind && row.status ? `${String(row.kind)}:${String(row.status)}` : null),
    readSf: (record) => {
      const mapped = PARTNER_STATUS_VALUES[String(record.PRM_Partner_Status__c)];
      return mapped ? `${mapped.kind}:${mapped.status}` : null;
    },
  },
  {
    key: 'entity_type',
    sf: 'PRM_Sys_EntityType__c',
    flow: 'computed',
    readPrm: (row) => organizationEntityType(String(row.kind), String(row.status)),
    readSf: (record) => text(record.PRM_Sys_EntityType__c),
  },
];

export const CONTACT_FIELDS: readonly ModelField[] = [
  column('first_name', 'first_name', 'FirstName'),
  column('last_name', 'last_name', 'LastName'),
  column('email', 'email', 'Email', lower),
  column('phone', 'phone', 'Phone'),
  column('title', 'title', 'Title'),
  {
    key: 'entity_type',
    sf: 'PRM_Sys_EntityType__c',
    flow: 'computed',
    readPrm: (row) => contactEntityType(row.is_user === true),
    readSf: (record) => text(record.PRM_Sys_EntityType__c),
  },
];

export const fieldsOf = (kind: EntityKind): readonly ModelField[] => (kind === 'organization' ? ORGANIZATION_FIELDS : CONTACT_FIELDS);

export function prmValues(kind: EntityKind, row: Record<string, unknown>): Values {
  return Object.fromEntries(fieldsOf(kind).map((f) => [f.key, f.readPrm(row)]));
}

export function sfValues(kind: EntityKind, record: Record<string, unknown>): Values {
  return Object.fromEntries(fieldsOf(kind).map((f) => [f.key, f.readSf(record)]));
}

/** The computed (PRM → Salesforce only) value a set of merged values implies, e.g. the entity type of a new status. */
export function computedFromMerged(kind: EntityKind, merged: Values, prmRow: Record<string, unknown>): Values {
  if (kind === 'organization') {
    const [orgKind, status] = String(merged.partner_status ?? `${String(prmRow.kind)}:${String(prmRow.status)}`).split(':');
    return { entity_type: organizationEntityType(orgKind ?? 'partner', status ?? 'active') };
  }
  return { entity_type: contactEntityType(prmRow.is_user === true) };
}

/** Salesforce field values for a set of canonical PRM-side values (for the model's own Salesforce edits). */
export function toSalesforce(kind: EntityKind, key: string, value: Value): Record<string, unknown> {
  if (kind === 'organization' && key === 'partner_status') {
    if (value === null) return { PRM_Partner_Status__c: null };
    const [orgKind, status] = value.split(':');
    return { PRM_Partner_Status__c: picklistFor(orgKind ?? '', status ?? '') };
  }
  const field = fieldsOf(kind).find((f) => f.key === key);
  if (!field) throw new Error(`unknown ${kind} field ${key}`);
  return { [field.sf]: value };
}
