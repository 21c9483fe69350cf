// CustomField metadata → CustomFieldDefinition, with Salesforce's deploy-time checks. Pure: it takes the
// field as parsed XML (every leaf a string: mdapi `<fields>`, source-format `.field-meta.xml`) or as
// Tooling API JSON (`Metadata` with numbers and booleans) and returns the definition or the problems a
// real deploy would report. The metadata deploy, the Tooling API and a force-app loader share it.
import type { CustomFieldDefinition } from '../contracts.ts';

/** Every value of the Metadata API's FieldType enum; anything else is a parse error on Salesforce. */
export const SALESFORCE_FIELD_TYPES: ReadonlySet<string> = new Set([
  'AutoNumber', 'Lookup', 'MasterDetail', 'MetadataRelationship', 'Checkbox', 'Currency', 'Date', 'DateTime',
  'Email', 'EncryptedText', 'ExternalLookup', 'IndirectLookup', 'Number', 'Percent', 'Phone', 'Picklist',
  'MultiselectPicklist', 'Summary', 'Text', 'TextArea', 'LongTextArea', 'Url', 'Hierarchy', 'File', 'Html',
  'Location', 'Time', 'CustomDataType',
]);

/** The types the emulator's schema can represent; valid Salesforce types outside it fail loudly. */
export const EMULATED_FIELD_TYPES: ReadonlySet<string> = new Set([
  'Checkbox', 'Currency', 'Date', 'DateTime', 'Email', 'Number', 'Percent', 'Phone', 'Picklist',
  'MultiselectPicklist', 'Text', 'TextArea', 'LongTextArea', 'Html', 'Url', 'Time', 'Lookup', 'MasterDetail',
]);

const TYPES_WITHOUT_LENGTH = new Set(['Checkbox', 'Currency', 'Date', 'DateTime', 'Email', 'Number', 'Percent',
  'Phone', 'Picklist', 'MultiselectPicklist', 'TextArea', 'Url', 'Time', 'Lookup', 'MasterDetail']);
const RELATIONSHIP_TYPES = new Set(['Lookup', 'MasterDetail']);

/** A CustomFieldDefinition plus what relationship fields carry (the core's upsertCustomField reads both). */
export interface CustomFieldWithRelationship extends CustomFieldDefinition {
  referenceTo?: string;
  relationshipName?: string;
}
const NUMERIC_TYPES = new Set(['Number', 'Currency', 'Percent']);
const EXTERNAL_ID_TYPES = new Set(['Text', 'Number', 'Email']);
const UNIQUE_TYPES = new Set(['Text', 'Number', 'Email']);
const LONG_TEXT_TYPES = new Set(['LongTextArea', 'Html']);

/** Salesforce's wording for an API name that breaks its rules (fields, record types, permission sets). */
export const INVALID_DEVELOPER_NAME =
  'can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include ' +
  'spaces, not end with an underscore, and not contain two consecutive underscores.';

/** `Foo_Bar__c`: starts with a letter, no double underscore before the suffix, no trailing underscore. */
export function isCustomFieldName(name: string): boolean {
  return /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/.test(name) && !/_$/.test(name.slice(0, -3));
}

/** A developer name (record types, permission sets): same rules, without the `__c`. */
export function isDeveloperName(name: string): boolean {
  return /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(name) && !name.endsWith('_');
}

export type LooseMetadata = Record<string, unknown>;

export type FieldConversion =
  | { ok: true; field: CustomFieldWithRelationship }
  | { ok: false; problems: string[] };

/**
 * Converts and checks one CustomField. `fullName` is taken as given ("PRM_Id__c" inside an object file,
 * "Account.PRM_Id__c" from the Tooling API); the name rules apply to the part after the dot.
 */
