// The PRM fields a mapping may name, per object, with their types: what the validator checks mappings
// against. Derived fields (id, record_url, entity_type, last_synced_at) are computed by the sync and can
// only flow to Salesforce; `custom.<name>` addresses the jsonb custom fields.
import type { SyncedObject } from './model.ts';

export type PrmFieldType = 'text' | 'email' | 'phone' | 'url' | 'boolean' | 'number' | 'date' | 'datetime' | 'enum' | 'id' | 'custom';

export interface PrmFieldSpec {
  name: string;
  type: PrmFieldType;
  maxLength?: number;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Only the PRM (or the sync) sets it: mappings may send it to Salesforce, never bring a value back. */
  readOnly?: true;
  /** A record cannot be created in the PRM without it. */
  required?: true;
}

const derived: PrmFieldSpec[] = [
  { name: 'id', type: 'id', maxLength: 36, readOnly: true },
  { name: 'record_url', type: 'url', maxLength: 255, readOnly: true },
  { name: 'entity_type', type: 'text', maxLength: 255, readOnly: true },
  { name: 'last_synced_at', type: 'datetime', readOnly: true },
];

export const PRM_FIELDS: Record<SyncedObject, readonly PrmFieldSpec[]> = {
  organizations: [
    { name: 'name', type: 'text', maxLength: 255, required: true },
    { name: 'website', type: 'url', maxLength: 255 },
    { name: 'phone', type: 'phone', maxLength: 40 },
    { name: 'billing_street', type: 'text', maxLength: 255 },
    { name: 'billing_city', type: 'text', maxLength: 100 },
    { name: 'billing_state', type: 'text', maxLength: 100 },
    { name: 'billing_postal_code', type: 'text', maxLength: 20 },
    { name: 'billing_country', type: 'text', maxLength: 100 },
    { name: 'kind', type: 'enum', values: ['partner', 'distributor'], readOnly: true },
    { name: 'status', type: 'enum', values: ['active', 'prospective', 'inactive'] },
    ...derived,
  ],
  contacts: [
    { name: 'first_name', type: 'text', maxLength: 100 },
    { name: 'last_name', type: 'text', maxLength: 100, required: true },
    { name: 'email', type: 'email', maxLength: 254 },
    { name: 'phone', type: 'phone', maxLength: 40 },
    { name: 'title', type: 'text', maxLength: 128 },
    { name: 'is_user', type: 'boolean', readOnly: true },
    { name: 'user_active', type: 'boolean', readOnly: true },
    ...derived,
  ],
  deals: [
    { name: 'name', type: 'text', maxLength: 255, required: true },
    { name: 'stage', type: 'text', maxLength: 100, required: true },
    { name: 'amount', type: 'number' },
    { name: 'close_date', type: 'date' },
    { name: 'id', type: 'id', maxLength: 36, readOnly: true },
    { name: 'record_url', type: 'url', maxLength: 255, readOnly: true },
    { name: 'last_synced_at', type: 'datetime', readOnly: true },
  ],
};

/** The spec of a mapped PRM field, or undefined when the object has no such field. */
export function prmField(object: SyncedObject, name: string): PrmFieldSpec | undefined {
  if (/^custom\.[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) return { name, type: 'custom' };
  return PRM_FIELDS[object].find((field) => field.name === name);
}

/** Salesforce describe types each PRM type can be mapped to. */
export const COMPATIBLE_SF_TYPES: Record<PrmFieldType, readonly string[]> = {
  text: ['string', 'textarea', 'picklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring'],
  email: ['email', 'string', 'textarea'],
  phone: ['phone', 'string'],
  url: ['url', 'string', 'textarea'],
  id: ['string'],
  boolean: ['boolean'],
  number: ['double', 'currency', 'int', 'long', 'percent'],
  date: ['date'],
  datetime: ['datetime'],
  enum: ['picklist', 'string', 'combobox'],
  custom: ['string', 'textarea', 'picklist', 'combobox', 'email', 'phone', 'url', 'boolean', 'double', 'currency', 'int', 'long', 'percent', 'date', 'datetime'],
};
