// Turns the files of force-app into the MetadataBundle the checks read. Pure: takes file texts, not paths
// on disk, so tests can feed it the real package with one file swapped for a broken fixture.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type {
  FieldMeta,
  FieldPermissionMeta,
  MetadataBundle,
  ObjectPermissionMeta,
  PermissionSetMeta,
  PicklistValueMeta,
  Problem,
  RecordTypeMeta,
  RecordTypePicklistMeta,
  RecordTypeVisibilityMeta,
  SourceFile,
  ValueSetMeta,
} from './model.ts';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

type XmlNode = Record<string, unknown>;

// Every element becomes an array, so a repeated element is visible (and reportable) instead of one
// occurrence silently replacing another; values stay strings ('36', 'true') for the checks to judge.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
});

interface FileKind {
  readonly pattern: RegExp;
  readonly root: string;
  readonly suffix: string;
}

const FIELD: FileKind = { pattern: /\/objects\/([^/]+)\/fields\/([^/]+)\.field-meta\.xml$/, root: 'CustomField', suffix: '.field-meta.xml' };
const RECORD_TYPE: FileKind = {
  pattern: /\/objects\/([^/]+)\/recordTypes\/([^/]+)\.recordType-meta\.xml$/,
  root: 'RecordType',
  suffix: '.recordType-meta.xml',
};
const PERMISSION_SET: FileKind = {
  pattern: /\/permissionsets\/([^/]+)\.permissionset-meta\.xml$/,
  root: 'PermissionSet',
  suffix: '.permissionset-meta.xml',
};

const LEADING_COMMENT = /^\s*(?:<\?xml[^>]*\?>\s*)?<!--/;

/** Parses every XML file; models fields, record types and permission sets; reports what cannot be read. */
export function parseSources(files: readonly SourceFile[]): MetadataBundle {
  const fields: FieldMeta[] = [];
  const recordTypes: RecordTypeMeta[] = [];
  const permissionSets: PermissionSetMeta[] = [];
  const parseProblems: Problem[] = [];
  const xmlFiles: string[] = [];

  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!file.path.endsWith('.xml')) continue;
    xmlFiles.push(file.path);
    const kind = [FIELD, RECORD_TYPE, PERMISSION_SET].find((k) => file.path.endsWith(k.suffix));
    const match = kind ? `/${file.path}`.match(kind.pattern) : null;
    if (kind && !match) {
      parseProblems.push({ file: file.path, message: `a ${kind.root} file must sit in ${describeLocation(kind)}; the sf CLI would not find it here.` });
      continue;
    }
    const root = parseRoot(file, kind?.root, parseProblems);
    if (!root || !kind || !match) continue;
    // The CLI merges fields and record types into their object's file, and its merge step stops at a
    // comment before the root element ("Invalid XML tags or unable to find matching parent xml file").
    if (kind !== PERMISSION_SET && LEADING_COMMENT.test(file.text)) {
      parseProblems.push({ file: file.path, message: `a comment before <${kind.root}> makes sf project convert source fail ("Invalid XML tags"); move it inside the element or remove it.` });
    }
    const [, first = '', second = ''] = match;
    if (kind === FIELD) fields.push(toField(file.path, first, second, root));
    else if (kind === RECORD_TYPE) recordTypes.push(toRecordType(file.path, first, second, root));
    else permissionSets.push(toPermissionSet(file.path, first, root));
  }
  return { fields, recordTypes, permissionSets, xmlFiles, parseProblems };
}

function describeLocation(kind: FileKind): string {
  if (kind === FIELD) return 'objects/<Object>/fields/';
  if (kind === RECORD_TYPE) return 'objects/<Object>/recordTypes/';
  return 'permissionsets/';
}

/** Validates and parses one file; returns its root element's node, or undefined after recording why not. */
function parseRoot(file: SourceFile, expectedRoot: string | undefined, problems: Problem[]): XmlNode | undefined {
  const validation = XMLValidator.validate(file.text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const where = line ? ` (line ${line}${col ? `, column ${col}` : ''})` : '';
    problems.push({ file: file.path, message: `XML does not parse: ${msg}${where}` });
    return undefined;
  }
  let document: XmlNode;
  try {
    document = parser.parse(file.text) as XmlNode;
  } catch (error) {
    problems.push({ file: file.path, message: `XML does not parse: ${(error as Error).message}` });
    return undefined;
  }
  const roots = Object.keys(document).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  const rootName = roots[0];
  if (roots.length !== 1 || rootName === undefined || (document[rootName] as unknown[]).length !== 1) {
    problems.push({ file: file.path, message: `XML must have exactly one root element; found ${roots.length === 0 ? 'none' : roots.join(', ')}.` });
    return undefined;
  }
  if (expectedRoot && rootName !== expectedRoot) {
    problems.push({ file: file.path, message: `root element is <${rootName}>; a file named *${suffixOf(file.path)} must hold <${expectedRoot}>.` });
    return undefined;
  }
  const root = asNode((document[rootName] as unknown[])[0]);
  if (file.path.endsWith('-meta.xml') && root['@_xmlns'] !== METADATA_NAMESPACE) {
    problems.push({
      file: file.path,
      message: `<${rootName}> must declare xmlns="${METADATA_NAMESPACE}"; found ${root['@_xmlns'] === undefined ? 'no namespace' : `"${String(root['@_xmlns'])}"`}.`,
    });
    return undefined;
  }
  return root;
}

function suffixOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.slice(name.indexOf('.'));
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && '#text' in value) return String((value as XmlNode)['#text']);
  if (typeof value === 'object' && value !== null && Object.keys(value).every((key) => key.startsWith('@_'))) return '';
  return undefined;
}

/** The leaf (text) children of a node: first value per element name, plus the names that repeat. */
function leaves(node: XmlNode): { values: Record<string, string>; repeated: string[] } {
  const values: Record<string, string> = {};
  const repeated: string[] = [];
  for (const [key, entries] of Object.entries(node)) {
    if (key.startsWith('@_') || !Array.isArray(entries)) continue;
    const first = textOf(entries[0]);
    if (first === undefined) continue;
    values[key] = first;
    if (entries.length > 1) repeated.push(key);
  }
  return { values, repeated };
}

/** Child elements with sub-elements (e.g. every <fieldPermissions>), as nodes. */
function childNodes(node: XmlNode, key: string): XmlNode[] {
  const entries = node[key];
  return Array.isArray(entries) ? entries.map(asNode) : [];
}

function leafRecord<K extends string>(node: XmlNode, keys: readonly K[]): Partial<Record<K, string>> {
  const { values } = leaves(node);
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) if (values[key] !== undefined) out[key] = values[key];
  return out;
}

function toField(file: string, object: string, name: string, root: XmlNode): FieldMeta {
  const { values, repeated } = leaves(root);
  const valueSetNode = childNodes(root, 'valueSet')[0];
  if (childNodes(root, 'valueSet').length > 1) repeated.push('valueSet');
  let valueSet: ValueSetMeta | undefined;
  if (valueSetNode) {
    const definition = childNodes(valueSetNode, 'valueSetDefinition')[0];
    const pickValues: PicklistValueMeta[] = definition
      ? childNodes(definition, 'value').map((value) => leafRecord(value, ['fullName', 'label', 'default'] as const))
      : [];
    valueSet = { ...leafRecord(valueSetNode, ['restricted', 'valueSetName'] as const), hasDefinition: definition !== undefined, values: pickValues };
  }
  return { file, object, name, values, repeated, ...(valueSet ? { valueSet } : {}) };
}

function toRecordType(file: string, object: string, name: string, root: XmlNode): RecordTypeMeta {
  const { values, repeated } = leaves(root);
  const picklists: RecordTypePicklistMeta[] = childNodes(root, 'picklistValues').map((node) => ({
    ...leafRecord(node, ['picklist'] as const),
    values: childNodes(node, 'values').map((value) => leafRecord(value, ['fullName', 'default'] as const)),
  }));
  return { file, object, name, values, repeated, picklists };
}

function toPermissionSet(file: string, name: string, root: XmlNode): PermissionSetMeta {
  const { values, repeated } = leaves(root);
  const fieldPermissions: FieldPermissionMeta[] = childNodes(root, 'fieldPermissions').map((node) =>
    leafRecord(node, ['field', 'readable', 'editable'] as const),
  );
  const objectPermissions: ObjectPermissionMeta[] = childNodes(root, 'objectPermissions').map((node) =>
    leafRecord(node, ['object', 'allowCreate', 'allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords', 'modifyAllRecords'] as const),
  );
  const recordTypeVisibilities: RecordTypeVisibilityMeta[] = childNodes(root, 'recordTypeVisibilities').map((node) =>
    leafRecord(node, ['recordType', 'visible', 'default'] as const),
  );
  return { file, name, values, repeated, fieldPermissions, objectPermissions, recordTypeVisibilities };
}

/** A package.xml manifest: its API version and the members listed per metadata type. */
export interface PackageManifest {
  readonly version?: string;
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Parses the package.xml that `sf project convert source` writes; a string result is the parse error. */
export function parseManifest(text: string): PackageManifest | string {
  const problems: Problem[] = [];
  const root = parseRoot({ path: 'package.xml', text }, 'Package', problems);
  if (!root) return problems.map((problem) => problem.message).join('; ');
  const members = new Map<string, Set<string>>();
  for (const types of childNodes(root, 'types')) {
    const { values } = leaves(types);
    const list = (Array.isArray(types.members) ? types.members : []).map(textOf).filter((m): m is string => m !== undefined);
    if (values.name) members.set(values.name, new Set([...(members.get(values.name) ?? []), ...list]));
  }
  const version = leaves(root).values.version;
  return { ...(version !== undefined ? { version } : {}), members };
}
