// Loads the standard objects' describes recorded from real orgs (../shared/data/salesforce-describe) and
// repairs what the recordings lack: the hand-made Account.Primary_Contact__c goes, record types from the
// recording org go (ours come from force-app), and the trimmed User/Organization/RecordType recordings get
// the keys the VS Code extension dropped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeDataDir } from '../core/paths.ts';
import { completeField, type RawField } from './field-describe.ts';

export type RawDescribe = Record<string, unknown> & { fields: RawField[]; childRelationships?: RawField[] };

export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

function readJson(file: string): RawDescribe {
  const full = path.join(describeDataDir, file);
  try {
    return JSON.parse(readFileSync(full, 'utf8')) as RawDescribe;
  } catch (error) {
    throw new Error(`The emulator needs the recorded describe ${full}: ${(error as Error).message}`, { cause: error });
  }
}

/** Lengths the trimmed recordings lost, as standard orgs report them. */
const TEXT_LENGTHS: Readonly<Record<string, number>> = {
  Username: 80, LastName: 80, FirstName: 40, Name: 121, CompanyName: 80, Division: 80, Department: 80, Title: 80,
  Street: 255, City: 40, State: 80, PostalCode: 20, Country: 80, Email: 128, SenderEmail: 80, SenderName: 80,
  Signature: 1333, StayInTouchSubject: 80, StayInTouchSignature: 512, StayInTouchNote: 512, Phone: 40, Fax: 40,
  MobilePhone: 40, Alias: 8, CommunityNickname: 40, BadgeText: 80, EmployeeNumber: 20, Extension: 40,
  FederationIdentifier: 512, AboutMe: 1000, OutOfOfficeMessage: 40, PrimaryContact: 80, ComplianceBccEmail: 80,
  SignupCountryIsoCode: 2, NamespacePrefix: 15, InstanceName: 5, WebToCaseDefaultOrigin: 40, DeveloperName: 80,
  Description: 255,
};

/** Fields the platform maintains: never createable or updateable through the API. */
const SYSTEM_FIELDS = new Set([
  'Id', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted',
  'LastLoginDate', 'LastPasswordChangeDate', 'LastViewedDate', 'LastReferencedDate', 'NumberOfFailedLogins',
  'FullPhotoUrl', 'SmallPhotoUrl', 'MediumPhotoUrl', 'BannerPhotoUrl', 'SmallBannerPhotoUrl', 'MediumBannerPhotoUrl',
  'IsExtIndicatorVisible', 'IsProfilePhotoActive', 'UserType', 'OfflineTrialExpirationDate', 'OfflinePdaTrialExpirationDate',
  'Address',
]);

const ADDRESS_PARTS = new Set(['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude', 'GeocodeAccuracy']);

function fillTrimmedField(objectName: string, trimmed: RawField, readOnlyObject: boolean): RawField {
  const name = String(trimmed.name);
  const type = String(trimmed.type);
  const system = SYSTEM_FIELDS.has(name) || (name === 'Name' && objectName === 'User');
  const known: RawField = { ...trimmed };
  known.length = type === 'id' || type === 'reference' ? 18 : ['string', 'textarea', 'phone', 'email', 'url'].includes(type) ? (TEXT_LENGTHS[name] ?? 255) : type === 'picklist' ? 40 : 0;
  known.createable = !system && !readOnlyObject;
  known.updateable = !system && !readOnlyObject;
  known.defaultedOnCreate = system || type === 'boolean';
  known.idLookup = name === 'Id' || (objectName === 'User' && (name === 'Username' || name === 'Email'));
  known.unique = objectName === 'User' && name === 'Username';
  known.nameField = name === 'Name';
  known.permissionable = trimmed.nillable === true && !system;
  known.restrictedPicklist = type === 'picklist' && /SidKey$|EncodingKey$|LanguageLocaleKey$|^SobjectType$/.test(name);
  if (type === 'int') known.digits = 9;
  if (name === 'Latitude' || name === 'Longitude') Object.assign(known, { precision: 18, scale: 15 });
  if (objectName === 'User' && (name === 'FirstName' || name === 'LastName')) known.compoundFieldName = 'Name';
  if ((objectName === 'User' || objectName === 'Organization') && ADDRESS_PARTS.has(name)) known.compoundFieldName = 'Address';
  return completeField(known);
}

