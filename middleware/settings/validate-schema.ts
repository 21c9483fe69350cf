// Settings checked against the Salesforce schema (describe results): every named field exists with this
// exact API name, has a compatible type, can be written where values flow to Salesforce, and every
// picklist value named exists — compared case-sensitively, as Salesforce does. Pure: describes come in.
import { OPPORTUNITY_FIELDS } from '../salesforce/fields.ts';
import type { DescribeField, Describes, SObjectDescribe } from './describe.ts';
import { SALESFORCE_OBJECT, SYNCED_OBJECTS, type FieldMapping, type IntegrationSettings, type SyncedObject } from './model.ts';
import { COMPATIBLE_SF_TYPES, prmField } from './prm-fields.ts';
import type { SettingsProblem, SettingsValidation } from './problems.ts';
import { flowsToPrm, flowsToSalesforce } from './validate-rules.ts';

const PICKLIST_TYPES = ['picklist', 'multipicklist', 'combobox'];

/** The describe facts about one object, with lookups that tell "missing" from "spelled differently". */
class ObjectSchema {
  private readonly byName = new Map<string, DescribeField>();
  private readonly byLowerName = new Map<string, DescribeField>();

  constructor(readonly describe: SObjectDescribe) {
    for (const field of describe.fields) {
      this.byName.set(field.name, field);
      this.byLowerName.set(field.name.toLowerCase(), field);
    }
  }

  get name(): string {
    return this.describe.name;
  }

  /** The field, or the problem with naming it. */
  field(path: string, name: string): DescribeField | SettingsProblem {
    const field = this.byName.get(name);
    if (field) return field;
    const differentCase = this.byLowerName.get(name.toLowerCase());
    if (differentCase) {
      return { path, code: 'FIELD_CASE_MISMATCH', message: `${path}: '${name}' differs only in case from the Salesforce field ${this.name}.${differentCase.name}; API names must be spelled exactly.` };
    }
    return {
      path,
      code: 'FIELD_MISSING',
      message: `${path}: ${this.name} has no field '${name}'. Deploy the companion package (or create the field), and check that the integration user's permission set can see it.`,
    };
  }
}

const isProblem = (value: DescribeField | SettingsProblem): value is SettingsProblem => 'code' in value;

/** Where the picklist value stands: present, present in another case, inactive, or absent. */
export function picklistProblem(path: string, objectName: string, field: DescribeField, value: string): SettingsProblem | null {
  const values = field.picklistValues ?? [];
  const exact = values.find((entry) => entry.value === value);
  if (exact?.active) return null;
  if (exact) return { path, code: 'PICKLIST_VALUE_INACTIVE', message: `${path}: '${value}' is an inactive value of ${objectName}.${field.name}; activate it in Salesforce or choose an active value.` };
  const caseVariant = values.find((entry) => entry.value.toLowerCase() === value.toLowerCase());
  if (caseVariant) {
    return {
      path,
      code: 'PICKLIST_VALUE_CASE',
      message: `${path}: '${value}' differs only in case from the Salesforce value '${caseVariant.value}'; picklist values are case-sensitive.`,
    };
  }
  const active = values.filter((entry) => entry.active).map((entry) => `'${entry.value}'`);
  return {
    path,
    code: 'PICKLIST_VALUE_MISSING',
    message: `${path}: '${value}' is not a value of ${objectName}.${field.name}${active.length > 0 ? `; its values are ${active.join(', ')}` : ''}.`,
  };
}

export function validateSettingsAgainstSchema(settings: IntegrationSettings, describes: Describes): SettingsValidation {
  const result: SettingsValidation = { problems: [], warnings: [] };
  for (const object of SYNCED_OBJECTS) {
    const section = settings[object];
    if (section.direction === 'disabled') continue;
    const objectName = SALESFORCE_OBJECT[object];
    const describe = describes[objectName];
    if (!describe) {
      result.problems.push({ path: object, code: 'OBJECT_NOT_DESCRIBED', message: `${object}: Salesforce returned no describe for ${objectName}; the integration user needs access to ${objectName}.` });
      continue;
    }
    const schema = new ObjectSchema(describe);
    const pushes = section.direction === 'push_and_pull' || section.direction === 'push';
    const pulls = section.direction === 'push_and_pull' || section.direction === 'pull';
    section.mappings.forEach((mapping, index) => checkMapping(result, schema, object, `${object}.mappings[${index}]`, mapping, pushes, pulls));
    if (pushes) checkRequiredSalesforceFields(result, schema, object, section.mappings);
  }
  checkOrganizationSelection(result, settings, describes.Account);
  checkContactSelection(result, settings, describes.Contact);
  checkDealSelection(result, settings, describes.Opportunity);
  return result;
}