export function customFieldFromMetadata(raw: LooseMetadata): FieldConversion {
  const problems: string[] = [];
  const fullName = text(raw.fullName);
  const type = text(raw.type);
  const fieldName = fullName?.includes('.') ? fullName.slice(fullName.indexOf('.') + 1) : fullName;

  if (!fullName) problems.push("Must specify 'fullName' for a CustomField");
  else if (!isCustomFieldName(fieldName ?? '')) problems.push(`The Field Name field ${INVALID_DEVELOPER_NAME}`);
  if (!type) return { ok: false, problems: [...problems, "Must specify 'type' for a CustomField"] };
  if (!SALESFORCE_FIELD_TYPES.has(type)) {
    return { ok: false, problems: [...problems, `Error parsing file: '${type}' is not a valid value for the enum 'FieldType'`] };
  }
  if (!EMULATED_FIELD_TYPES.has(type)) {
    return { ok: false, problems: [...problems, `The org emulator does not support CustomField type ${type}`] };
  }

  const label = text(raw.label);
  if (!label) problems.push(mustSpecify('label', type));
  else if (label.length > 40) problems.push(`The Field Label can't be longer than 40 characters: ${label}`);
  const length = integer(raw.length, 'length', problems);
  const precision = integer(raw.precision, 'precision', problems);
  const scale = integer(raw.scale, 'scale', problems);
  const visibleLines = integer(raw.visibleLines, 'visibleLines', problems);
  const externalId = flag(raw.externalId, 'externalId', problems);
  const unique = flag(raw.unique, 'unique', problems);
  const caseSensitive = flag(raw.caseSensitive, 'caseSensitive', problems);
  const required = flag(raw.required, 'required', problems);
  const defaultValue = text(raw.defaultValue);

  if (length !== undefined && TYPES_WITHOUT_LENGTH.has(type)) problems.push(cannotSpecify('length', type));
  if (type === 'Text') {
    if (length === undefined) problems.push(mustSpecify('length', type));
    else if (length < 1 || length > 255) problems.push('Length must be between 1 and 255 for a CustomField of type Text');
  }
  if (LONG_TEXT_TYPES.has(type)) {
    if (length === undefined) problems.push(mustSpecify('length', type));
    else if (length < 256 || length > 131072) problems.push(`Length must be between 256 and 131072 for a CustomField of type ${type}`);
    if (visibleLines === undefined) problems.push(mustSpecify('visibleLines', type));
  }
  if (type === 'Checkbox') {
    if (defaultValue === undefined) problems.push(mustSpecify('defaultValue', type));
    else if (!['true', 'false'].includes(defaultValue.toLowerCase())) problems.push(`Invalid defaultValue for a Checkbox: ${defaultValue}`);
    if (required) problems.push(cannotSpecify('required', type));
  }
  if (NUMERIC_TYPES.has(type)) {
    if (precision === undefined) problems.push(mustSpecify('precision', type));
    else if (precision < 1 || precision > 18) problems.push('Precision must be between 1 and 18');
    if (scale === undefined) problems.push(mustSpecify('scale', type));
    else if (precision !== undefined && (scale < 0 || scale > precision)) problems.push('Scale must be between 0 and the precision');
  } else {
    if (precision !== undefined) problems.push(cannotSpecify('precision', type));
    if (scale !== undefined) problems.push(cannotSpecify('scale', type));
  }
  const referenceTo = text(raw.referenceTo);
  const relationshipName = text(raw.relationshipName);
  if (RELATIONSHIP_TYPES.has(type)) {
    if (!referenceTo) problems.push(mustSpecify('referenceTo', type));
    if (!relationshipName) problems.push(mustSpecify('relationshipName', type));
    if (type === 'MasterDetail' && required !== undefined) problems.push('Master-Detail Relationship Fields Cannot be Optional or Required');
    if (type === 'MasterDetail' && raw.deleteConstraint !== undefined) problems.push(cannotSpecify('deleteConstraint', type));
  } else {
    if (referenceTo) problems.push(cannotSpecify('referenceTo', type));
    if (relationshipName) problems.push(cannotSpecify('relationshipName', type));
  }
  if (externalId && !EXTERNAL_ID_TYPES.has(type)) problems.push(cannotSpecify('externalId', type));
  if (unique && !UNIQUE_TYPES.has(type)) problems.push(cannotSpecify('unique', type));

  let picklist: CustomFieldDefinition['picklist'];
  if (type === 'Picklist' || type === 'MultiselectPicklist') {
    picklist = picklistFrom(raw.valueSet, type, problems);
    if (type === 'MultiselectPicklist' && visibleLines === undefined) problems.push(mustSpecify('visibleLines', type));
  } else if (raw.valueSet !== undefined) {
    problems.push(cannotSpecify('valueSet', type));
  }

  if (problems.length > 0) return { ok: false, problems };
  const field: CustomFieldWithRelationship = { fullName: fullName as string, type, label: label as string };
  if (referenceTo !== undefined) field.referenceTo = referenceTo;
  if (relationshipName !== undefined) field.relationshipName = relationshipName;
  if (length !== undefined) field.length = length;
  if (precision !== undefined) field.precision = precision;
  if (scale !== undefined) field.scale = scale;
  if (visibleLines !== undefined) field.visibleLines = visibleLines;
  if (externalId !== undefined) field.externalId = externalId;
  if (unique !== undefined) field.unique = unique;
  if (caseSensitive !== undefined) field.caseSensitive = caseSensitive;
  if (required !== undefined) field.required = required;
  if (defaultValue !== undefined) field.defaultValue = defaultValue;
  const description = text(raw.description);
  if (description !== undefined) field.description = description;
  const inlineHelpText = text(raw.inlineHelpText);
  if (inlineHelpText !== undefined) field.inlineHelpText = inlineHelpText;
  if (picklist) field.picklist = picklist;
  return { ok: true, field };
}