/** Merges a sample recording (complete keys, few fields) with a trimmed one (many fields, few keys). */
function mergeTrimmed(objectName: string, sample: RawDescribe | undefined, trimmed: RawDescribe, objectLevel: Record<string, unknown>): RawDescribe {
  const complete = new Map((sample?.fields ?? []).map((f) => [String(f.name), f]));
  const readOnly = objectLevel.createable === false;
  const fields = trimmed.fields
    .filter((f) => !String(f.name).endsWith('__c'))
    .map((f) => complete.get(String(f.name)) ?? fillTrimmedField(objectName, f, readOnly));
  const childRelationships = (trimmed.childRelationships ?? []).filter((c) => !String(c.field).endsWith('__c'));
  return { ...objectLevel, childRelationships, fields };
}

function withoutMeta(describe: RawDescribe): Record<string, unknown> {
  const { fields: _fields, childRelationships: _children, ...rest } = describe;
  return rest;
}

const RECORD_TYPE_OBJECT: Readonly<Record<string, unknown>> = {
  actionOverrides: [], activateable: false, associateEntityType: null, associateParentEntity: null, compactLayoutable: false,
  createable: false, custom: false, customSetting: false, deepCloneable: false, defaultImplementation: null, deletable: false,
  deprecatedAndHidden: false, extendedBy: null, extendsInterfaces: null, feedEnabled: false, hasSubtypes: false,
  implementedBy: null, implementsInterfaces: null, isInterface: false, isSubtype: false, keyPrefix: '012', label: 'Record Type',
  labelPlural: 'Record Types', layoutable: false, listviewable: null, lookupLayoutable: null, mergeable: false, mruEnabled: false,
  name: 'RecordType', namedLayoutInfos: [], networkScopeFieldName: null, queryable: true, recordTypeInfos: [], replicateable: true,
  retrieveable: true, searchLayoutable: false, searchable: false, supportedScopes: [{ label: 'All record types', name: 'everything' }],
  triggerable: false, undeletable: false, updateable: false,
  urls: { rowTemplate: '/services/data/v62.0/sobjects/RecordType/{ID}', describe: '/services/data/v62.0/sobjects/RecordType/describe', sobject: '/services/data/v62.0/sobjects/RecordType' },
};

/** The standard objects the emulator serves, as full describe JSON objects. */
export function loadStandardDescribes(): RawDescribe[] {
  const account = readJson('Account.describe.json');
  account.fields = account.fields.filter((f) => f.name !== 'Primary_Contact__c');
  const out: RawDescribe[] = [account, readJson('Contact.describe.json'), readJson('Opportunity.describe.json'), readJson('OpportunityContactRole.describe.json')];
  for (const describe of out) {
    describe.recordTypeInfos = (describe.recordTypeInfos as RawField[] | undefined ?? []).filter((rt) => rt.master === true);
    for (const rt of describe.recordTypeInfos as RawField[]) rt.defaultRecordTypeMapping = true;
    describe.fields = describe.fields.map(completeField);
  }

  const userSample = readJson('User.describe.json');
  out.push(mergeTrimmed('User', userSample, readJson('trimmed/User.soqlMetadata.json'), withoutMeta(userSample)));

  const orgSample = readJson('Organization.describe.json');
  out.push(mergeTrimmed('Organization', orgSample, readJson('trimmed/Organization.soqlMetadata.json'), withoutMeta(orgSample)));

  out.push(mergeTrimmed('RecordType', undefined, readJson('trimmed/RecordType.soqlMetadata.json'), { ...RECORD_TYPE_OBJECT }));
  return out;
}
