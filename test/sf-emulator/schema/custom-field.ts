// Turns a CustomField (Metadata API / Tooling API form) into the describe entry Salesforce would report,
// and rejects definitions Salesforce would reject, with the messages its deploys give.
import type { CustomFieldDefinition } from '../contracts.ts';
import { completeField, type RawField } from './field-describe.ts';

export class InvalidFieldDefinitionError extends Error {
  override name = 'InvalidFieldDefinitionError';
}

interface TypeShape {
  type: string;
  soapType?: string;
  extraTypeInfo?: string | null;
  defaultLength?: number;
  maxLength?: number;
  needsLength?: boolean;
  number?: boolean;
  groupable?: boolean;
  sortable?: boolean;
  filterable?: boolean;
  aggregatable?: boolean;
}

const TYPE_SHAPES: Readonly<Record<string, TypeShape>> = {
  Checkbox: { type: 'boolean', aggregatable: false },
  Text: { type: 'string', needsLength: true, maxLength: 255 },
  TextArea: { type: 'textarea', defaultLength: 255, extraTypeInfo: 'plaintextarea' },
  LongTextArea: { type: 'textarea', needsLength: true, maxLength: 131_072, extraTypeInfo: 'plaintextarea', groupable: false, sortable: false, filterable: false, aggregatable: false },
  Html: { type: 'textarea', needsLength: true, maxLength: 131_072, extraTypeInfo: 'richtextarea', groupable: false, sortable: false, filterable: false, aggregatable: false },
  EncryptedText: { type: 'encryptedstring', needsLength: true, maxLength: 175, groupable: false, sortable: false, filterable: false },
  Picklist: { type: 'picklist', defaultLength: 255 },
  MultiselectPicklist: { type: 'multipicklist', defaultLength: 4099, groupable: false, sortable: false, aggregatable: false },
  Date: { type: 'date' },
  DateTime: { type: 'datetime' },
  Time: { type: 'time' },
  Url: { type: 'url', defaultLength: 255, extraTypeInfo: null },
  Email: { type: 'email', defaultLength: 80 },
  Phone: { type: 'phone', defaultLength: 40 },
  Number: { type: 'double', number: true, groupable: false },
  Currency: { type: 'currency', number: true, groupable: false },
  Percent: { type: 'percent', number: true, groupable: false },
  Lookup: { type: 'reference', defaultLength: 18 },
  MasterDetail: { type: 'reference', defaultLength: 18 },
  AutoNumber: { type: 'string', defaultLength: 30 },
};

export const SUPPORTED_CUSTOM_FIELD_TYPES = Object.keys(TYPE_SHAPES);

const API_NAME = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/;

/** The field's own API name: `Account.PRM_Sync__c` → `PRM_Sync__c`. */
export function fieldApiName(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot >= 0 ? fullName.slice(dot + 1) : fullName;
}

export interface CustomFieldExtras {
  /** Lookup/MasterDetail target object, and the child relationship name seen from it (without `__r`). */
  referenceTo?: string;
  relationshipName?: string;
}

