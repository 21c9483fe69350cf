// RecordType and PermissionSet metadata → plain definitions plus the problems a deploy reports about
// the document itself. Checks that need the org (does the field exist?) live in deploy-plan.ts.
import { INVALID_DEVELOPER_NAME, flag, isDeveloperName, isRecord, text } from './custom-field.ts';
import type { LooseMetadata } from './custom-field.ts';

export interface RecordTypeMetadata {
  developerName: string;
  label: string;
  active: boolean;
  /** Picklist values the record type offers, per picklist field, decoded (`Reseller%2C Active` → `Reseller, Active`). */
  picklistValues: Array<{ picklist: string; values: string[] }>;
}

export interface PermissionSetMetadata {
  name: string;
  label: string;
  fieldPermissions: Array<{ field: string; readable: boolean; editable: boolean }>;
  objectPermissions: Array<{ object: string; allowCreate: boolean; allowRead: boolean; allowEdit: boolean; allowDelete: boolean }>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export function recordTypeFromMetadata(raw: LooseMetadata): Parsed<RecordTypeMetadata> {
  const problems: string[] = [];
  const developerName = text(raw.fullName);
  if (!developerName) problems.push("Must specify 'fullName' for a RecordType");
  else if (!isDeveloperName(developerName)) problems.push(`The Record Type Name field ${INVALID_DEVELOPER_NAME}`);
  const label = text(raw.label);
  if (!label) problems.push("Must specify 'label' for a RecordType");
  const active = flag(raw.active, 'active', problems) ?? false;
  const picklistValues: RecordTypeMetadata['picklistValues'] = [];
  for (const entry of asList(raw.picklistValues)) {
    const picklist = isRecord(entry) ? text(entry.picklist) : undefined;
    if (!picklist || !isRecord(entry)) {
      problems.push("Must specify 'picklist' for every picklistValues entry of a RecordType");
      continue;
    }
    const values = asList(entry.values).map((v) => (isRecord(v) ? text(v.fullName) : undefined));
    if (values.some((v) => v === undefined)) problems.push(`Must specify 'fullName' for every value of picklist ${picklist}`);
    picklistValues.push({ picklist, values: values.filter((v): v is string => v !== undefined).map(decodeMetadataName) });
  }
  if (problems.length > 0 || !developerName || !label) return { ok: false, problems };
  return { ok: true, value: { developerName, label, active, picklistValues } };
}

export function permissionSetFromMetadata(name: string, raw: LooseMetadata): Parsed<PermissionSetMetadata> {
  const problems: string[] = [];
  if (!isDeveloperName(name)) problems.push(`The API Name field ${INVALID_DEVELOPER_NAME}`);
  const label = text(raw.label);
  if (!label) problems.push("Must specify 'label' for a PermissionSet");
  const fieldPermissions: PermissionSetMetadata['fieldPermissions'] = [];
  for (const entry of asList(raw.fieldPermissions)) {
    const field = isRecord(entry) ? text(entry.field) : undefined;
    if (!field || !isRecord(entry) || !field.includes('.')) {
      problems.push(`In field: field - invalid field reference ${field ?? '(empty)'}`);
      continue;
    }
    const readable = flag(entry.readable, 'readable', problems) ?? false;
    const editable = flag(entry.editable, 'editable', problems) ?? false;
    if (editable && !readable) problems.push(`Permission Edit ${field} depends on permission(s): Read ${field}`);
    fieldPermissions.push({ field, readable, editable });
  }
  const objectPermissions: PermissionSetMetadata['objectPermissions'] = [];
  for (const entry of asList(raw.objectPermissions)) {
    const object = isRecord(entry) ? text(entry.object) : undefined;
    if (!object || !isRecord(entry)) {
      problems.push("Must specify 'object' for every objectPermissions entry of a PermissionSet");
      continue;
    }
    objectPermissions.push({
      object,
      allowCreate: flag(entry.allowCreate, 'allowCreate', problems) ?? false,
      allowRead: flag(entry.allowRead, 'allowRead', problems) ?? false,
      allowEdit: flag(entry.allowEdit, 'allowEdit', problems) ?? false,
      allowDelete: flag(entry.allowDelete, 'allowDelete', problems) ?? false,
    });
  }
  if (problems.length > 0 || !label) return { ok: false, problems };
  return { ok: true, value: { name, label, fieldPermissions, objectPermissions } };
}

/** Metadata names escape some characters (`,` as `%2C`); picklist values compare decoded. */
export function decodeMetadataName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
