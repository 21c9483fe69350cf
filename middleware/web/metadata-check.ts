// The metadata check (before the wizard and after any change in Salesforce): is every field and record
// type the settings rely on present in the org, as the integration user sees it? Missing pieces come with
// the one command that deploys them. Pure: describes in, findings out.
import { ACCOUNT_FIELDS, CONTACT_FIELDS, OPPORTUNITY_FIELDS, PERMISSION_SETS } from '../salesforce/fields.ts';
import type { Describes } from '../settings/describe.ts';
import { SALESFORCE_OBJECT, SYNCED_OBJECTS, type IntegrationSettings } from '../settings/model.ts';

export interface MetadataFinding {
  object: string;
  kind: 'field' | 'record type' | 'permission set';
  name: string;
  /** Why the settings need it. */
  purpose: string;
  status: 'present' | 'missing' | 'unknown';
  detail?: string;
}

export const DEPLOY_COMMAND = 'sf project deploy start --source-dir force-app --target-org <alias>';
export const ASSIGN_COMMAND = `sf org assign permset --name ${PERMISSION_SETS.integration} --target-org <alias> --on-behalf-of <integration user>`;

const BOOKKEEPING: Record<'Account' | 'Contact' | 'Opportunity', string[]> = {
  Account: [ACCOUNT_FIELDS.prmId.name, ACCOUNT_FIELDS.lastUpdated.name, ACCOUNT_FIELDS.entityType.name, ACCOUNT_FIELDS.prmUrl.name],
  Contact: [CONTACT_FIELDS.prmId.name, CONTACT_FIELDS.lastUpdated.name, CONTACT_FIELDS.entityType.name, CONTACT_FIELDS.prmUrl.name],
  Opportunity: [OPPORTUNITY_FIELDS.dealId.name, OPPORTUNITY_FIELDS.prmUrl.name, OPPORTUNITY_FIELDS.lastUpdated.name, OPPORTUNITY_FIELDS.partnerEmail.name, OPPORTUNITY_FIELDS.distributorEmail.name, OPPORTUNITY_FIELDS.dealOwnerType.name],
};

/** Every Salesforce name the settings need, per object, with the reason. */
export function requiredMetadata(settings: IntegrationSettings): MetadataFinding[] {
  const needed = new Map<string, MetadataFinding>();
  const add = (object: string, kind: MetadataFinding['kind'], name: string, purpose: string) => {
    const key = `${object}|${kind}|${name}`;
    if (!needed.has(key)) needed.set(key, { object, kind, name, purpose, status: 'unknown' });
  };
  for (const object of SYNCED_OBJECTS) {
    const section = settings[object];
    if (section.direction === 'disabled') continue;
    const sfObject = SALESFORCE_OBJECT[object];
    for (const name of BOOKKEEPING[sfObject]) add(sfObject, 'field', name, 'prm-sync bookkeeping (companion package)');
    for (const mapping of section.mappings) add(sfObject, 'field', mapping.sfField, `mapped to ${mapping.prmField}`);
  }
  if (settings.organizations.direction !== 'disabled') {
    add('Account', 'field', settings.organizations.syncFlagField, 'sync flag');
    add('Account', 'field', settings.organizations.statusField, 'partner status picklist');
    for (const type of [settings.organizations.recordTypes.partner, settings.organizations.recordTypes.distributor]) if (type) add('Account', 'record type', type, 'record type of new accounts');
  }
  if (settings.contacts.direction !== 'disabled') {
    if (settings.contacts.syncFlagField) add('Contact', 'field', settings.contacts.syncFlagField, 'contact opt-out flag');
    if (settings.contacts.recordType) add('Contact', 'record type', settings.contacts.recordType, 'record type of new contacts');
  }
  if (settings.deals.direction !== 'disabled') {
    add('Opportunity', 'field', settings.deals.syncFlagField, 'sync flag');
    add('Opportunity', 'field', settings.deals.exportFlagField, 'export flag');
  }
  return [...needed.values()];
}

/** The required metadata checked against the describes (exact, case-sensitive API names). */
export function checkMetadata(settings: IntegrationSettings, describes: Describes, permissionSets: ReadonlySet<string> | null): MetadataFinding[] {
  const findings = requiredMetadata(settings).map((finding): MetadataFinding => {
    const describe = describes[finding.object];
    if (!describe) return { ...finding, status: 'missing', detail: `the integration user cannot describe ${finding.object}` };
    if (finding.kind === 'field') {
      const exact = describe.fields.some((field) => field.name === finding.name);
      const other = describe.fields.find((field) => field.name.toLowerCase() === finding.name.toLowerCase());
      if (exact) return { ...finding, status: 'present' };
      return { ...finding, status: 'missing', detail: other ? `Salesforce spells it ${other.name}` : 'not in describe (not deployed, or hidden by field-level security)' };
    }
    const found = (describe.recordTypeInfos ?? []).find((info) => info.developerName === finding.name);
    if (!found) return { ...finding, status: 'missing', detail: 'no such record type' };
    return found.available === false ? { ...finding, status: 'missing', detail: 'not available to the integration user' } : { ...finding, status: 'present' };
  });
  for (const name of [PERMISSION_SETS.integration, PERMISSION_SETS.admin]) {
    findings.push({
      object: 'Setup',
      kind: 'permission set',
      name,
      purpose: name === PERMISSION_SETS.integration ? 'field access for the integration user' : 'field access for Salesforce admins',
      status: permissionSets === null ? 'unknown' : permissionSets.has(name) ? 'present' : 'missing',
      detail: permissionSets === null ? 'could not be queried' : undefined,
    });
  }
  return findings;
}
