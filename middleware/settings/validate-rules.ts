// Settings checks that need no Salesforce: the document's shape (TypeBox), and the rules between its
// parts — known PRM fields, read-only fields, duplicate mappings, unambiguous status values, required
// PRM fields for imported deals. Pure.
import type { FastifySchemaValidationError } from 'fastify';
import { Compile } from 'typebox/compile';
import { readableErrors, unstorableStrings } from '../prm/api/validator.ts';
import { IntegrationSettings, SYNCED_OBJECTS, type FieldMapping, type SyncedObject } from './model.ts';
import { prmField, PRM_FIELDS } from './prm-fields.ts';
import { settingsPath, type SettingsProblem } from './problems.ts';

const shapeCheck = Compile(IntegrationSettings);

export const flowsToSalesforce = (mapping: FieldMapping) => mapping.direction !== 'to_prm';
export const flowsToPrm = (mapping: FieldMapping) => mapping.direction !== 'to_salesforce';

/** The settings document checked against the schema (and for text jsonb cannot store); problems name each offending path. */
export function checkSettingsShape(value: unknown): { settings?: IntegrationSettings; problems: SettingsProblem[] } {
  const valid = shapeCheck.Check(value);
  const errors = valid ? [] : readableErrors(shapeCheck.Errors(value) as unknown as Parameters<typeof readableErrors>[0]);
  errors.push(...unstorableStrings(value, ''));
  if (valid && errors.length === 0) return { settings: value as IntegrationSettings, problems: [] };
  return { problems: errors.map(toProblem) };
}

function toProblem(error: FastifySchemaValidationError): SettingsProblem {
  const params = error.params as Record<string, unknown>;
  const property = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const path = settingsPath(error.instancePath, property) || '(settings)';
  return { path, code: 'INVALID_VALUE', message: `${path}: ${error.message ?? 'is invalid'}` };
}

export function checkSettingsRules(settings: IntegrationSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const object of SYNCED_OBJECTS) problems.push(...checkMappings(object, settings[object].mappings));
  problems.push(...checkStatusValues(settings));
  problems.push(...checkRequiredPrmFields(settings));
  return problems;
}

