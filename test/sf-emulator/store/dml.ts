// Inserts, updates, upserts, deletes and undeletes with Salesforce's validation and error codes. Every
// API that writes (REST, collections, composite, Bulk API, seed excepted) goes through these functions.
import type { SaveResult, SfErrorItem, SObjectValues } from '../contracts.ts';
import { canonicalId } from '../core/ids.ts';
import { isRequiredOnCreate, type FieldInfo } from '../schema/field-describe.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import { applyDerivedFields } from './derived.ts';
import type { OrgStore } from './org-store.ts';
import type { Row, Table } from './table.ts';
import { coerceValue, fieldError } from './values.ts';

type Mode = 'create' | 'update';
type Changes = Record<string, unknown>;

/** Marks rows that went to the recycle bin with a parent, so undeleting the parent brings them back. */
const CASCADE_ROOT = '$cascadeRoot';

export function failure(errors: SfErrorItem[], id: string | null = null): SaveResult {
  return { id, success: false, errors };
}

export function unsupportedType(objectName: string): SaveResult {
  return failure([fieldError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`)]);
}

function resolveParentReference(store: OrgStore, schema: ObjectSchema, relationship: string, lookup: Record<string, unknown>): { field: FieldInfo; id: string } | SfErrorItem {
  const reference = schema.parentRelationship(relationship);
  if (!reference) return fieldError('INVALID_FIELD', `No such column '${relationship}' on sobject of type ${schema.name}`);
  const attributes = lookup.attributes as { type?: string } | undefined;
  const keys = Object.keys(lookup).filter((k) => k !== 'attributes');
  const targetName = attributes?.type ?? reference.referenceTo[0] ?? '';
  const target = store.table(targetName);
  if (keys.length !== 1 || !target) return fieldError('INVALID_FIELD', `Cannot resolve the reference ${relationship} by external id on ${schema.name}`, [reference.name]);
  const keyField = target.schema.field(keys[0] as string);
  const value = lookup[keys[0] as string];
  if (!keyField || !(keyField.externalId || keyField.idLookup)) {
    return fieldError('INVALID_FIELD', `Field name provided, ${keys[0]} is not an External ID or indexed field for ${target.schema.name}`, [reference.name]);
  }
  const ids = keyField.type === 'id' ? [canonicalId(value)].filter((id): id is string => !!id && target.get(id)?.IsDeleted === false) : target.findByValue(keyField, value);
  if (ids.length === 0) return fieldError('INVALID_FIELD', `Foreign key external ID: ${String(value)} not found for field ${keyField.name} in entity ${target.schema.name}`, []);
  if (ids.length > 1) return fieldError('DUPLICATE_EXTERNAL_ID', `${keyField.name}: more than one record found for external id field: [${ids.join(', ')}]`, [reference.name]);
  return { field: reference, id: ids[0] as string };
}

function checkReference(store: OrgStore, schema: ObjectSchema, field: FieldInfo, id: string): SfErrorItem | undefined {
  if (field.name === 'RecordTypeId') {
    const rt = schema.recordTypes.find((r) => r.recordTypeId === id);
    return rt && rt.active ? undefined : fieldError('INVALID_CROSS_REFERENCE_KEY', `Record Type ID: this ID value isn't valid for the user: ${id}`, [field.name]);
  }
  const target = store.tableForId(id);
  const allowed = field.referenceTo.map((name) => store.schema(name)).filter((s): s is ObjectSchema => s !== undefined);
  if (allowed.length === 0) return undefined; // the target object is not emulated; any well-formed id passes
  if (!target || !allowed.includes(target.schema)) return fieldError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [field.name]);
  const row = target.get(id);
  if (!row) return fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
  if (row.IsDeleted === true) return fieldError('ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
  if (target.schema.name === 'User' && row.IsActive === false) return fieldError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user', [field.name]);
  return undefined;
}

/** Validates and normalizes the values of one write; the changes to apply, or the errors to report. */
export function prepareChanges(store: OrgStore, schema: ObjectSchema, values: SObjectValues, mode: Mode, selfId?: string): { changes: Changes } | { errors: SfErrorItem[] } {
  const changes: Changes = {};
  const errors: SfErrorItem[] = [];
  const notWritable: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (key === 'attributes') continue;
    const dot = key.indexOf('.');
    if (dot > 0 || (value !== null && typeof value === 'object' && !Array.isArray(value) && !schema.field(key))) {
      const lookup = dot > 0 ? { [key.slice(dot + 1)]: value } : (value as Record<string, unknown>);
      const resolved = resolveParentReference(store, schema, dot > 0 ? key.slice(0, dot) : key, lookup);
      if ('statusCode' in resolved) return { errors: [resolved] };
      changes[resolved.field.name] = resolved.id;
      continue;
    }
    const field = schema.field(key);
    if (!field) return { errors: [fieldError('INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`)] };
    if (field.name === 'Id' && mode === 'update') continue;
    if (mode === 'create' ? !field.createable : !field.updateable) {
      notWritable.push(field.name);
      continue;
    }
    const coerced = coerceValue(field, value);
    if (!coerced.ok) errors.push(coerced.error);
    else changes[field.name] = coerced.value;
  }
  if (notWritable.length > 0) {
    errors.unshift(fieldError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, notWritable));
  }
  if (errors.length > 0) return { errors };

  for (const [name, value] of Object.entries(changes)) {
    const field = schema.field(name) as FieldInfo;
    if (field.type === 'reference' && typeof value === 'string') {
      const problem = checkReference(store, schema, field, value);
      if (problem) errors.push(problem);
    }
  }
  const missing = schema.fields.filter((f) =>
    mode === 'create'
      ? isRequiredOnCreate(f) && (changes[f.name] === undefined || changes[f.name] === null)
      : !f.nillable && f.type !== 'boolean' && f.name in changes && changes[f.name] === null,
  );
  if (missing.length > 0) {
    const names = missing.map((f) => f.name);
    errors.push(fieldError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names));
  }
  const table = store.table(schema.name) as Table;
  for (const [name, value] of Object.entries(changes)) {
    const field = schema.field(name) as FieldInfo;
    if (!field.unique || value === null) continue;
    const other = table.findByValue(field, value).find((id) => id !== selfId);
    if (other) errors.push(fieldError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${other}`, []));
  }
  return errors.length > 0 ? { errors } : { changes };
}

function defaultsFor(schema: ObjectSchema, userId: string): Changes {
  const out: Changes = {};
  for (const field of schema.fields) {
    if (field.type === 'boolean' && field.defaultValue === true) out[field.name] = true;
    else if (field.picklist?.defaultValue && field.custom) out[field.name] = field.picklist.defaultValue;
  }
  if (schema.field('OwnerId')) out.OwnerId = userId;
  return out;
}

export function insertRow(store: OrgStore, table: Table, changes: Changes, userId: string): string {
  const schema = table.schema;
  const id = store.ids.next(schema.keyPrefix);
  const stamp = store.clock.next();
  const row: Changes = { Id: id, IsDeleted: false, ...defaultsFor(schema, userId), ...changes };
  row.CreatedDate = stamp;
  row.CreatedById = userId;
  row.LastModifiedDate = stamp;
  row.LastModifiedById = userId;
  row.SystemModstamp = stamp;
  applyDerivedFields(schema.name, row, changes);
  store.write(table, row);
  return id;
}

export function createRecord(store: OrgStore, objectName: string, values: SObjectValues, userId: string): SaveResult {
  const table = store.table(objectName);
  if (!table) return unsupportedType(objectName);
  if (!table.schema.flag('createable')) return failure([fieldError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${table.schema.name}`)]);
  if ('Id' in values || 'id' in values) {
    return failure([fieldError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', ['Id'])]);
  }
  const prepared = prepareChanges(store, table.schema, values, 'create');
  if ('errors' in prepared) return failure(prepared.errors);
  return { id: insertRow(store, table, prepared.changes, userId), success: true, errors: [] };
}

/** The live row behind an id, or the error Salesforce gives for a bad, unknown or deleted id. */
export function locateRow(store: OrgStore, table: Table, rawId: unknown): { row: Row } | { error: SfErrorItem; id: string | null } {
  const id = canonicalId(rawId);
  if (!id || id.slice(0, 3) !== table.schema.keyPrefix) {
    return { error: fieldError('MALFORMED_ID', `${table.schema.label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']), id: typeof rawId === 'string' ? rawId : null };
  }
  const row = table.get(id);
  if (!row) return { error: fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'), id };
  if (row.IsDeleted === true) return { error: fieldError('ENTITY_IS_DELETED', 'entity is deleted'), id };
  return { row };
}

export function updateRow(store: OrgStore, table: Table, row: Row, changes: Changes, userId: string): void {
  const stamp = store.clock.next();
  const next: Changes = { ...row, ...changes, LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp };
  applyDerivedFields(table.schema.name, next, changes);
  store.write(table, next);
}

export function updateRecord(store: OrgStore, objectName: string, id: string, values: SObjectValues, userId: string): SaveResult {
  const table = store.table(objectName);
  if (!table) return unsupportedType(objectName);
  const located = locateRow(store, table, id);
  if ('error' in located) return failure([located.error], located.id);
  const rowId = String(located.row.Id);
  if (!table.schema.flag('updateable')) return failure([fieldError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${table.schema.name}`)], rowId);
  const prepared = prepareChanges(store, table.schema, values, 'update', rowId);
  if ('errors' in prepared) return failure(prepared.errors, rowId);
  updateRow(store, table, located.row, prepared.changes, userId);
  return { id: rowId, success: true, errors: [] };
}

/** The live records an upsert key matches (several only for non-unique external ids / idLookup fields). */
export function matchUpsertKey(store: OrgStore, objectName: string, fieldName: string, value: unknown): { ids: string[]; field: FieldInfo } | SfErrorItem {
  const table = store.table(objectName);
  if (!table) return fieldError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
  const field = table.schema.field(fieldName);
  if (!field) return fieldError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`);
  if (!(field.externalId || field.idLookup)) return fieldError('INVALID_FIELD', `Field name provided, ${field.name} is not an External ID or indexed field for ${table.schema.name}`);
  if (field.type === 'id') {
    const id = canonicalId(value);
    const row = id ? table.get(id) : undefined;
    return { ids: row && row.IsDeleted !== true ? [String(row.Id)] : [], field };
  }
  return { ids: table.findByValue(field, value), field };
}

export function upsertRecord(store: OrgStore, objectName: string, externalIdField: string, values: SObjectValues, userId: string): SaveResult {
  const table = store.table(objectName);
  if (!table) return unsupportedType(objectName);
  const key = Object.keys(values).find((k) => k.toLowerCase() === externalIdField.toLowerCase());
  const value = key === undefined ? undefined : values[key];
  const match = matchUpsertKey(store, table.schema.name, externalIdField, value);
  if ('statusCode' in match) return failure([match]);
  if (match.field.type === 'id') {
    const { [key ?? 'Id']: _id, ...rest } = values;
    if (value === undefined || value === null || value === '') return { ...createRecord(store, objectName, rest, userId), created: true };
    if (match.ids.length === 0) return { ...failure([fieldError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${String(value)}`)]), created: false };
    return { ...updateRecord(store, objectName, match.ids[0] as string, rest, userId), created: false };
  }
  if (value === undefined || value === null || value === '') {
    return { ...failure([fieldError('MISSING_ARGUMENT', `${match.field.name} not specified`, [match.field.name])]), created: false };
  }
  if (match.ids.length > 1) {
    return { ...failure([fieldError('DUPLICATE_EXTERNAL_ID', `${match.field.name}: more than one record found for external id field: [${match.ids.join(', ')}]`, [match.field.name])]), created: false };
  }
  if (match.ids.length === 1) return { ...updateRecord(store, objectName, match.ids[0] as string, values, userId), created: false };
  return { ...createRecord(store, objectName, values, userId), created: true };
}

