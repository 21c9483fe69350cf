// One sObject's schema: the describe JSON Salesforce would return plus case-insensitive lookups of its
// fields, parent relationships (Account.Owner) and child relationships (Account.Contacts).
import { completeField, fieldInfo, type FieldInfo, type RawField } from './field-describe.ts';
import { MASTER_RECORD_TYPE_ID, type RawDescribe } from './standard-objects.ts';

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
  raw: RawField;
}

export interface RecordTypeInfo {
  recordTypeId: string;
  developerName: string;
  name: string;
  active: boolean;
  master: boolean;
  defaultRecordTypeMapping: boolean;
}

export class ObjectSchema {
  readonly name: string;
  readonly keyPrefix: string;
  private readonly objectLevel: Record<string, unknown>;
  private rawFields: RawField[];
  private infos: FieldInfo[] = [];
  private byLower = new Map<string, FieldInfo>();
  private parents = new Map<string, FieldInfo>();
  private rawChildren: RawField[];
  private children = new Map<string, ChildRelationship>();
  readonly recordTypes: RecordTypeInfo[];

  constructor(describe: RawDescribe) {
    const { fields, childRelationships, recordTypeInfos, ...objectLevel } = describe;
    this.name = String(describe.name);
    this.keyPrefix = String(describe.keyPrefix);
    this.objectLevel = objectLevel;
    this.rawFields = fields;
    this.rawChildren = childRelationships ?? [];
    this.recordTypes = ((recordTypeInfos as RawField[] | undefined) ?? []).map((rt) => ({
      recordTypeId: String(rt.recordTypeId),
      developerName: String(rt.developerName),
      name: String(rt.name),
      active: rt.active !== false,
      master: rt.master === true,
      defaultRecordTypeMapping: rt.defaultRecordTypeMapping === true,
    }));
    this.reindex();
  }

  get label(): string {
    return String(this.objectLevel.label ?? this.name);
  }

  flag(key: 'createable' | 'updateable' | 'deletable' | 'undeletable' | 'queryable'): boolean {
    return this.objectLevel[key] === true;
  }

  get fields(): readonly FieldInfo[] {
    return this.infos;
  }

  field(name: string): FieldInfo | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** The reference field behind a parent relationship name, e.g. `owner` → OwnerId. */
  parentRelationship(relationshipName: string): FieldInfo | undefined {
    return this.parents.get(relationshipName.toLowerCase());
  }

  childRelationship(relationshipName: string): ChildRelationship | undefined {
    return this.children.get(relationshipName.toLowerCase());
  }

  get childRelationships(): readonly ChildRelationship[] {
    return [...this.children.values()];
  }

  /** Adds or replaces a field (keeping its position when it already exists). */
  upsertField(raw: RawField): FieldInfo {
    const complete = completeField(raw);
    const index = this.rawFields.findIndex((f) => String(f.name).toLowerCase() === String(complete.name).toLowerCase());
    if (index >= 0) this.rawFields[index] = complete;
    else this.rawFields.push(complete);
    this.reindex();
    return this.field(String(complete.name)) as FieldInfo;
  }

  addChildRelationship(raw: RawField): void {
    const name = String(raw.relationshipName ?? '').toLowerCase();
    this.rawChildren = this.rawChildren.filter(
      (c) => !(String(c.childSObject) === String(raw.childSObject) && String(c.field) === String(raw.field)) && (name === '' || String(c.relationshipName ?? '').toLowerCase() !== name),
    );
    this.rawChildren.push(raw);
    this.reindex();
  }

  upsertRecordType(info: Omit<RecordTypeInfo, 'master' | 'defaultRecordTypeMapping'>): void {
    const existing = this.recordTypes.find((rt) => rt.recordTypeId === info.recordTypeId);
    if (existing) Object.assign(existing, info);
    else this.recordTypes.push({ ...info, master: false, defaultRecordTypeMapping: false });
    if (!this.recordTypes.some((rt) => rt.master)) {
      this.recordTypes.push({ recordTypeId: MASTER_RECORD_TYPE_ID, developerName: 'Master', name: 'Master', active: true, master: true, defaultRecordTypeMapping: true });
    }
    this.recordTypes.sort((a, b) => Number(a.master) - Number(b.master) || a.name.localeCompare(b.name));
  }

  private reindex(): void {
    this.infos = this.rawFields.map(fieldInfo);
    this.byLower = new Map(this.infos.map((f) => [f.lower, f]));
    this.parents = new Map(this.infos.filter((f) => f.relationshipName).map((f) => [String(f.relationshipName).toLowerCase(), f]));
    this.children = new Map(
      this.rawChildren
        .filter((c) => typeof c.relationshipName === 'string')
        .map((c) => [
          String(c.relationshipName).toLowerCase(),
          { relationshipName: String(c.relationshipName), childSObject: String(c.childSObject), field: String(c.field), cascadeDelete: c.cascadeDelete === true, raw: c },
        ]),
    );
  }

  /** Salesforce's describe JSON: keys in alphabetical order, urls for the requested version and host. */
  describe(version: string, instanceUrl: string): Record<string, unknown> {
    const urls = rewriteUrls((this.objectLevel.urls as Record<string, string> | undefined) ?? {}, this.name, version, instanceUrl);
    const recordTypeInfos = this.recordTypes.map((rt) => ({
      active: rt.active,
      available: rt.active,
      defaultRecordTypeMapping: rt.defaultRecordTypeMapping,
      developerName: rt.developerName,
      master: rt.master,
      name: rt.name,
      recordTypeId: rt.recordTypeId,
      urls: { layout: `/services/data/v${version}/sobjects/${this.name}/describe/layouts/${rt.recordTypeId}` },
    }));
    const full: Record<string, unknown> = { ...this.objectLevel, childRelationships: this.rawChildren, fields: this.rawFields, recordTypeInfos, urls };
    return Object.fromEntries(Object.keys(full).sort().map((key) => [key, full[key]]));
  }

  /** The entry `GET /sobjects` lists for this object. */
  globalEntry(version: string): Record<string, unknown> {
    const keys = ['activateable', 'associateEntityType', 'associateParentEntity', 'createable', 'custom', 'customSetting', 'deepCloneable', 'deletable', 'deprecatedAndHidden', 'feedEnabled', 'hasSubtypes', 'isInterface', 'isSubtype', 'keyPrefix', 'label', 'labelPlural', 'layoutable', 'mergeable', 'mruEnabled', 'name', 'queryable', 'replicateable', 'retrieveable', 'searchable', 'triggerable', 'undeletable', 'updateable'];
    const entry: Record<string, unknown> = {};
    for (const key of keys) entry[key] = this.objectLevel[key] ?? (key === 'associateEntityType' || key === 'associateParentEntity' ? null : false);
    const base = `/services/data/v${version}/sobjects/${this.name}`;
    entry.urls = { rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base };
    return entry;
  }
}

function rewriteUrls(urls: Record<string, string>, objectName: string, version: string, instanceUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(urls)) {
    out[key] = value.replace(/\/v\d+\.\d+\//, `/v${version}/`).replace(/^https?:\/\/[^/]+/, instanceUrl);
  }
  if (!out.sobject) out.sobject = `/services/data/v${version}/sobjects/${objectName}`;
  return out;
}
