// One field's describe entry in Salesforce's exact key set, and the typed view the store works with.
// Entries recorded from real orgs are used as they are; trimmed recordings get the missing keys filled
// from the field type (see ../shared/data/salesforce-describe/README.md).

export type RawField = Record<string, unknown>;

/** Every key a v48+ field describe carries, in Salesforce's (alphabetical) order, with neutral values. */
export const FIELD_TEMPLATE: Readonly<RawField> = Object.freeze({
  aggregatable: true,
  aiPredictionField: false,
  autoNumber: false,
  byteLength: 0,
  calculated: false,
  calculatedFormula: null,
  cascadeDelete: false,
  caseSensitive: false,
  compoundFieldName: null,
  controllerName: null,
  createable: true,
  custom: false,
  defaultValue: null,
  defaultValueFormula: null,
  defaultedOnCreate: false,
  dependentPicklist: false,
  deprecatedAndHidden: false,
  digits: 0,
  displayLocationInDecimal: false,
  encrypted: false,
  externalId: false,
  extraTypeInfo: null,
  filterable: true,
  filteredLookupInfo: null,
  formulaTreatNullNumberAsZero: false,
  groupable: true,
  highScaleNumber: false,
  htmlFormatted: false,
  idLookup: false,
  inlineHelpText: null,
  label: '',
  length: 0,
  mask: null,
  maskType: null,
  name: '',
  nameField: false,
  namePointing: false,
  nillable: true,
  permissionable: true,
  picklistValues: [],
  polymorphicForeignKey: false,
  precision: 0,
  queryByDistance: false,
  referenceTargetField: null,
  referenceTo: [],
  relationshipName: null,
  relationshipOrder: null,
  restrictedDelete: false,
  restrictedPicklist: false,
  scale: 0,
  searchPrefilterable: false,
  soapType: 'xsd:string',
  sortable: true,
  type: 'string',
  unique: false,
  updateable: true,
  writeRequiresMasterRead: false,
});

export const SOAP_TYPES: Readonly<Record<string, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  long: 'xsd:long',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  address: 'urn:address',
  location: 'urn:location',
  base64: 'xsd:base64Binary',
  anyType: 'xsd:anyType',
};

/** Types whose values are text: lengths apply and `byteLength` is three bytes per character. */
export const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'email', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);

/** A complete entry: the template overlaid with what is known, keys kept in template order. */
export function completeField(known: RawField): RawField {
  const type = String(known.type ?? 'string');
  const out: RawField = {};
  for (const key of Object.keys(FIELD_TEMPLATE)) {
    out[key] = key in known ? known[key] : FIELD_TEMPLATE[key];
  }
  if (!('soapType' in known)) out.soapType = SOAP_TYPES[type] ?? 'xsd:string';
  if (!('byteLength' in known)) {
    const length = Number(out.length ?? 0);
    out.byteLength = type === 'id' || type === 'reference' ? 18 : TEXT_TYPES.has(type) ? length * 3 : 0;
  }
  return out;
}

export interface PicklistInfo {
  values: ReadonlySet<string>;
  restricted: boolean;
  defaultValue: string | null;
}

/** The typed view of a describe entry that validation, SOQL and rendering use. */
export interface FieldInfo {
  readonly name: string;
  readonly lower: string;
  readonly label: string;
  readonly type: string;
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly digits: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly defaultedOnCreate: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly caseSensitive: boolean;
  readonly idLookup: boolean;
  readonly custom: boolean;
  readonly calculated: boolean;
  readonly filterable: boolean;
  readonly sortable: boolean;
  readonly referenceTo: readonly string[];
  readonly relationshipName: string | null;
  readonly compoundFieldName: string | null;
  readonly picklist: PicklistInfo | null;
  readonly defaultValue: unknown;
  readonly raw: RawField;
}

export function fieldInfo(raw: RawField): FieldInfo {
  const type = String(raw.type);
  const picklistValues = Array.isArray(raw.picklistValues) ? (raw.picklistValues as RawField[]) : [];
  const isPicklist = type === 'picklist' || type === 'multipicklist';
  const activeValues = picklistValues.filter((v) => v.active !== false).map((v) => String(v.value));
  const defaultEntry = picklistValues.find((v) => v.defaultValue === true);
  return {
    name: String(raw.name),
    lower: String(raw.name).toLowerCase(),
    label: String(raw.label ?? raw.name),
    type,
    length: Number(raw.length ?? 0),
    precision: Number(raw.precision ?? 0),
    scale: Number(raw.scale ?? 0),
    digits: Number(raw.digits ?? 0),
    nillable: raw.nillable !== false,
    createable: raw.createable === true,
    updateable: raw.updateable === true,
    defaultedOnCreate: raw.defaultedOnCreate === true,
    externalId: raw.externalId === true,
    unique: raw.unique === true,
    caseSensitive: raw.caseSensitive === true,
    idLookup: raw.idLookup === true,
    custom: raw.custom === true,
    calculated: raw.calculated === true,
    filterable: raw.filterable !== false,
    sortable: raw.sortable !== false,
    referenceTo: Array.isArray(raw.referenceTo) ? (raw.referenceTo as string[]) : [],
    relationshipName: typeof raw.relationshipName === 'string' ? raw.relationshipName : null,
    compoundFieldName: typeof raw.compoundFieldName === 'string' ? raw.compoundFieldName : null,
    picklist: isPicklist
      ? { values: new Set(activeValues), restricted: raw.restrictedPicklist === true, defaultValue: defaultEntry ? String(defaultEntry.value) : null }
      : null,
    defaultValue: raw.defaultValue ?? null,
    raw,
  };
}

/** True when an insert must carry a value: not nillable, createable, nothing fills it in. */
export function isRequiredOnCreate(field: FieldInfo): boolean {
  return !field.nillable && field.createable && !field.defaultedOnCreate && field.type !== 'boolean';
}