function checkMapping(result: SettingsValidation, schema: ObjectSchema, object: SyncedObject, at: string, mapping: FieldMapping, objectPushes: boolean, objectPulls: boolean): void {
  const field = schema.field(`${at}.sfField`, mapping.sfField);
  if (isProblem(field)) {
    result.problems.push(field);
    return;
  }
  const spec = prmField(object, mapping.prmField);
  if (!spec) return; // reported by checkSettingsRules
  const sfName = `${schema.name}.${field.name}`;
  const compatible = COMPATIBLE_SF_TYPES[spec.type];
  if (!compatible.includes(field.type)) {
    result.problems.push({
      path: `${at}.sfField`,
      code: 'TYPE_MISMATCH',
      message: `${at}.sfField: the PRM field '${mapping.prmField}' is ${spec.type === 'custom' ? 'a custom field' : spec.type}, but ${sfName} is a ${field.type} field; ${spec.type} maps to ${compatible.join(', ')}.`,
    });
    return;
  }
  const writes = objectPushes && flowsToSalesforce(mapping);
  if (writes && !field.updateable && !(mapping.firstSyncOnly && field.createable)) {
    result.problems.push({
      path: `${at}.direction`,
      code: 'NOT_UPDATEABLE',
      message: `${at}.direction: ${sfName} is not updateable by the integration user, so values cannot flow to Salesforce (direction '${mapping.direction}'); use 'to_prm', or grant edit access to the field.`,
    });
  }
  if (writes && mapping.prmField === 'id' && !(field.externalId || field.idLookup)) {
    result.problems.push({ path: `${at}.sfField`, code: 'NOT_EXTERNAL_ID', message: `${at}.sfField: ${sfName} is not an External ID field; the PRM id must go to one (PRM_Id__c) so upserts can find the record.` });
  }
  if (writes && spec.maxLength && field.length && spec.maxLength > field.length && !PICKLIST_TYPES.includes(field.type)) {
    result.warnings.push({
      path: `${at}.sfField`,
      code: 'TRUNCATION_RISK',
      message: `${at}.sfField: the PRM allows ${spec.maxLength} characters in '${mapping.prmField}', ${sfName} holds ${field.length}; Salesforce refuses longer values (STRING_TOO_LONG) and the record is logged.`,
    });
  }
  // The other way round: the sync leaves a Salesforce value the PRM column cannot hold out (VALUE_TOO_LONG).
  if (objectPulls && flowsToPrm(mapping) && !spec.readOnly && spec.maxLength && field.length && field.length > spec.maxLength && !PICKLIST_TYPES.includes(field.type)) {
    result.warnings.push({
      path: `${at}.sfField`,
      code: 'PRM_FIELD_SHORTER',
      message: `${at}.sfField: ${sfName} holds ${field.length} characters, the PRM's '${mapping.prmField}' ${spec.maxLength}; longer Salesforce values are not taken, and each such record is logged (VALUE_TOO_LONG).`,
    });
  }
  if (PICKLIST_TYPES.includes(field.type)) checkPicklistMapping(result, schema.name, field, at, mapping, spec.values);
}

function checkPicklistMapping(result: SettingsValidation, objectName: string, field: DescribeField, at: string, mapping: FieldMapping, prmValues: readonly string[] | undefined): void {
  if (!mapping.valueMap) {
    if (prmValues) {
      result.problems.push({
        path: `${at}.valueMap`,
        code: 'VALUE_MAP_REQUIRED',
        message: `${at}.valueMap: '${mapping.prmField}' has the values ${prmValues.join(', ')} and ${objectName}.${field.name} is a picklist; map each PRM value to a picklist value.`,
      });
    }
    return;
  }
  mapping.valueMap.forEach((entry, index) => {
    const problem = picklistProblem(`${at}.valueMap[${index}].sf`, objectName, field, entry.sf);
    if (problem) result.problems.push(problem);
  });
  if (flowsToPrm(mapping)) {
    const mapped = new Set(mapping.valueMap.map((entry) => entry.sf));
    const unmapped = (field.picklistValues ?? []).filter((entry) => entry.active && !mapped.has(entry.value)).map((entry) => `'${entry.value}'`);
    if (unmapped.length > 0) {
      result.warnings.push({
        path: `${at}.valueMap`,
        code: 'PICKLIST_VALUES_UNMAPPED',
        message: `${at}.valueMap: ${objectName}.${field.name} values ${unmapped.join(', ')} have no PRM value; records carrying them keep their PRM value and are logged.`,
      });
    }
  }
}

/** Creating records in Salesforce needs every field it requires on insert. */
function checkRequiredSalesforceFields(result: SettingsValidation, schema: ObjectSchema, object: SyncedObject, mappings: readonly FieldMapping[]): void {
  const written = new Set(mappings.filter(flowsToSalesforce).map((mapping) => mapping.sfField));
  for (const field of schema.describe.fields) {
    if (!field.createable || field.nillable || field.defaultedOnCreate || field.type === 'boolean') continue;
    if (written.has(field.name)) continue;
    result.problems.push({
      path: `${object}.mappings`,
      code: 'REQUIRED_FIELD_UNMAPPED',
      message: `${object}.mappings: ${schema.name}.${field.name} is required to create records in Salesforce; map a PRM field to it with direction 'both' or 'to_salesforce'.`,
    });
  }
}

