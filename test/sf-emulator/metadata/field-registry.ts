// The custom fields this org received through a metadata deploy or the Tooling API, with the metadata
// they came with, so the Tooling API can answer `GET tooling/sobjects/CustomField/00N…` with it.
import type { CustomFieldDefinition, EmulatorOrg } from '../contracts.ts';
import { KEY_PREFIX, stableId } from './ids.ts';

export interface RegisteredField {
  id: string;
  objectName: string;
  definition: CustomFieldDefinition; // fullName without the object
  createdDate: Date;
  lastModifiedDate: Date;
}

const fieldsByOrg = new WeakMap<EmulatorOrg, Map<string, RegisteredField>>();

/** The 00N… id a custom field answers with, stable for the same object and field name. */
export function customFieldId(objectName: string, fieldName: string): string {
  return stableId(KEY_PREFIX.customField, `${objectName}.${fieldName}`);
}

/** Writes the field to the org (it shows in describe at once) and remembers its metadata. */
export function saveCustomField(org: EmulatorOrg, objectName: string, definition: CustomFieldDefinition): RegisteredField {
  org.upsertCustomField(objectName, definition);
  let fields = fieldsByOrg.get(org);
  if (!fields) fieldsByOrg.set(org, (fields = new Map()));
  const id = customFieldId(objectName, definition.fullName);
  const now = new Date();
  const registered: RegisteredField = { id, objectName, definition, createdDate: fields.get(id)?.createdDate ?? now, lastModifiedDate: now };
  fields.set(id, registered);
  return registered;
}

export function registeredField(org: EmulatorOrg, id: string): RegisteredField | undefined {
  const fields = fieldsByOrg.get(org);
  return fields?.get(id) ?? [...(fields?.values() ?? [])].find((f) => f.id.slice(0, 15) === id.slice(0, 15));
}
