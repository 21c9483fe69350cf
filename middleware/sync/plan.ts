// What one sync run needs to know, resolved once from the settings: enabled objects, directions,
// strategies and the mapped fields. The engine reads only this, never the settings themselves.
import { MAX_LENGTH } from '../prm/limits.ts';
import { columnField, type FieldMap, type ValueMapEntry } from './fields.ts';
import type { ConflictPolicy, ObjectDirection } from './strategy.ts';
import type { MergeValue } from './merge.ts';

export type SyncObject = 'organization' | 'contact';
export type PartnerKind = 'partner' | 'distributor';
export type PartnerStatus = 'active' | 'prospective' | 'inactive';

export interface ObjectPlan {
  object: SyncObject;
  sfObject: 'Account' | 'Contact';
  direction: ObjectDirection;
  policy: ConflictPolicy;
  fields: FieldMap[];
}

export interface SyncPlan {
  /** Global toggle: off pauses every job and overrides everything below. */
  enabled: boolean;
  wizardCompleted: boolean;
  organizations: ObjectPlan;
  contacts: ObjectPlan;
  /** Checkbox that marks an Account (and opts a Contact out) for syncing. */
  accountSyncFlagField: string;
  /** Contact-level opt-out checkbox; null = contacts follow their account. */
  contactSyncFlagField: string | null;
  externalIdField: string;
  includeProspective: boolean;
  includeInactive: boolean;
  /** Record types (DeveloperName) for records prm-sync creates in Salesforce (null: the user's default). */
  recordTypes: { partnerAccount: string | null; distributorAccount: string | null; contact: string | null };
  bulkThreshold: number;
  overlapMs: number;
  /** Base URL of the PRM, for PRM_Sys_URL__c. */
  publicUrl: string;
  budget: { ownDailyShare: number; pauseAtOrgShare: number };
}

export const DEFAULT_STATUS_VALUES: Record<`${PartnerKind}:${PartnerStatus}`, string> = {
  'partner:active': 'Reseller, Active',
  'partner:prospective': 'Reseller, Prospective',
  'partner:inactive': 'Reseller, Inactive',
  'distributor:active': 'Distributor, Active',
  'distributor:prospective': 'Distributor, Prospective',
  'distributor:inactive': 'Distributor, Inactive',
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `Active Partner`, `Inactive Distributor`, … — the text written to PRM_Sys_EntityType__c. */
export function organizationEntityType(kind: unknown, status: unknown): string {
  return `${capitalize(String(status ?? 'active'))} ${capitalize(String(kind ?? 'partner'))}`;
}

export function contactEntityType(isUser: unknown): string {
  return isUser === true ? 'User' : 'Contact';
}

/** The partner kind+status pair as one canonical value, mapped to one Salesforce picklist. */
export function partnerStatusField(statusField: string, values: Record<string, string>): FieldMap {
  const valueMap: ValueMapEntry[] = Object.entries(values).map(([prm, sf]) => ({ prm, sf }));
  return {
    key: 'partner_status',
    sfField: statusField,
    sfType: 'string',
    direction: 'both',
    firstSyncOnly: false,
    valueMap,
    readPrm: (row) => (row.kind && row.status ? `${String(row.kind)}:${String(row.status)}` : null),
    writePrm: (value: MergeValue) => {
      if (typeof value !== 'string' || !value.includes(':')) return {};
      const [kind, status] = value.split(':');
      return { kind, status };
    },
  };
}

function entityTypeField(read: (row: Record<string, unknown>) => string): FieldMap {
  return {
    key: 'entity_type',
    sfField: 'PRM_Sys_EntityType__c',
    sfType: 'string',
    direction: 'to_salesforce',
    firstSyncOnly: false,
    readPrm: read,
    writePrm: () => ({}),
  };
}

export function defaultOrganizationFields(statusField = 'PRM_Partner_Status__c', statusValues: Record<string, string> = DEFAULT_STATUS_VALUES): FieldMap[] {
  return [
    columnField('name', 'name', 'Name', { maxLength: MAX_LENGTH.name }),
    columnField('website', 'website', 'Website', { maxLength: MAX_LENGTH.website }),
    columnField('phone', 'phone', 'Phone', { maxLength: MAX_LENGTH.phone }),
    columnField('billing_street', 'billing_street', 'BillingStreet', { maxLength: MAX_LENGTH.billing_street }),
    columnField('billing_city', 'billing_city', 'BillingCity', { maxLength: MAX_LENGTH.billing_city }),
    columnField('billing_state', 'billing_state', 'BillingState', { maxLength: MAX_LENGTH.billing_state }),
    columnField('billing_postal_code', 'billing_postal_code', 'BillingPostalCode', { maxLength: MAX_LENGTH.billing_postal_code }),
    columnField('billing_country', 'billing_country', 'BillingCountry', { maxLength: MAX_LENGTH.billing_country }),
    partnerStatusField(statusField, statusValues),
    entityTypeField((row) => organizationEntityType(row.kind, row.status)),
  ];
}

export function defaultContactFields(): FieldMap[] {
  return [
    columnField('first_name', 'first_name', 'FirstName', { maxLength: MAX_LENGTH.first_name }),
    columnField('last_name', 'last_name', 'LastName', { maxLength: MAX_LENGTH.last_name }),
    columnField('email', 'email', 'Email', { sfType: 'email', maxLength: MAX_LENGTH.email }),
    columnField('phone', 'phone', 'Phone', { maxLength: MAX_LENGTH.phone }),
    columnField('title', 'title', 'Title', { maxLength: MAX_LENGTH.title }),
    entityTypeField((row) => contactEntityType(row.is_user)),
  ];
}

export function defaultSyncPlan(overrides: Partial<SyncPlan> = {}): SyncPlan {
  const policy: ConflictPolicy = { kind: 'master_system', master: 'salesforce' };
  return {
    enabled: true,
    wizardCompleted: true,
    organizations: { object: 'organization', sfObject: 'Account', direction: 'push_and_pull', policy, fields: defaultOrganizationFields() },
    contacts: { object: 'contact', sfObject: 'Contact', direction: 'push_and_pull', policy, fields: defaultContactFields() },
    accountSyncFlagField: 'PRM_Sync__c',
    contactSyncFlagField: 'PRM_Sync__c',
    externalIdField: 'PRM_Id__c',
    includeProspective: true,
    includeInactive: true,
    recordTypes: { partnerAccount: null, distributorAccount: null, contact: null },
    bulkThreshold: 2000,
    overlapMs: 60_000,
    publicUrl: 'http://127.0.0.1:3000',
    budget: { ownDailyShare: 0.1, pauseAtOrgShare: 0.8 },
    ...overrides,
  };
}