function checkFlagField(result: SettingsValidation, schema: ObjectSchema, path: string, name: string, mustWrite: boolean): void {
  const field = schema.field(path, name);
  if (isProblem(field)) {
    result.problems.push(field);
    return;
  }
  if (field.type !== 'boolean') {
    result.problems.push({ path, code: 'TYPE_MISMATCH', message: `${path}: ${schema.name}.${field.name} is a ${field.type} field; the sync flag must be a checkbox (boolean).` });
  } else if (mustWrite && !field.updateable) {
    result.problems.push({ path, code: 'NOT_UPDATEABLE', message: `${path}: ${schema.name}.${field.name} is not updateable by the integration user, but prm-sync sets it on the records it creates and clears it on deletion.` });
  }
}

function checkRecordType(result: SettingsValidation, describe: SObjectDescribe, path: string, developerName: string | null): void {
  if (developerName === null) return;
  const infos = describe.recordTypeInfos ?? [];
  const match = infos.find((info) => (info.developerName ?? info.name) === developerName);
  if (!match) {
    const differentCase = infos.find((info) => (info.developerName ?? info.name).toLowerCase() === developerName.toLowerCase());
    const names = infos.filter((info) => !info.master).map((info) => `'${info.developerName ?? info.name}'`);
    result.problems.push({
      path,
      code: 'RECORD_TYPE_MISSING',
      message: differentCase
        ? `${path}: '${developerName}' differs only in case from the ${describe.name} record type '${differentCase.developerName ?? differentCase.name}'; record type names are case-sensitive.`
        : `${path}: ${describe.name} has no record type '${developerName}'${names.length > 0 ? ` (it has ${names.join(', ')})` : ''}; deploy the companion package or choose another.`,
    });
  } else if (match.active === false || match.available === false) {
    result.problems.push({ path, code: 'RECORD_TYPE_UNAVAILABLE', message: `${path}: the ${describe.name} record type '${developerName}' is inactive or not available to the integration user's profile.` });
  }
}

function checkOrganizationSelection(result: SettingsValidation, settings: IntegrationSettings, describe: SObjectDescribe | undefined): void {
  const section = settings.organizations;
  if (section.direction === 'disabled' || !describe) return;
  const schema = new ObjectSchema(describe);
  const pushes = section.direction !== 'pull';
  checkFlagField(result, schema, 'organizations.syncFlagField', section.syncFlagField, pushes);
  const statusField = schema.field('organizations.statusField', section.statusField);
  if (isProblem(statusField)) result.problems.push(statusField);
  else if (statusField.type !== 'picklist') {
    result.problems.push({ path: 'organizations.statusField', code: 'TYPE_MISMATCH', message: `organizations.statusField: ${schema.name}.${statusField.name} is a ${statusField.type} field; the partner status must be a picklist.` });
  } else {
    if (pushes && !statusField.updateable) {
      result.problems.push({ path: 'organizations.statusField', code: 'NOT_UPDATEABLE', message: `organizations.statusField: ${schema.name}.${statusField.name} is not updateable by the integration user.` });
    }
    const statuses = ['active', ...(section.includeProspective ? ['prospective'] : []), ...(section.includeInactive ? ['inactive'] : [])] as const;
    for (const kind of ['partner', 'distributor'] as const) {
      for (const status of statuses as readonly ('active' | 'prospective' | 'inactive')[]) {
        const problem = picklistProblem(`organizations.statusValues.${kind}.${status}`, schema.name, statusField, section.statusValues[kind][status]);
        if (problem) result.problems.push(problem);
      }
    }
  }
  if (pushes) {
    checkRecordType(result, describe, 'organizations.recordTypes.partner', section.recordTypes.partner);
    checkRecordType(result, describe, 'organizations.recordTypes.distributor', section.recordTypes.distributor);
  }
}

function checkContactSelection(result: SettingsValidation, settings: IntegrationSettings, describe: SObjectDescribe | undefined): void {
  const section = settings.contacts;
  if (section.direction === 'disabled' || !describe) return;
  const schema = new ObjectSchema(describe);
  const pushes = section.direction !== 'pull';
  if (section.syncFlagField !== null) checkFlagField(result, schema, 'contacts.syncFlagField', section.syncFlagField, pushes);
  if (pushes) checkRecordType(result, describe, 'contacts.recordType', section.recordType);
}

/** The import reads the flags and the companion package's email and owner-type fields. */
function checkDealSelection(result: SettingsValidation, settings: IntegrationSettings, describe: SObjectDescribe | undefined): void {
  const section = settings.deals;
  if (section.direction === 'disabled' || !describe) return;
  const schema = new ObjectSchema(describe);
  checkFlagField(result, schema, 'deals.syncFlagField', section.syncFlagField, false);
  checkFlagField(result, schema, 'deals.exportFlagField', section.exportFlagField, false);
  for (const spec of [OPPORTUNITY_FIELDS.partnerEmail, OPPORTUNITY_FIELDS.distributorEmail, OPPORTUNITY_FIELDS.dealOwnerType]) {
    const field = schema.field('deals', spec.name);
    if (isProblem(field)) result.problems.push(field);
  }
}
