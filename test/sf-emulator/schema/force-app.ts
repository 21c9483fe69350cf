// Reads our sfdx-format package (force-app/main/default/objects/**) so the emulated org starts with the
// custom fields and record types an admin would have deployed. Parsing is exported for reuse.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { CustomFieldDefinition, RecordTypeDefinition } from '../contracts.ts';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'value',
});

export interface ParsedCustomField extends CustomFieldDefinition {
  referenceTo?: string;
  relationshipName?: string;
}

type XmlNode = Record<string, unknown>;

function text(node: XmlNode, key: string): string | undefined {
  const value = node[key];
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  return String(value);
}

function bool(node: XmlNode, key: string): boolean | undefined {
  const value = text(node, key);
  return value === undefined ? undefined : value.trim().toLowerCase() === 'true';
}

function num(node: XmlNode, key: string): number | undefined {
  const value = text(node, key);
  return value === undefined || value.trim() === '' ? undefined : Number(value);
}

/** A `<CustomField>` element (already parsed) as a CustomFieldDefinition. */
export function customFieldFromXmlNode(node: XmlNode): ParsedCustomField {
  const fullName = text(node, 'fullName');
  const type = text(node, 'type');
  if (!fullName) throw new Error('CustomField has no fullName');
  if (!type) throw new Error(`CustomField ${fullName} has no type`);
  const def: ParsedCustomField = { fullName, type };
  const label = text(node, 'label');
  if (label !== undefined) def.label = label;
  for (const key of ['length', 'precision', 'scale', 'visibleLines'] as const) {
    const value = num(node, key);
    if (value !== undefined) def[key] = value;
  }
  for (const key of ['externalId', 'unique', 'caseSensitive', 'required'] as const) {
    const value = bool(node, key);
    if (value !== undefined) def[key] = value;
  }
  for (const key of ['defaultValue', 'description', 'inlineHelpText', 'referenceTo', 'relationshipName'] as const) {
    const value = text(node, key);
    if (value !== undefined) def[key] = value;
  }
  const valueSet = node.valueSet as XmlNode | undefined;
  if (valueSet && typeof valueSet === 'object') {
    const definition = (valueSet.valueSetDefinition as XmlNode | undefined) ?? {};
    const values = ((definition.value as XmlNode[] | undefined) ?? []).map((v) => {
      const value = text(v, 'fullName') ?? '';
      const entry: { value: string; label?: string; default?: boolean } = { value };
      const valueLabel = text(v, 'label');
      if (valueLabel !== undefined) entry.label = valueLabel;
      if (bool(v, 'default')) entry.default = true;
      return entry;
    });
    def.picklist = { values, restricted: bool(valueSet, 'restricted') === true };
  }
  return def;
}

export function parseCustomFieldXml(xml: string): ParsedCustomField {
  const doc = parser.parse(xml) as XmlNode;
  const node = doc.CustomField as XmlNode | undefined;
  if (!node || typeof node !== 'object') throw new Error('Not a CustomField document');
  return customFieldFromXmlNode(node);
}

export function recordTypeFromXmlNode(node: XmlNode, sobjectType: string): RecordTypeDefinition {
  const developerName = text(node, 'fullName');
  if (!developerName) throw new Error(`RecordType on ${sobjectType} has no fullName`);
  return {
    sobjectType,
    developerName: developerName.includes('.') ? developerName.slice(developerName.indexOf('.') + 1) : developerName,
    label: text(node, 'label') ?? developerName,
    active: bool(node, 'active') !== false,
  };
}

export function parseRecordTypeXml(xml: string, sobjectType: string): RecordTypeDefinition {
  const doc = parser.parse(xml) as XmlNode;
  const node = doc.RecordType as XmlNode | undefined;
  if (!node || typeof node !== 'object') throw new Error('Not a RecordType document');
  return recordTypeFromXmlNode(node, sobjectType);
}

export interface ForceAppObjects {
  fields: Array<{ objectName: string; field: ParsedCustomField; file: string }>;
  recordTypes: Array<{ recordType: RecordTypeDefinition; file: string }>;
}

/** Everything under objects/ that the emulator understands; unreadable files are reported, not fatal. */
export function readForceAppObjects(objectsDir: string, onProblem: (file: string, message: string) => void = () => {}): ForceAppObjects {
  const out: ForceAppObjects = { fields: [], recordTypes: [] };
  if (!existsSync(objectsDir)) return out;
  for (const objectName of readdirSync(objectsDir).sort()) {
    const fieldsDir = path.join(objectsDir, objectName, 'fields');
    if (existsSync(fieldsDir)) {
      for (const file of readdirSync(fieldsDir).filter((f) => f.endsWith('.field-meta.xml')).sort()) {
        const full = path.join(fieldsDir, file);
        try {
          out.fields.push({ objectName, field: parseCustomFieldXml(readFileSync(full, 'utf8')), file: full });
        } catch (error) {
          onProblem(full, (error as Error).message);
        }
      }
    }
    const recordTypesDir = path.join(objectsDir, objectName, 'recordTypes');
    if (existsSync(recordTypesDir)) {
      for (const file of readdirSync(recordTypesDir).filter((f) => f.endsWith('.recordType-meta.xml')).sort()) {
        const full = path.join(recordTypesDir, file);
        try {
          out.recordTypes.push({ recordType: parseRecordTypeXml(readFileSync(full, 'utf8'), objectName), file: full });
        } catch (error) {
          onProblem(full, (error as Error).message);
        }
      }
    }
  }
  return out;
}
