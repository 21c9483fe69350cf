// What each CustomField type needs before the Metadata API accepts it, and what describe reports for it.
// The rules follow the CustomField reference of the Metadata API: Text needs a length, long text needs
// visibleLines, picklists need a value set, checkboxes need a default, numbers need precision and scale,
// and fixed-size types (Email, Url, Phone, TextArea, …) refuse a length ("Can not specify 'length' for a
// CustomField of type Url").
import type { FieldMeta } from './model.ts';

export interface FieldTypeRule {
  /** The type describe reports for such a field (fields[].type). */
  readonly describeType: string;
  /** A required <length> and its allowed range. */
  readonly length?: { readonly min: number; readonly max: number };
  /** Fixed length describe reports for types that take no <length>. */
  readonly fixedLength?: number;
  readonly visibleLines?: boolean;
  readonly valueSet?: boolean;
  readonly checkboxDefault?: boolean;
  readonly precisionAndScale?: boolean;
  readonly relationship?: boolean;
  readonly displayFormat?: boolean;
  /** Types that may be an External ID and Unique. */
  readonly keyable?: boolean;
}

export const FIELD_TYPE_RULES: Readonly<Record<string, FieldTypeRule>> = {
  Text: { describeType: 'string', length: { min: 1, max: 255 }, keyable: true },
  TextArea: { describeType: 'textarea', fixedLength: 255 },
  LongTextArea: { describeType: 'textarea', length: { min: 256, max: 131072 }, visibleLines: true },
  Html: { describeType: 'textarea', length: { min: 256, max: 131072 }, visibleLines: true },
  EncryptedText: { describeType: 'encryptedstring', length: { min: 1, max: 175 } },
  Email: { describeType: 'email', fixedLength: 80, keyable: true },
  Url: { describeType: 'url', fixedLength: 255 },
  Phone: { describeType: 'phone', fixedLength: 40 },
  Checkbox: { describeType: 'boolean', checkboxDefault: true },
  Picklist: { describeType: 'picklist', valueSet: true },
  MultiselectPicklist: { describeType: 'multipicklist', valueSet: true, visibleLines: true },
  Date: { describeType: 'date' },
  DateTime: { describeType: 'datetime' },
  Time: { describeType: 'time' },
  Number: { describeType: 'double', precisionAndScale: true, keyable: true },
  Currency: { describeType: 'currency', precisionAndScale: true },
  Percent: { describeType: 'percent', precisionAndScale: true },
  Lookup: { describeType: 'reference', fixedLength: 18, relationship: true },
  MasterDetail: { describeType: 'reference', fixedLength: 18, relationship: true },
  AutoNumber: { describeType: 'string', fixedLength: 30, displayFormat: true, keyable: true },
};

const BOOLEAN_ELEMENTS = ['externalId', 'unique', 'caseSensitive', 'required', 'trackHistory', 'trackTrending', 'trackFeedHistory'];
const LIMITS = { label: 40, description: 1000, inlineHelpText: 510, apiName: 40, picklistValue: 255 };
// A custom field's API name: a letter, then letters, digits and single underscores, ending in __c.
const CUSTOM_FIELD_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/;

export function isBooleanText(value: string | undefined): boolean {
  return value === 'true' || value === 'false';
}

function wholeNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Everything wrong with one field definition, as messages (the caller adds the file). */
export function fieldDefinitionProblems(field: FieldMeta): string[] {
  const problems: string[] = [];
  const v = field.values;
  const type = v.type;

  if (!CUSTOM_FIELD_NAME.test(field.name)) {
    problems.push(`"${field.name}" is not a valid custom field API name (a letter first, letters, digits and single underscores, ending in __c).`);
  } else if (field.name.length - 3 > LIMITS.apiName) {
    problems.push(`API name ${field.name} is longer than ${LIMITS.apiName} characters before __c.`);
  }
  if (v.fullName !== undefined && v.fullName !== field.name) {
    problems.push(`<fullName>${v.fullName}</fullName> does not match the file name (${field.name}); the sf CLI uses the file name.`);
  }
  for (const element of field.repeated) problems.push(`<${element}> appears more than once.`);
  if (!v.label) problems.push('needs a <label>.');
  else if (v.label.length > LIMITS.label) problems.push(`<label> is ${v.label.length} characters; Salesforce allows ${LIMITS.label}.`);
  if (v.description !== undefined && v.description.length > LIMITS.description) {
    problems.push(`<description> is ${v.description.length} characters; Salesforce allows ${LIMITS.description}.`);
  }
  if (v.inlineHelpText !== undefined && v.inlineHelpText.length > LIMITS.inlineHelpText) {
    problems.push(`<inlineHelpText> is ${v.inlineHelpText.length} characters; Salesforce allows ${LIMITS.inlineHelpText}.`);
  }
  for (const element of BOOLEAN_ELEMENTS) {
    if (v[element] !== undefined && !isBooleanText(v[element])) problems.push(`<${element}> must be true or false; found "${v[element]}".`);
  }
  if (!type) {
    problems.push('needs a <type> (Text, Checkbox, Picklist, DateTime, Url, Email, …).');
    return problems;
  }
  const rule = FIELD_TYPE_RULES[type];
  if (!rule) {
    problems.push(`<type>${type}</type> is not a field type this package validates (known: ${Object.keys(FIELD_TYPE_RULES).join(', ')}).`);
    return problems;
  }
  problems.push(...typeSpecificProblems(field, type, rule));
  return problems;
}

