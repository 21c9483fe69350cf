// Every Salesforce field, record type and permission set name the middleware relies on, in one place.
// The PRM_ custom fields come from the companion package in force-app/; the standard fields are
// Salesforce's own. test/metadata/fields.test.ts checks each entry against force-app (custom fields) or
// against recorded describe responses (standard fields), so a rename or a type change fails a test
// instead of a sync run. Types use the REST describe vocabulary; `length` is describe's maximum length
// in characters, which the writer can use to reject values Salesforce would refuse (STRING_TOO_LONG).

/** Field types in the vocabulary of `GET /sobjects/<Object>/describe` (`fields[].type`). */
export type SalesforceFieldType =
  | 'id'
  | 'boolean'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'datetime'
  | 'date'
  | 'url'
  | 'email'
  | 'phone'
  | 'reference'
  | 'currency'
  | 'double';

export interface SalesforceFieldSpec {
  /** API name exactly as describe spells it. */
  readonly name: string;
  readonly type: SalesforceFieldType;
  /** Maximum length in characters, for text-like types. */
  readonly length?: number;
  /** Not nillable and set by the caller on insert (Salesforce rejects a create without it). */
  readonly required?: true;
  /** External id usable as the upsert key. */
  readonly externalId?: true;
  /** The compound field this one belongs to (field-level security is granted on the compound). */
  readonly compoundField?: string;
  /** Picklist values the middleware writes or interprets, in display order. */
  readonly values?: readonly string[];
}

/** The prefix of every custom field the companion package deploys. */
export const PRM_FIELD_PREFIX = 'PRM_';

export const PARTNER_STATUS_VALUES = [
  'Reseller, Active',
  'Reseller, Prospective',
  'Reseller, Inactive',
  'Distributor, Active',
  'Distributor, Prospective',
  'Distributor, Inactive',
] as const;

export const DEAL_OWNER_TYPE_VALUES = ['Partner-Owned', 'Distributor-Owned'] as const;

// Shared shapes of the bookkeeping fields prm-sync writes on every record it links.
const PRM_ID = { name: 'PRM_Id__c', type: 'string', length: 36, externalId: true } as const;
const PRM_LAST_UPDATED = { name: 'PRM_Sys_LastUpdated__c', type: 'datetime' } as const;
const PRM_ENTITY_TYPE = { name: 'PRM_Sys_EntityType__c', type: 'string', length: 255 } as const;
const PRM_URL = { name: 'PRM_Sys_URL__c', type: 'url', length: 255 } as const;

// System fields every synced object has; the incremental pull filters and orders on them.
const SYSTEM_FIELDS = {
  id: { name: 'Id', type: 'id', length: 18 },
  isDeleted: { name: 'IsDeleted', type: 'boolean' },
  systemModstamp: { name: 'SystemModstamp', type: 'datetime' },
} as const;

export const ACCOUNT_FIELDS = {
  ...SYSTEM_FIELDS,
  name: { name: 'Name', type: 'string', length: 255, required: true },
  website: { name: 'Website', type: 'url', length: 255 },
  phone: { name: 'Phone', type: 'phone', length: 40 },
  billingStreet: { name: 'BillingStreet', type: 'textarea', length: 255, compoundField: 'BillingAddress' },
  billingCity: { name: 'BillingCity', type: 'string', length: 40, compoundField: 'BillingAddress' },
  billingState: { name: 'BillingState', type: 'string', length: 80, compoundField: 'BillingAddress' },
  billingPostalCode: { name: 'BillingPostalCode', type: 'string', length: 20, compoundField: 'BillingAddress' },
  billingCountry: { name: 'BillingCountry', type: 'string', length: 80, compoundField: 'BillingAddress' },
  recordTypeId: { name: 'RecordTypeId', type: 'reference', length: 18 },
  syncFlag: { name: 'PRM_Sync__c', type: 'boolean' },
  partnerStatus: { name: 'PRM_Partner_Status__c', type: 'picklist', values: PARTNER_STATUS_VALUES },
  prmId: PRM_ID,
  lastUpdated: PRM_LAST_UPDATED,
  entityType: PRM_ENTITY_TYPE,
  prmUrl: PRM_URL,
} as const satisfies Record<string, SalesforceFieldSpec>;

