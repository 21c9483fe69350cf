// What the product specification (§2, "The Salesforce side") says the companion package deploys, as data.
// checkPackageSpec compares force-app against it, so a field that drifts from the spec (a lost External
// ID flag, a changed length, a missing picklist value) fails validation.
import { DEAL_OWNER_TYPE_VALUES, PARTNER_STATUS_VALUES, PERMISSION_SETS, RECORD_TYPES } from '../../middleware/salesforce/fields.ts';

export interface SpecField {
  readonly object: string;
  readonly name: string;
  /** Metadata API field type. */
  readonly type: string;
  readonly length?: number;
  /** External ID + Unique + case-insensitive: the upsert key. */
  readonly key?: true;
  readonly defaultValue?: 'true' | 'false';
  /** Restricted picklist with exactly these values, in this order. */
  readonly picklist?: { readonly values: readonly string[]; readonly defaultValue?: string };
}

export interface SpecRecordType {
  readonly object: string;
  readonly name: string;
  /** Picklist values the record type offers, per picklist field. */
  readonly picklists?: Readonly<Record<string, readonly string[]>>;
}

const bookkeeping = (object: string): SpecField[] => [
  { object, name: 'PRM_Id__c', type: 'Text', length: 36, key: true },
  { object, name: 'PRM_Sys_LastUpdated__c', type: 'DateTime' },
  { object, name: 'PRM_Sys_EntityType__c', type: 'Text', length: 255 },
  { object, name: 'PRM_Sys_URL__c', type: 'Url' },
];

export const SPEC_FIELDS: readonly SpecField[] = [
  { object: 'Account', name: 'PRM_Sync__c', type: 'Checkbox', defaultValue: 'false' },
  { object: 'Account', name: 'PRM_Partner_Status__c', type: 'Picklist', picklist: { values: PARTNER_STATUS_VALUES } },
  ...bookkeeping('Account'),
  // Contacts of a synced account sync unless opted out, so the contact flag starts checked.
  { object: 'Contact', name: 'PRM_Sync__c', type: 'Checkbox', defaultValue: 'true' },
  ...bookkeeping('Contact'),
  { object: 'Opportunity', name: 'PRM_Sync__c', type: 'Checkbox', defaultValue: 'false' },
  { object: 'Opportunity', name: 'PRM_Export_Deal__c', type: 'Checkbox', defaultValue: 'false' },
  { object: 'Opportunity', name: 'PRM_Partner_Email__c', type: 'Email' },
  { object: 'Opportunity', name: 'PRM_Distributor_Email__c', type: 'Email' },
  {
    object: 'Opportunity',
    name: 'PRM_Deal_Owner_Type__c',
    type: 'Picklist',
    picklist: { values: DEAL_OWNER_TYPE_VALUES, defaultValue: 'Partner-Owned' },
  },
  { object: 'Opportunity', name: 'PRM_Deal_Id__c', type: 'Text', length: 36, key: true },
  { object: 'Opportunity', name: 'PRM_Sys_URL__c', type: 'Url' },
  { object: 'Opportunity', name: 'PRM_Sys_LastUpdated__c', type: 'DateTime' },
];

const resellerValues = PARTNER_STATUS_VALUES.filter((value) => value.startsWith('Reseller'));
const distributorValues = PARTNER_STATUS_VALUES.filter((value) => value.startsWith('Distributor'));

export const SPEC_RECORD_TYPES: readonly SpecRecordType[] = [
  { ...recordType(RECORD_TYPES.partnerAccount), picklists: { PRM_Partner_Status__c: resellerValues } },
  { ...recordType(RECORD_TYPES.distributorAccount), picklists: { PRM_Partner_Status__c: distributorValues } },
  recordType(RECORD_TYPES.partnerContact),
];

export const SPEC_PERMISSION_SETS: readonly string[] = [PERMISSION_SETS.integration, PERMISSION_SETS.admin];

function recordType(ref: { readonly object: string; readonly developerName: string }): SpecRecordType {
  return { object: ref.object, name: ref.developerName };
}