function markDeleted(store: OrgStore, table: Table, row: Row, userId: string, root: string): void {
  const stamp = store.clock.next();
  const deleted: Changes = { ...row, IsDeleted: true, LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp };
  if (root !== row.Id) deleted[CASCADE_ROOT] = root;
  store.write(table, deleted);
  for (const relation of table.schema.childRelationships) {
    if (!relation.cascadeDelete) continue;
    const children = store.table(relation.childSObject);
    if (!children) continue;
    for (const child of children.findByReference(relation.field, String(row.Id))) {
      if (child.IsDeleted !== true) markDeleted(store, children, child, userId, root);
    }
  }
}

export function deleteRecord(store: OrgStore, objectName: string, id: string, userId: string): SaveResult {
  const table = store.table(objectName);
  if (!table) return unsupportedType(objectName);
  const located = locateRow(store, table, id);
  if ('error' in located) return failure([located.error], located.id);
  if (!table.schema.flag('deletable')) return failure([fieldError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${table.schema.name}`)], String(located.row.Id));
  markDeleted(store, table, located.row, userId, String(located.row.Id));
  return { id: String(located.row.Id), success: true, errors: [] };
}

function restoreDeleted(store: OrgStore, table: Table, row: Row, userId: string, root: string): SfErrorItem | undefined {
  const schema = table.schema;
  for (const field of schema.fields) {
    if (!field.unique || row[field.name] === null || row[field.name] === undefined) continue;
    const other = table.findByValue(field, row[field.name])[0];
    if (other) return fieldError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${other}`);
  }
  const stamp = store.clock.next();
  const { [CASCADE_ROOT]: _root, ...rest } = row;
  store.write(table, { ...rest, IsDeleted: false, LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp });
  for (const relation of schema.childRelationships) {
    if (!relation.cascadeDelete) continue;
    const children = store.table(relation.childSObject);
    if (!children) continue;
    for (const child of children.findByReference(relation.field, String(row.Id))) {
      if (child.IsDeleted === true && child[CASCADE_ROOT] === root) {
        const problem = restoreDeleted(store, children, child, userId, root);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

export function undeleteRecord(store: OrgStore, objectName: string, id: string, userId: string): SaveResult {
  const table = store.table(objectName);
  if (!table) return unsupportedType(objectName);
  const canonical = canonicalId(id);
  const row = canonical && canonical.startsWith(table.schema.keyPrefix) ? table.get(canonical) : undefined;
  if (!row) return failure([fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')], canonical ?? id);
  if (row.IsDeleted !== true) return failure([fieldError('UNDELETE_FAILED', 'Entity is not in the recycle bin')], canonical ?? id);
  if (row[CASCADE_ROOT]) return failure([fieldError('UNDELETE_FAILED', 'Entity was deleted with its parent; undelete the parent record')], canonical ?? id);
  const problem = store.atomically(() => restoreDeleted(store, table, row, userId, String(row.Id)), (result) => result === undefined);
  return problem ? failure([problem], String(row.Id)) : { id: String(row.Id), success: true, errors: [] };
}