/** Builds the describe entry; throws InvalidFieldDefinitionError with a deploy-style message. */
export function describeCustomField(def: CustomFieldDefinition, extras: CustomFieldExtras = {}): RawField {
  const name = fieldApiName(def.fullName);
  if (!API_NAME.test(name)) {
    throw new InvalidFieldDefinitionError(`The API name "${name}" is invalid: it must begin with a letter, use only letters, numbers and single underscores, and end with __c.`);
  }
  const shape = TYPE_SHAPES[def.type];
  if (!shape) throw new InvalidFieldDefinitionError(`${name}: field type "${def.type}" is not a valid value for the enum 'FieldType' (the emulator supports ${SUPPORTED_CUSTOM_FIELD_TYPES.join(', ')}).`);
  if (!def.label || !def.label.trim()) throw new InvalidFieldDefinitionError(`${name}: Must specify a label.`);
  if (def.label.length > 40) throw new InvalidFieldDefinitionError(`${name}: Field label can't be longer than 40 characters.`);

  let length = shape.defaultLength ?? 0;
  if (shape.needsLength) {
    if (def.length === undefined) throw new InvalidFieldDefinitionError(`${name}: Must specify 'length' for a CustomField of type ${def.type}`);
    length = def.length;
  } else if (def.length !== undefined && (def.type === 'TextArea' || def.type === 'Url' || def.type === 'Email' || def.type === 'Phone')) {
    length = shape.defaultLength ?? def.length;
  }
  if (shape.needsLength && (!Number.isInteger(length) || length < 1 || length > (shape.maxLength ?? 255))) {
    throw new InvalidFieldDefinitionError(`${name}: Length must be between 1 and ${shape.maxLength ?? 255}.`);
  }

  const raw: RawField = {
    name,
    label: def.label,
    type: shape.type,
    custom: true,
    length,
    inlineHelpText: def.inlineHelpText ?? null,
    extraTypeInfo: shape.extraTypeInfo ?? null,
    groupable: shape.groupable ?? true,
    sortable: shape.sortable ?? true,
    filterable: shape.filterable ?? true,
    aggregatable: shape.aggregatable ?? true,
  };

  if (shape.number) {
    const precision = def.precision ?? 18;
    const scale = def.scale ?? 0;
    if (!Number.isInteger(precision) || precision < 1 || precision > 18) throw new InvalidFieldDefinitionError(`${name}: Precision must be between 1 and 18.`);
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) throw new InvalidFieldDefinitionError(`${name}: Scale must be between 0 and the precision (${precision}).`);
    raw.precision = precision;
    raw.scale = scale;
  }

  if (def.type === 'Checkbox') {
    const text = (def.defaultValue ?? 'false').trim().toLowerCase();
    if (text !== 'true' && text !== 'false') throw new InvalidFieldDefinitionError(`${name}: A Checkbox default value must be true or false.`);
    Object.assign(raw, { nillable: false, defaultValue: text === 'true', defaultedOnCreate: true });
  } else if (def.defaultValue !== undefined && def.defaultValue !== '') {
    Object.assign(raw, { defaultValueFormula: def.defaultValue, defaultedOnCreate: true });
  }

  if (def.type === 'Picklist' || def.type === 'MultiselectPicklist') {
    const values = def.picklist?.values ?? [];
    if (values.length === 0) throw new InvalidFieldDefinitionError(`${name}: Picklist must have at least one value (valueSet).`);
    const seen = new Set<string>();
    for (const v of values) {
      if (!v.value) throw new InvalidFieldDefinitionError(`${name}: Picklist values must have a fullName.`);
      if (seen.has(v.value.toLowerCase())) throw new InvalidFieldDefinitionError(`${name}: Duplicate picklist value: ${v.value}`);
      seen.add(v.value.toLowerCase());
      if (v.value.length > 255) throw new InvalidFieldDefinitionError(`${name}: Picklist value is too long: ${v.value}`);
    }
    raw.picklistValues = values.map((v) => ({ active: true, defaultValue: v.default === true, label: v.label ?? v.value, validFor: null, value: v.value }));
    raw.restrictedPicklist = def.picklist?.restricted === true;
    if (def.type === 'MultiselectPicklist') raw.precision = def.visibleLines ?? 4;
  }

  if (shape.type === 'reference') {
    if (!extras.referenceTo) throw new InvalidFieldDefinitionError(`${name}: Must specify 'referenceTo' for a ${def.type} field.`);
    raw.referenceTo = [extras.referenceTo];
    raw.relationshipName = `${name.slice(0, -3)}__r`; // the parent side; extras.relationshipName names the child side
    if (def.type === 'MasterDetail') Object.assign(raw, { nillable: false, cascadeDelete: true, updateable: true });
  }

  if (def.type === 'AutoNumber') Object.assign(raw, { autoNumber: true, createable: false, updateable: false, defaultedOnCreate: true, nillable: false });

  if (def.externalId) {
    if (!['Text', 'Number', 'Email', 'AutoNumber'].includes(def.type)) {
      throw new InvalidFieldDefinitionError(`${name}: Only Text, Number, Email and Auto Number fields can be External IDs.`);
    }
    Object.assign(raw, { externalId: true, idLookup: true });
  }
  if (def.unique) {
    if (!['Text', 'Number', 'Email'].includes(def.type)) throw new InvalidFieldDefinitionError(`${name}: Only Text, Number and Email fields can be unique.`);
    Object.assign(raw, { unique: true, idLookup: true, caseSensitive: def.caseSensitive === true });
  }
  if (def.required && def.type !== 'Checkbox') {
    if (def.type === 'LongTextArea' || def.type === 'Html') throw new InvalidFieldDefinitionError(`${name}: Long text fields cannot be required.`);
    Object.assign(raw, { nillable: false, permissionable: false });
  }
  return completeField(raw);
}