export const CONTACT_FIELDS = {
  ...SYSTEM_FIELDS,
  accountId: { name: 'AccountId', type: 'reference', length: 18 },
  firstName: { name: 'FirstName', type: 'string', length: 40, compoundField: 'Name' },
  lastName: { name: 'LastName', type: 'string', length: 80, required: true, compoundField: 'Name' },
  email: { name: 'Email', type: 'email', length: 80 },
  phone: { name: 'Phone', type: 'phone', length: 40 },
  title: { name: 'Title', type: 'string', length: 128 },
  recordTypeId: { name: 'RecordTypeId', type: 'reference', length: 18 },
  syncFlag: { name: 'PRM_Sync__c', type: 'boolean' },
  prmId: PRM_ID,
  lastUpdated: PRM_LAST_UPDATED,
  entityType: PRM_ENTITY_TYPE,
  prmUrl: PRM_URL,
} as const satisfies Record<string, SalesforceFieldSpec>;

export const OPPORTUNITY_FIELDS = {
  ...SYSTEM_FIELDS,
  name: { name: 'Name', type: 'string', length: 120, required: true },
  stageName: { name: 'StageName', type: 'picklist', required: true },
  amount: { name: 'Amount', type: 'currency' },
  closeDate: { name: 'CloseDate', type: 'date', required: true },
  accountId: { name: 'AccountId', type: 'reference', length: 18 },
  syncFlag: { name: 'PRM_Sync__c', type: 'boolean' },
  exportDeal: { name: 'PRM_Export_Deal__c', type: 'boolean' },
  partnerEmail: { name: 'PRM_Partner_Email__c', type: 'email', length: 80 },
  distributorEmail: { name: 'PRM_Distributor_Email__c', type: 'email', length: 80 },
  dealOwnerType: { name: 'PRM_Deal_Owner_Type__c', type: 'picklist', values: DEAL_OWNER_TYPE_VALUES },
  dealId: { name: 'PRM_Deal_Id__c', type: 'string', length: 36, externalId: true },
  prmUrl: PRM_URL,
  lastUpdated: PRM_LAST_UPDATED,
} as const satisfies Record<string, SalesforceFieldSpec>;

export const OPPORTUNITY_CONTACT_ROLE_FIELDS = {
  ...SYSTEM_FIELDS,
  opportunityId: { name: 'OpportunityId', type: 'reference', length: 18, required: true },
  contactId: { name: 'ContactId', type: 'reference', length: 18, required: true },
  isPrimary: { name: 'IsPrimary', type: 'boolean' },
  role: { name: 'Role', type: 'picklist' },
} as const satisfies Record<string, SalesforceFieldSpec>;

/** Every object the middleware reads or writes, with the fields it uses. */
export const SALESFORCE_FIELDS = {
  Account: ACCOUNT_FIELDS,
  Contact: CONTACT_FIELDS,
  Opportunity: OPPORTUNITY_FIELDS,
  OpportunityContactRole: OPPORTUNITY_CONTACT_ROLE_FIELDS,
} as const;

export type SalesforceObjectName = keyof typeof SALESFORCE_FIELDS;

/** Record types from the companion package that new records get by default (DeveloperName). */
export const RECORD_TYPES = {
  partnerAccount: { object: 'Account', developerName: 'Partner_Account' },
  distributorAccount: { object: 'Account', developerName: 'Distributor_Account' },
  partnerContact: { object: 'Contact', developerName: 'Partner_Contact' },
} as const;

/** Permission sets from the companion package. */
export const PERMISSION_SETS = {
  integration: 'PRM_Integration',
  admin: 'PRM_Admin',
} as const;

/** Every field spec of one object, as a list. */
export function fieldsOf(object: SalesforceObjectName): readonly SalesforceFieldSpec[] {
  return Object.values(SALESFORCE_FIELDS[object]) as readonly SalesforceFieldSpec[];
}

/** The API names of one object's fields, e.g. for a SOQL SELECT list. */
export function fieldNamesOf(object: SalesforceObjectName): string[] {
  return fieldsOf(object).map((field) => field.name);
}

export function isPrmCustomField(fieldName: string): boolean {
  return fieldName.startsWith(PRM_FIELD_PREFIX) && fieldName.endsWith('__c');
}
