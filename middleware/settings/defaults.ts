// The settings a fresh installation starts with: the companion package's fields (middleware/salesforce/
// fields.ts), every standard field mapped both ways for organizations and contacts, opportunities imported
// one way, and the PRM_ bookkeeping fields written to Salesforce.
import { ACCOUNT_FIELDS, CONTACT_FIELDS, OPPORTUNITY_FIELDS, PARTNER_STATUS_VALUES, RECORD_TYPES } from '../salesforce/fields.ts';
import type { FieldMapping, IntegrationSettings } from './model.ts';

const both = (prmField: string, sfField: string): FieldMapping => ({ prmField, sfField, direction: 'both', firstSyncOnly: false });
const toSalesforce = (prmField: string, sfField: string): FieldMapping => ({ prmField, sfField, direction: 'to_salesforce', firstSyncOnly: false });
const toPrm = (prmField: string, sfField: string): FieldMapping => ({ prmField, sfField, direction: 'to_prm', firstSyncOnly: false });

/** What prm-sync writes on every linked Account/Contact: its id (the upsert key), a link back, the status text and time. */
function bookkeeping(fields: typeof ACCOUNT_FIELDS | typeof CONTACT_FIELDS): FieldMapping[] {
  return [
    toSalesforce('id', fields.prmId.name),
    toSalesforce('record_url', fields.prmUrl.name),
    toSalesforce('entity_type', fields.entityType.name),
    toSalesforce('last_synced_at', fields.lastUpdated.name),
  ];
}

const [resellerActive, resellerProspective, resellerInactive, distributorActive, distributorProspective, distributorInactive] = PARTNER_STATUS_VALUES;

export function defaultSettings(): IntegrationSettings {
  return {
    enabled: true,
    organizations: {
      direction: 'push_and_pull',
      masterSystem: 'salesforce',
      conflictPolicy: 'master_system',
      syncFlagField: ACCOUNT_FIELDS.syncFlag.name,
      statusField: ACCOUNT_FIELDS.partnerStatus.name,
      statusValues: {
        partner: { active: resellerActive, prospective: resellerProspective, inactive: resellerInactive },
        distributor: { active: distributorActive, prospective: distributorProspective, inactive: distributorInactive },
      },
      includeProspective: true,
      includeInactive: false,
      recordTypes: { partner: RECORD_TYPES.partnerAccount.developerName, distributor: RECORD_TYPES.distributorAccount.developerName },
      mappings: [
        both('name', ACCOUNT_FIELDS.name.name),
        both('website', ACCOUNT_FIELDS.website.name),
        both('phone', ACCOUNT_FIELDS.phone.name),
        both('billing_street', ACCOUNT_FIELDS.billingStreet.name),
        both('billing_city', ACCOUNT_FIELDS.billingCity.name),
        both('billing_state', ACCOUNT_FIELDS.billingState.name),
        both('billing_postal_code', ACCOUNT_FIELDS.billingPostalCode.name),
        both('billing_country', ACCOUNT_FIELDS.billingCountry.name),
        ...bookkeeping(ACCOUNT_FIELDS),
      ],
    },
    contacts: {
      direction: 'push_and_pull',
      masterSystem: 'salesforce',
      conflictPolicy: 'master_system',
      syncFlagField: CONTACT_FIELDS.syncFlag.name,
      recordType: RECORD_TYPES.partnerContact.developerName,
      mappings: [
        both('first_name', CONTACT_FIELDS.firstName.name),
        both('last_name', CONTACT_FIELDS.lastName.name),
        both('email', CONTACT_FIELDS.email.name),
        both('phone', CONTACT_FIELDS.phone.name),
        both('title', CONTACT_FIELDS.title.name),
        ...bookkeeping(CONTACT_FIELDS),
      ],
    },
    deals: {
      direction: 'pull',
      masterSystem: 'salesforce',
      conflictPolicy: 'master_system',
      syncFlagField: OPPORTUNITY_FIELDS.syncFlag.name,
      exportFlagField: OPPORTUNITY_FIELDS.exportDeal.name,
      mappings: [
        toPrm('name', OPPORTUNITY_FIELDS.name.name),
        toPrm('stage', OPPORTUNITY_FIELDS.stageName.name),
        toPrm('amount', OPPORTUNITY_FIELDS.amount.name),
        toPrm('close_date', OPPORTUNITY_FIELDS.closeDate.name),
        toSalesforce('id', OPPORTUNITY_FIELDS.dealId.name),
        toSalesforce('record_url', OPPORTUNITY_FIELDS.prmUrl.name),
        toSalesforce('last_synced_at', OPPORTUNITY_FIELDS.lastUpdated.name),
      ],
    },
    schedules: { incrementalSync: 5, fullReconcile: 'hourly', dealImport: 'hourly' },
  };
}
