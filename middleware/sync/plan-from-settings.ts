// Resolves the admin's settings into the SyncPlan the engine runs on. The bookkeeping mappings (id,
// record URL, last-synced time) are written by the engine on every Salesforce write, so they are not
// merged; entity_type and the status picklist become computed fields.
import type { FieldMapping, IntegrationSettings } from '../settings/model.ts';
import { prmField } from '../settings/prm-fields.ts';
import { columnField, type FieldMap, type SfValueType } from './fields.ts';
import { contactEntityType, defaultSyncPlan, organizationEntityType, partnerStatusField, type SyncPlan } from './plan.ts';
import type { ConflictPolicy } from './strategy.ts';

const ENGINE_WRITTEN = new Set(['id', 'record_url', 'last_synced_at']);

const SF_TYPE_OF: Record<string, SfValueType> = { email: 'email', number: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime' };

function fieldFor(object: 'organizations' | 'contacts', mapping: FieldMapping): FieldMap | null {
  if (ENGINE_WRITTEN.has(mapping.prmField)) return null;
  if (mapping.prmField === 'entity_type') {
    return {
      key: 'entity_type',
      sfField: mapping.sfField,
      sfType: 'string',
      direction: 'to_salesforce',
      firstSyncOnly: mapping.firstSyncOnly,
      readPrm: object === 'organizations' ? (row) => organizationEntityType(row.kind, row.status) : (row) => contactEntityType(row.is_user),
      writePrm: () => ({}),
    };
  }
  const spec = prmField(object, mapping.prmField);
  return columnField(mapping.prmField, mapping.prmField, mapping.sfField, {
    sfType: SF_TYPE_OF[spec?.type ?? 'text'] ?? 'string',
    // Read-only PRM fields (kind, is_user, …) may only ever flow to Salesforce.
    direction: spec?.readOnly && mapping.direction !== 'to_salesforce' ? 'to_salesforce' : mapping.direction,
    firstSyncOnly: mapping.firstSyncOnly,
    valueMap: mapping.valueMap,
    maxLength: spec?.maxLength,
  });
}

function policyOf(settings: { masterSystem: 'salesforce' | 'prm'; conflictPolicy: 'master_system' | 'last_modified_wins' }): ConflictPolicy {
  return { kind: settings.conflictPolicy, master: settings.masterSystem };
}

export interface PlanEnvironment {
  wizardCompleted: boolean;
  publicUrl: string;
  bulkThreshold?: number;
}

export function syncPlanFromSettings(settings: IntegrationSettings, environment: PlanEnvironment): SyncPlan {
  const { organizations, contacts } = settings;
  const statusValues: Record<string, string> = {};
  for (const kind of ['partner', 'distributor'] as const) {
    for (const status of ['active', 'prospective', 'inactive'] as const) statusValues[`${kind}:${status}`] = organizations.statusValues[kind][status];
  }
  const organizationFields = [
    ...organizations.mappings.map((m) => fieldFor('organizations', m)).filter((f): f is FieldMap => f !== null),
    partnerStatusField(organizations.statusField, statusValues),
  ];
  const contactFields = contacts.mappings.map((m) => fieldFor('contacts', m)).filter((f): f is FieldMap => f !== null);
  return defaultSyncPlan({
    enabled: settings.enabled,
    wizardCompleted: environment.wizardCompleted,
    organizations: { object: 'organization', sfObject: 'Account', direction: organizations.direction, policy: policyOf(organizations), fields: organizationFields },
    contacts: { object: 'contact', sfObject: 'Contact', direction: contacts.direction, policy: policyOf(contacts), fields: contactFields },
    accountSyncFlagField: organizations.syncFlagField,
    contactSyncFlagField: contacts.syncFlagField,
    includeProspective: organizations.includeProspective,
    includeInactive: organizations.includeInactive,
    recordTypes: { partnerAccount: organizations.recordTypes.partner, distributorAccount: organizations.recordTypes.distributor, contact: contacts.recordType },
    bulkThreshold: environment.bulkThreshold ?? 2000,
    publicUrl: environment.publicUrl,
  });
}
