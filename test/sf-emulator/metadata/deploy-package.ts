// Reads a deploy zip (mdapi format: package.xml + objects/*.object + permissionsets/*.permissionset)
// into the list of components package.xml names, each parsed and checked on its own. Which of them
// the org accepts is decided later, in deploy-plan.ts.
import JSZip from 'jszip';
import { customFieldFromMetadata, isRecord, text } from './custom-field.ts';
import type { CustomFieldWithRelationship } from './custom-field.ts';
import { permissionSetFromMetadata, recordTypeFromMetadata } from './record-type-and-permission-set.ts';
import type { PermissionSetMetadata, RecordTypeMetadata } from './record-type-and-permission-set.ts';
import { parseXml } from './xml.ts';

export interface ComponentSpec {
  componentType: string; // CustomObject | CustomField | RecordType | PermissionSet | anything named in package.xml
  fullName: string; // Account, Account.PRM_Id__c, Account.Partner_Account, PRM_Integration
  fileName: string; // zip path as Salesforce reports it, e.g. objects/Account.object
  problems: string[];
  objectName?: string;
  field?: CustomFieldWithRelationship; // fullName without the object
  standardField?: boolean; // a field without __c: valid only if the object already has it
  recordType?: RecordTypeMetadata;
  permissionSet?: PermissionSetMetadata;
}

export class DeployPackageError extends Error {}

export const EMULATED_METADATA_TYPES = new Set(['CustomObject', 'CustomField', 'RecordType', 'PermissionSet']);

/** Children of an .object file the emulator deploys; any other child component type is refused. */
const OBJECT_CHILDREN: Record<string, string> = { fields: 'CustomField', recordTypes: 'RecordType' };
/** Object-level settings of a standard object; accepted and ignored (the emulator has no such settings). */
const OBJECT_SETTINGS = new Set(['fullName', 'label', 'pluralLabel', 'description', 'enableHistory', 'enableFeeds',
  'sharingModel', 'externalSharingModel', 'compactLayoutAssignment', 'enableSearch', 'enableReports',
  'enableActivities', 'enableBulkApi', 'enableSharing', 'enableStreamingApi', 'deploymentStatus', 'visibility']);

export async function readDeployZip(base64: string): Promise<ComponentSpec[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(Buffer.from(base64, 'base64'));
  } catch (error) {
    throw new DeployPackageError(`The zip file is not valid: ${(error as Error).message}`);
  }
  const manifestPath = Object.keys(zip.files).filter((p) => /(^|\/)package\.xml$/.test(p)).sort((a, b) => a.length - b.length)[0];
  if (!manifestPath) throw new DeployPackageError('No package.xml found');
  const root = manifestPath.slice(0, -'package.xml'.length);
  const files = new Map<string, string>();
  for (const [path, entry] of Object.entries(zip.files)) {
    if (!entry.dir && path.startsWith(root)) files.set(path.slice(root.length), await entry.async('string'));
  }
  const manifest = readManifest(files.get('package.xml') ?? '');
  return componentsOf(manifest, files);
}

/** package.xml → { type name → members }. */
export function readManifest(xml: string): Map<string, string[]> {
  let document: Record<string, unknown>;
  try {
    document = parseXml(xml);
  } catch (error) {
    throw new DeployPackageError(`Error parsing file: package.xml: ${(error as Error).message}`);
  }
  const pkg = document.Package;
  if (!isRecord(pkg)) throw new DeployPackageError('package.xml has no Package element');
  const manifest = new Map<string, string[]>();
  for (const type of (pkg.types as unknown[] | undefined) ?? []) {
    const name = isRecord(type) ? text(type.name) : undefined;
    if (!name || !isRecord(type)) throw new DeployPackageError('package.xml: every <types> needs a <name>');
    const members = ((type.members as unknown[] | undefined) ?? []).map(text).filter((m): m is string => m !== undefined);
    manifest.set(name, [...(manifest.get(name) ?? []), ...members]);
  }
  return manifest;
}