function typeSpecificProblems(field: FieldMeta, type: string, rule: FieldTypeRule): string[] {
  const problems: string[] = [];
  const v = field.values;

  if (rule.length) {
    const length = wholeNumber(v.length);
    if (v.length === undefined) problems.push(`${type} field needs <length> (${rule.length.min}–${rule.length.max} characters); it has none.`);
    else if (length === undefined || length < rule.length.min || length > rule.length.max) {
      problems.push(`${type} field <length> must be a whole number from ${rule.length.min} to ${rule.length.max}; found "${v.length}".`);
    }
  } else if (v.length !== undefined) {
    problems.push(`${type} field takes no <length>${rule.fixedLength ? ` (Salesforce fixes it at ${rule.fixedLength})` : ''}; remove it.`);
  }

  if (rule.visibleLines) {
    const lines = wholeNumber(v.visibleLines);
    if (lines === undefined || lines < 1) problems.push(`${type} field needs <visibleLines> (a whole number, e.g. 3); found ${v.visibleLines === undefined ? 'none' : `"${v.visibleLines}"`}.`);
  } else if (v.visibleLines !== undefined) {
    problems.push(`${type} field takes no <visibleLines>; remove it.`);
  }

  if (rule.valueSet) problems.push(...valueSetProblems(field, type));
  else if (field.valueSet) problems.push(`${type} field takes no <valueSet>; only picklists do.`);

  if (rule.checkboxDefault) {
    if (!isBooleanText(v.defaultValue)) {
      problems.push(`Checkbox field needs <defaultValue>true</defaultValue> or <defaultValue>false</defaultValue>; found ${v.defaultValue === undefined ? 'none' : `"${v.defaultValue}"`}.`);
    }
    if (v.required === 'true') problems.push('a Checkbox field cannot be required; remove <required>true</required>.');
  }

  if (rule.precisionAndScale) {
    const precision = wholeNumber(v.precision);
    const scale = wholeNumber(v.scale);
    if (precision === undefined || precision < 1 || precision > 18) problems.push(`${type} field needs <precision> from 1 to 18; found ${v.precision === undefined ? 'none' : `"${v.precision}"`}.`);
    if (scale === undefined) problems.push(`${type} field needs <scale> (digits after the decimal point); found ${v.scale === undefined ? 'none' : `"${v.scale}"`}.`);
    if (precision !== undefined && scale !== undefined && scale > precision) problems.push(`<scale> ${scale} is larger than <precision> ${precision}.`);
  }

  if (rule.relationship) {
    if (!v.referenceTo) problems.push(`${type} field needs <referenceTo> (the related object).`);
    if (!v.relationshipName) problems.push(`${type} field needs <relationshipName>.`);
  }
  if (rule.displayFormat && !v.displayFormat) problems.push('AutoNumber field needs <displayFormat>, e.g. PRM-{0000}.');

  if (!rule.keyable) {
    if (v.externalId === 'true') problems.push(`a ${type} field cannot be an External ID (only Text, Number, Email and Auto Number can).`);
    if (v.unique === 'true') problems.push(`a ${type} field cannot be Unique (only Text, Number, Email and Auto Number can).`);
  }
  if (v.caseSensitive !== undefined && v.unique !== 'true') problems.push('<caseSensitive> only applies to Unique fields; remove it or set <unique>true</unique>.');
  return problems;
}

function valueSetProblems(field: FieldMeta, type: string): string[] {
  const valueSet = field.valueSet;
  if (!valueSet) return [`${type} field needs a <valueSet> with its values (or a global value set); it has none.`];
  if (valueSet.valueSetName !== undefined) {
    return valueSet.hasDefinition ? ['<valueSet> names a global value set and defines its own values; use one or the other.'] : [];
  }
  const problems: string[] = [];
  if (valueSet.restricted !== undefined && !isBooleanText(valueSet.restricted)) problems.push(`<restricted> must be true or false; found "${valueSet.restricted}".`);
  if (valueSet.values.length === 0) return [...problems, `${type} field's <valueSet> defines no <value> entries.`];
  const seen = new Set<string>();
  let defaults = 0;
  valueSet.values.forEach((value, index) => {
    const where = `picklist value ${index + 1}`;
    if (!value.fullName) {
      problems.push(`${where} has no <fullName>.`);
      return;
    }
    if (value.fullName.length > LIMITS.picklistValue) problems.push(`picklist value "${value.fullName}" is longer than ${LIMITS.picklistValue} characters.`);
    if (!value.label) problems.push(`picklist value "${value.fullName}" has no <label>.`);
    const key = value.fullName.toLowerCase();
    if (seen.has(key)) problems.push(`picklist value "${value.fullName}" appears twice.`);
    seen.add(key);
    if (value.default !== undefined && !isBooleanText(value.default)) problems.push(`picklist value "${value.fullName}": <default> must be true or false.`);
    if (value.default === 'true') defaults += 1;
  });
  if (defaults > 1) problems.push(`${defaults} picklist values are marked default; at most one may be.`);
  return problems;
}