function checkMappings(object: SyncedObject, mappings: readonly FieldMapping[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const seenSf = new Map<string, number>();
  const seenPrm = new Map<string, number>();
  mappings.forEach((mapping, index) => {
    const at = `${object}.mappings[${index}]`;
    const spec = prmField(object, mapping.prmField);
    if (!spec) {
      const known = PRM_FIELDS[object].map((field) => field.name).join(', ');
      problems.push({ path: `${at}.prmField`, code: 'PRM_FIELD_UNKNOWN', message: `${at}.prmField: the PRM has no ${object} field '${mapping.prmField}'; use one of ${known}, or custom.<name>.` });
    } else if (spec.readOnly && flowsToPrm(mapping)) {
      problems.push({
        path: `${at}.direction`,
        code: 'PRM_FIELD_READ_ONLY',
        message: `${at}.direction: the PRM field '${mapping.prmField}' is set by the PRM only, so it can only flow to Salesforce; use direction 'to_salesforce'.`,
      });
    }
    const sfKey = mapping.sfField.toLowerCase();
    const earlierSf = seenSf.get(sfKey);
    if (earlierSf !== undefined) {
      problems.push({ path: `${at}.sfField`, code: 'DUPLICATE_MAPPING', message: `${at}.sfField: ${mapping.sfField} is already mapped by ${object}.mappings[${earlierSf}]; map each Salesforce field once.` });
    } else seenSf.set(sfKey, index);
    if (flowsToPrm(mapping)) {
      const earlierPrm = seenPrm.get(mapping.prmField);
      if (earlierPrm !== undefined) {
        problems.push({
          path: `${at}.prmField`,
          code: 'DUPLICATE_MAPPING',
          message: `${at}.prmField: '${mapping.prmField}' already receives values from Salesforce through ${object}.mappings[${earlierPrm}]; only one mapping may write a PRM field.`,
        });
      } else seenPrm.set(mapping.prmField, index);
    }
    problems.push(...checkValueMap(at, mapping, spec?.values));
  });
  return problems;
}

function checkValueMap(at: string, mapping: FieldMapping, prmValues: readonly string[] | undefined): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (!mapping.valueMap) return problems;
  const prmSeen = new Set<string>();
  const sfSeen = new Set<string>();
  mapping.valueMap.forEach((entry, index) => {
    const path = `${at}.valueMap[${index}]`;
    if (prmValues && !prmValues.includes(entry.prm)) {
      const caseVariant = prmValues.find((value) => value.toLowerCase() === entry.prm.toLowerCase());
      problems.push(
        caseVariant
          ? { path: `${path}.prm`, code: 'PICKLIST_VALUE_CASE', message: `${path}.prm: '${entry.prm}' differs only in case from the PRM value '${caseVariant}'; values are case-sensitive.` }
          : { path: `${path}.prm`, code: 'PICKLIST_VALUE_MISSING', message: `${path}.prm: '${entry.prm}' is not a value of the PRM field '${mapping.prmField}' (${prmValues.join(', ')}).` },
      );
    }
    if (flowsToSalesforce(mapping) && prmSeen.has(entry.prm)) {
      problems.push({ path: `${path}.prm`, code: 'VALUE_MAP_DUPLICATE', message: `${path}.prm: '${entry.prm}' appears twice, so the value to send to Salesforce is ambiguous.` });
    }
    if (flowsToPrm(mapping) && sfSeen.has(entry.sf)) {
      problems.push({ path: `${path}.sf`, code: 'VALUE_MAP_DUPLICATE', message: `${path}.sf: '${entry.sf}' appears twice, so the value to bring into the PRM is ambiguous.` });
    }
    prmSeen.add(entry.prm);
    sfSeen.add(entry.sf);
  });
  return problems;
}

/** Each kind × status needs its own picklist value, or an Account's status could not be read back. */
function checkStatusValues(settings: IntegrationSettings): SettingsProblem[] {
  const owners = new Map<string, string>();
  const problems: SettingsProblem[] = [];
  for (const kind of ['partner', 'distributor'] as const) {
    for (const status of ['active', 'prospective', 'inactive'] as const) {
      const path = `organizations.statusValues.${kind}.${status}`;
      const value = settings.organizations.statusValues[kind][status];
      const owner = owners.get(value);
      if (owner) problems.push({ path, code: 'STATUS_VALUES_AMBIGUOUS', message: `${path}: '${value}' is also the value of ${owner}; each kind and status needs its own picklist value.` });
      else owners.set(value, path);
    }
  }
  return problems;
}

/** Imported deals must get every field the PRM requires; pushed records need the PRM id as upsert key. */
function checkRequiredPrmFields(settings: IntegrationSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (settings.deals.direction !== 'disabled') {
    for (const spec of PRM_FIELDS.deals.filter((field) => field.required)) {
      if (!settings.deals.mappings.some((mapping) => mapping.prmField === spec.name && flowsToPrm(mapping))) {
        problems.push({ path: 'deals.mappings', code: 'REQUIRED_FIELD_UNMAPPED', message: `deals.mappings: the deal field '${spec.name}' is required, so a Salesforce field must be mapped to it (direction 'to_prm' or 'both').` });
      }
    }
  }
  for (const object of ['organizations', 'contacts'] as const) {
    const direction = settings[object].direction;
    if (direction !== 'push_and_pull' && direction !== 'push') continue;
    if (!settings[object].mappings.some((mapping) => mapping.prmField === 'id' && flowsToSalesforce(mapping))) {
      problems.push({
        path: `${object}.mappings`,
        code: 'REQUIRED_FIELD_UNMAPPED',
        message: `${object}.mappings: the PRM id must be mapped to an external-id field (PRM_Id__c) with direction 'to_salesforce'; prm-sync upserts by it.`,
      });
    }
  }
  return problems;
}