function componentsOf(manifest: Map<string, string[]>, files: Map<string, string>): ComponentSpec[] {
  const objectFiles = new Map<string, ObjectFile>();
  const objectFile = (objectName: string): ObjectFile | undefined => {
    if (!objectFiles.has(objectName)) {
      const fileName = `objects/${objectName}.object`;
      const xml = files.get(fileName);
      if (xml !== undefined) objectFiles.set(objectName, parseObjectFile(fileName, xml));
    }
    return objectFiles.get(objectName);
  };
  const allObjectNames = [...files.keys()].flatMap((p) => /^objects\/([^/]+)\.object$/.exec(p)?.[1] ?? []);
  const specs: ComponentSpec[] = [];

  for (const [type, listed] of manifest) {
    const wildcard = listed.includes('*');
    if (type === 'CustomObject') {
      for (const objectName of wildcard ? allObjectNames : listed) {
        const file = objectFile(objectName);
        if (!file) specs.push(notInZip(type, objectName, `objects/${objectName}.object`));
        else specs.push(...objectComponents(file, objectName));
      }
    } else if (type === 'CustomField' || type === 'RecordType') {
      const childKey = type === 'CustomField' ? 'fields' : 'recordTypes';
      const members = wildcard
        ? allObjectNames.flatMap((o) => [...(objectFile(o)?.children.get(childKey)?.keys() ?? [])].map((c) => `${o}.${c}`))
        : listed;
      for (const member of members) {
        const [objectName = '', childName = ''] = splitMember(member);
        const file = objectFile(objectName);
        const raw = file?.children.get(childKey)?.get(childName);
        if (!file || !raw) specs.push(notInZip(type, member, `objects/${objectName}.object`));
        else specs.push(childComponent(type, objectName, raw, file.fileName));
      }
    } else if (type === 'PermissionSet') {
      const names = wildcard
        ? [...files.keys()].flatMap((p) => /^permissionsets\/([^/]+)\.permissionset$/.exec(p)?.[1] ?? [])
        : listed;
      for (const name of names) specs.push(permissionSetComponent(name, files.get(`permissionsets/${name}.permissionset`)));
    } else {
      for (const member of listed) {
        specs.push({ componentType: type, fullName: member, fileName: 'package.xml', problems: [`The org emulator does not support metadata type ${type}`] });
      }
    }
  }
  const seen = new Set<string>();
  return specs.filter((spec) => {
    const key = `${spec.componentType}:${spec.fullName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface ObjectFile {
  fileName: string;
  problems: string[];
  /** 'fields' | 'recordTypes' → child fullName → raw element. */
  children: Map<string, Map<string, Record<string, unknown>>>;
  unsupportedChildren: string[];
}

function parseObjectFile(fileName: string, xml: string): ObjectFile {
  const file: ObjectFile = { fileName, problems: [], children: new Map(), unsupportedChildren: [] };
  let document: Record<string, unknown>;
  try {
    document = parseXml(xml);
  } catch (error) {
    file.problems.push(`Error parsing file: ${(error as Error).message}`);
    return file;
  }
  const object = document.CustomObject;
  if (object === '') return file; // an empty <CustomObject/> container
  if (!isRecord(object)) {
    file.problems.push('Error parsing file: the root element is not CustomObject');
    return file;
  }
  for (const [key, value] of Object.entries(object)) {
    if (key in OBJECT_CHILDREN) {
      const byName = new Map<string, Record<string, unknown>>();
      for (const child of value as unknown[]) {
        if (!isRecord(child) || !text(child.fullName)) file.problems.push(`Error parsing file: every <${key}> needs a <fullName>`);
        else byName.set(text(child.fullName) as string, child);
      }
      file.children.set(key, byName);
    } else if (!OBJECT_SETTINGS.has(key)) {
      file.unsupportedChildren.push(key);
    }
  }
  return file;
}

function objectComponents(file: ObjectFile, objectName: string): ComponentSpec[] {
  const problems = [...file.problems, ...file.unsupportedChildren.map((c) => `The org emulator does not support <${c}> in CustomObject`)];
  const specs: ComponentSpec[] = [{ componentType: 'CustomObject', fullName: objectName, fileName: file.fileName, problems, objectName }];
  for (const [key, type] of Object.entries(OBJECT_CHILDREN)) {
    for (const raw of file.children.get(key)?.values() ?? []) specs.push(childComponent(type, objectName, raw, file.fileName));
  }
  return specs;
}

function childComponent(type: string, objectName: string, raw: Record<string, unknown>, fileName: string): ComponentSpec {
  const childName = text(raw.fullName) ?? '';
  const spec: ComponentSpec = { componentType: type, fullName: `${objectName}.${childName}`, fileName, problems: [], objectName };
  if (type === 'CustomField' && !childName.endsWith('__c')) {
    spec.standardField = true;
  } else if (type === 'CustomField') {
    const converted = customFieldFromMetadata(raw);
    if (converted.ok) spec.field = converted.field;
    else spec.problems.push(...converted.problems);
  } else {
    const parsed = recordTypeFromMetadata(raw);
    if (parsed.ok) spec.recordType = parsed.value;
    else spec.problems.push(...parsed.problems);
  }
  return spec;
}

function permissionSetComponent(name: string, xml: string | undefined): ComponentSpec {
  const fileName = `permissionsets/${name}.permissionset`;
  if (xml === undefined) return notInZip('PermissionSet', name, fileName);
  const spec: ComponentSpec = { componentType: 'PermissionSet', fullName: name, fileName, problems: [] };
  let document: Record<string, unknown>;
  try {
    document = parseXml(xml);
  } catch (error) {
    spec.problems.push(`Error parsing file: ${(error as Error).message}`);
    return spec;
  }
  const parsed = permissionSetFromMetadata(name, isRecord(document.PermissionSet) ? document.PermissionSet : {});
  if (parsed.ok) spec.permissionSet = parsed.value;
  else spec.problems.push(...parsed.problems);
  return spec;
}

function notInZip(type: string, member: string, fileName: string): ComponentSpec {
  return {
    componentType: type,
    fullName: member,
    fileName,
    problems: [`An object '${member}' of type ${type} was named in package.xml, but was not found in zipped directory`],
  };
}

function splitMember(member: string): [string, string] {
  const dot = member.indexOf('.');
  return dot < 0 ? [member, ''] : [member.slice(0, dot), member.slice(dot + 1)];
}
