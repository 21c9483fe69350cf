// The EmulatorOrg every route module uses (see contracts.ts): schema changes, DML with Salesforce's
// validation, retrieval and SOQL over the in-memory store.
import type { CustomFieldDefinition, EmulatorOrg, RecordTypeDefinition, SaveResult, SfErrorItem, SObjectValues } from '../contracts.ts';
import { canonicalId } from '../core/ids.ts';
import { describeCustomField, fieldApiName, InvalidFieldDefinitionError, type CustomFieldExtras } from '../schema/custom-field.ts';
import { completeField, type RawField } from '../schema/field-describe.ts';
import { ObjectSchema } from '../schema/object-schema.ts';
import type { RawDescribe } from '../schema/standard-objects.ts';
import { compileQuery } from '../soql/compile.ts';
import { executeQuery, renderRecord } from '../soql/render.ts';
import { createRecord, deleteRecord, insertRow, matchUpsertKey, undeleteRecord, updateRecord, updateRow, upsertRecord } from './dml.ts';
import { OrgStore } from './org-store.ts';
import { Table, type Row } from './table.ts';
import { renderAddress, renderValue } from './values.ts';

export const DEFAULT_API_VERSION = '62.0';

/** The per-record fault hook route modules consult before each write (faults.ts provides it). */
export interface RecordFaultHook {
  recordFailure(contextOrObject: string | RecordFaultContext, values?: SObjectValues): SfErrorItem | undefined;
}

export interface RecordFaultContext {
  objectName: string;
  api?: string;
  operation?: string;
  index?: number;
  values?: SObjectValues;
}

const RECORD_TYPE_ID_FIELD: RawField = {
  aggregatable: true, byteLength: 18, createable: true, custom: false, filterable: true, groupable: true, label: 'Record Type ID', length: 18,
  name: 'RecordTypeId', nillable: true, permissionable: false, referenceTo: ['RecordType'], relationshipName: 'RecordType', soapType: 'tns:ID', sortable: true, type: 'reference', updateable: true,
};

export class Org implements EmulatorOrg {
  readonly store: OrgStore;
  /** Fault scripting for per-record failures (collections, Bulk API); set by startEmulator. */
  faults?: RecordFaultHook;
  /** Resolves an access token to its user (set by the server's token store). */
  userIdForToken?: (token: string) => string | undefined;

  constructor(describes: RawDescribe[], options: { now?: () => number; orgId: string }) {
    this.store = new OrgStore({ now: options.now });
    this.store.orgId = options.orgId;
    for (const describe of describes) this.store.addTable(new Table(new ObjectSchema(describe)));
  }

  get orgId(): string {
    return this.store.orgId;
  }

  get now(): number {
    return this.store.clock.now();
  }

  resolveObjectName(objectName: string): string | undefined {
    return this.store.schema(objectName)?.name;
  }

  schema(objectName: string): ObjectSchema | undefined {
    return this.store.schema(objectName);
  }

  describe(objectName: string, version = DEFAULT_API_VERSION): Record<string, unknown> | undefined {
    return this.store.schema(objectName)?.describe(version, this.store.instanceUrl);
  }

  upsertCustomField(objectName: string, field: CustomFieldDefinition): void {
    const table = this.store.table(objectName);
    if (!table) throw new InvalidFieldDefinitionError(`Cannot find the object ${objectName} for the custom field ${field.fullName}`);
    const schema = table.schema;
    const dot = field.fullName.indexOf('.');
    if (dot > 0 && field.fullName.slice(0, dot).toLowerCase() !== schema.name.toLowerCase()) {
      throw new InvalidFieldDefinitionError(`The field ${field.fullName} does not belong to ${schema.name}`);
    }
    const name = fieldApiName(field.fullName);
    const existing = schema.field(name);
    if (existing && !existing.custom) throw new InvalidFieldDefinitionError(`${name}: a standard field with this name already exists on ${schema.name}`);
    const extras = field as CustomFieldDefinition & CustomFieldExtras;
    const raw = describeCustomField(field, { referenceTo: extras.referenceTo, relationshipName: extras.relationshipName });
    if (raw.type === 'reference') {
      const target = this.store.table(String((raw.referenceTo as string[])[0]));
      if (!target) throw new InvalidFieldDefinitionError(`${name}: referenceTo ${String((raw.referenceTo as string[])[0])} is not an object in this org`);
      raw.referenceTo = [target.schema.name];
      target.schema.addChildRelationship({
        cascadeDelete: raw.cascadeDelete === true, childSObject: schema.name, deprecatedAndHidden: false, field: name,
        junctionIdListNames: [], junctionReferenceTo: [], relationshipName: `${extras.relationshipName ?? `${name.slice(0, -3)}s`}__r`, restrictedDelete: false,
      });
    }
    schema.upsertField(raw);
    table.refreshIndexes();
  }