function picklistFrom(valueSet: unknown, type: string, problems: string[]): CustomFieldDefinition['picklist'] {
  if (!isRecord(valueSet)) {
    problems.push(mustSpecify('valueSet', type));
    return undefined;
  }
  if (valueSet.valueSetName !== undefined) {
    problems.push('The org emulator does not support global value sets (valueSetName)');
    return undefined;
  }
  const definition = isRecord(valueSet.valueSetDefinition) ? valueSet.valueSetDefinition : undefined;
  const rawValues = definition?.value === undefined ? [] : [definition.value].flat();
  if (rawValues.length === 0) {
    problems.push(mustSpecify('valueSet', type));
    return undefined;
  }
  const values: NonNullable<CustomFieldDefinition['picklist']>['values'] = [];
  const seen = new Set<string>();
  for (const entry of rawValues) {
    const value = isRecord(entry) ? text(entry.fullName) : undefined;
    if (!value) {
      problems.push("Must specify 'fullName' for every picklist value");
      continue;
    }
    if (seen.has(value.toLowerCase())) problems.push(`Duplicate picklist value: ${value}`);
    if (value.length > 255) problems.push(`Picklist value too long (max 255 characters): ${value}`);
    seen.add(value.toLowerCase());
    const item: { value: string; label?: string; default?: boolean } = { value };
    const label = isRecord(entry) ? text(entry.label) : undefined;
    if (label !== undefined) item.label = label;
    if (isRecord(entry) && flag(entry.default, 'default', problems)) item.default = true;
    values.push(item);
  }
  if (values.filter((v) => v.default).length > 1 && type === 'Picklist') problems.push('A Picklist can have only one default value');
  const restricted = flag(valueSet.restricted, 'restricted', problems) ?? false;
  return { values, restricted };
}

function mustSpecify(attribute: string, type: string): string {
  return `Must specify '${attribute}' for a CustomField of type ${type}`;
}

function cannotSpecify(attribute: string, type: string): string {
  return `Can not specify '${attribute}' for a CustomField of type ${type}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A leaf as text: XML gives strings, JSON may give numbers or booleans; empty elements count as absent. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function integer(value: unknown, name: string, problems: string[]): number | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) {
    problems.push(`Error parsing file: '${raw}' is not a valid value for '${name}' (an integer)`);
    return undefined;
  }
  return Number(raw);
}

export function flag(value: unknown, name: string, problems: string[]): boolean | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.push(`Error parsing file: '${raw}' is not a valid value for '${name}' (true or false)`);
  return undefined;
}