  upsertRecordType(recordType: RecordTypeDefinition): string {
    const table = this.store.table(recordType.sobjectType);
    if (!table) throw new InvalidFieldDefinitionError(`Cannot find the object ${recordType.sobjectType} for the record type ${recordType.developerName}`);
    if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(recordType.developerName)) {
      throw new InvalidFieldDefinitionError(`The record type name "${recordType.developerName}" is invalid: use letters, numbers and single underscores, starting with a letter.`);
    }
    const schema = table.schema;
    const rtTable = this.store.table('RecordType') as Table;
    const existing = [...rtTable.values()].find((row) => row.SobjectType === schema.name && String(row.DeveloperName).toLowerCase() === recordType.developerName.toLowerCase());
    const values = { Name: recordType.label, DeveloperName: recordType.developerName, SobjectType: schema.name, IsActive: recordType.active };
    const userId = this.store.defaultUserId;
    let id: string;
    if (existing) {
      updateRow(this.store, rtTable, existing, values, userId);
      id = String(existing.Id);
    } else {
      id = insertRow(this.store, rtTable, values, userId);
    }
    if (!schema.field('RecordTypeId')) {
      schema.upsertField(completeField(RECORD_TYPE_ID_FIELD));
      table.refreshIndexes();
    }
    schema.upsertRecordType({ recordTypeId: id, developerName: recordType.developerName, name: recordType.label, active: recordType.active });
    return id;
  }

  private user(userId: string | undefined): string {
    return userId ?? this.store.defaultUserId;
  }

  create(objectName: string, values: SObjectValues, userId?: string): SaveResult {
    return createRecord(this.store, objectName, values, this.user(userId));
  }

  update(objectName: string, id: string, values: SObjectValues, userId?: string): SaveResult {
    return updateRecord(this.store, objectName, id, values, this.user(userId));
  }

  upsert(objectName: string, externalIdField: string, values: SObjectValues, userId?: string): SaveResult {
    return upsertRecord(this.store, objectName, externalIdField, values, this.user(userId));
  }

  delete(objectName: string, id: string, userId?: string): SaveResult {
    return deleteRecord(this.store, objectName, id, this.user(userId));
  }

  undelete(objectName: string, id: string, userId?: string): SaveResult {
    return undeleteRecord(this.store, objectName, id, this.user(userId));
  }

  /** Ids of live records an upsert key matches (REST upsert answers 300 when there are several). */
  matchExternalId(objectName: string, fieldName: string, value: unknown): { ids: string[] } | SfErrorItem {
    return matchUpsertKey(this.store, objectName, fieldName, value);
  }

  /** Runs `work` atomically; when `keep` rejects the result every write it made is rolled back. */
  atomically<T>(work: () => T, keep?: (result: T) => boolean): T {
    return this.store.atomically(work, keep);
  }

  /** The stored row (deleted ones too) for a canonical or 15-char id. */
  row(objectName: string, id: string): Row | undefined {
    const canonical = canonicalId(id);
    return canonical ? this.store.table(objectName)?.get(canonical) : undefined;
  }

  /** A live record as REST returns it: every field, or the named ones. */
  retrieve(objectName: string, id: string, fields?: string[], version = DEFAULT_API_VERSION): SObjectValues | undefined {
    const table = this.store.table(objectName);
    const row = this.row(objectName, id);
    if (!table || !row || row.IsDeleted === true) return undefined;
    return this.renderRow(table, row, fields, version);
  }

  renderRow(table: Table, row: Row, fields: string[] | undefined, version = DEFAULT_API_VERSION): SObjectValues {
    const schema = table.schema;
    const out: SObjectValues = { attributes: { type: schema.name, url: `/services/data/v${version}/sobjects/${schema.name}/${String(row.Id)}` } };
    const selected = fields ? fields.map((name) => schema.field(name)).filter((f) => f !== undefined) : schema.fields;
    for (const field of selected) out[field.name] = field.type === 'address' ? renderAddress(field.name, row) : renderValue(field, row[field.name]);
    return out;
  }

  query(soql: string, options: { includeDeleted?: boolean; version?: string } = {}): { totalSize: number; records: SObjectValues[] } {
    const compiled = compileQuery(this.store, soql, this.now);
    const includeDeleted = options.includeDeleted === true;
    const outcome = executeQuery(compiled, includeDeleted);
    const render = { version: options.version ?? DEFAULT_API_VERSION, includeDeleted };
    const records = outcome.aggregateRecords ?? outcome.rows.map((row) => renderRecord(compiled, row, render));
    return { totalSize: outcome.totalSize, records };
  }
}
