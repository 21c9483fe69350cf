// The offline checks of the companion package. Pure: each takes the parsed package (and the few facts it
// needs) and returns problems naming the file and what is wrong. scripts/validate-metadata.ts runs them
// on force-app; test/metadata runs them on broken fixtures.
import { fieldDefinitionProblems, isBooleanText } from './field-rules.ts';
import { failedToParse, fieldPath, findField, permissionSetPath, recordTypePath } from './lookup.ts';
import { qualifiedName } from './model.ts';
import type { CheckResult, FieldMeta, MetadataBundle, Problem, RecordTypeMeta } from './model.ts';
import { SPEC_FIELDS, SPEC_PERMISSION_SETS, SPEC_RECORD_TYPES } from './package-spec.ts';
import { permissionSetGrantProblems, permissionSetReferenceProblems } from './permission-checks.ts';
import type { StandardFieldIndex } from './standard-fields.ts';

export const SFDX_PROJECT_FILE = 'sfdx-project.json';

export interface CheckContext {
  /** SALESFORCE_API_VERSION from the middleware. */
  readonly apiVersion: string;
  /** The text of sfdx-project.json, or undefined when the file is missing. */
  readonly sfdxProjectText: string | undefined;
  readonly standardFields: StandardFieldIndex;
}

/** Runs every check on the parsed package, in report order. */
export function runChecks(bundle: MetadataBundle, context: CheckContext): CheckResult[] {
  const { fields, recordTypes, permissionSets, xmlFiles } = bundle;
  const specCount = SPEC_FIELDS.length + SPEC_RECORD_TYPES.length + SPEC_PERMISSION_SETS.length;
  return [
    { name: 'every XML file parses (fast-xml-parser)', scope: count(xmlFiles.length, 'XML file'), problems: bundle.parseProblems },
    { name: 'each field has the elements its type requires', scope: count(fields.length, 'field'), problems: checkFieldDefinitions(bundle) },
    { name: 'the package deploys what spec §2 lists', scope: count(specCount, 'requirement'), problems: checkPackageSpec(bundle) },
    {
      name: 'record types name existing picklists and values',
      scope: count(recordTypes.length, 'record type'),
      problems: checkRecordTypes(bundle, context.standardFields),
    },
    {
      name: 'permission sets name existing fields, objects and record types',
      scope: count(permissionSets.length, 'permission set'),
      problems: permissionSetReferenceProblems(bundle, context.standardFields),
    },
    {
      name: 'PRM_Integration grants every PRM_ field',
      scope: count(fields.filter((field) => field.name.startsWith('PRM_')).length, 'PRM_ field'),
      problems: permissionSetGrantProblems(bundle, context.standardFields),
    },
    {
      name: 'sfdx-project.json sourceApiVersion equals SALESFORCE_API_VERSION',
      scope: `API ${context.apiVersion}`,
      problems: checkApiVersion(context.sfdxProjectText, context.apiVersion),
    },
  ];
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** (c) Each field carries what its type requires; PRM_ fields explain themselves to admins. */
export function checkFieldDefinitions(bundle: MetadataBundle): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const field of bundle.fields) {
    for (const message of fieldDefinitionProblems(field)) problems.push({ file: field.file, message });
    if (field.name.startsWith('PRM_')) {
      if (!field.values.description) problems.push({ file: field.file, message: 'needs a <description> telling admins what prm-sync does with the field.' });
      if (!field.values.inlineHelpText) problems.push({ file: field.file, message: 'needs <inlineHelpText> for the users who see the field.' });
    }
    const key = qualifiedName(field.object, field.name).toLowerCase();
    const earlier = seen.get(key);
    if (earlier) problems.push({ file: field.file, message: `defines the same field as ${earlier} (API names are case-insensitive).` });
    seen.set(key, field.file);
  }
  return problems;
}

/** Spec §2: every listed field exists with its type, length, key flags, default and picklist values. */
export function checkPackageSpec(bundle: MetadataBundle): Problem[] {
  const problems: Problem[] = [];
  for (const spec of SPEC_FIELDS) {
    const field = findField(bundle, spec.object, spec.name);
    const file = field?.file ?? fieldPath(spec.object, spec.name);
    const say = (message: string) => problems.push({ file, message: `${qualifiedName(spec.object, spec.name)} ${message}` });
    if (!field) {
      const why = failedToParse(bundle, file) ? 'cannot be checked: its file does not parse' : 'is missing';
      say(`${why}; spec §2 requires it (${spec.type}${spec.length ? `(${spec.length})` : ''}).`);
      continue;
    }
    const v = field.values;
    if (v.type !== spec.type) say(`must be of type ${spec.type} (spec §2); found ${v.type ?? 'no type'}.`);
    if (spec.length !== undefined && v.length !== String(spec.length)) say(`must have <length>${spec.length}</length> (spec §2); found ${v.length ?? 'none'}.`);
    if (spec.key) {
      if (v.externalId !== 'true') say('must be an External ID (<externalId>true</externalId>): prm-sync upserts on it.');
      if (v.unique !== 'true') say('must be Unique (<unique>true</unique>) so one PRM record maps to one Salesforce record.');
      if (v.caseSensitive !== 'false') say('must be case-insensitive (<caseSensitive>false</caseSensitive>) so ids differing only in case collide.');
    } else {
      if (v.externalId === 'true') say('must not be an External ID; spec §2 reserves that for PRM_Id__c and PRM_Deal_Id__c.');
      if (v.unique === 'true') say('must not be Unique; spec §2 does not ask for it.');
    }
    if (spec.defaultValue !== undefined && v.defaultValue !== spec.defaultValue) {
      say(`must default to ${spec.defaultValue} (spec §2); found ${v.defaultValue ?? 'no default'}.`);
    }
    if (spec.picklist) problems.push(...picklistSpecProblems(field, spec.picklist));
  }
  for (const spec of SPEC_RECORD_TYPES) {
    const recordType = bundle.recordTypes.find((rt) => rt.object === spec.object && rt.name === spec.name);
    if (!recordType) {
      problems.push({ file: recordTypePath(spec.object, spec.name), message: `record type ${qualifiedName(spec.object, spec.name)} is missing; spec §2 requires it.` });
      continue;
    }
    if (recordType.values.active !== 'true') problems.push({ file: recordType.file, message: 'must be active (<active>true</active>): prm-sync assigns it to new records.' });
    for (const [picklist, expected] of Object.entries(spec.picklists ?? {})) {
      const entry = recordType.picklists.find((p) => p.picklist === picklist);
      const offered = (entry?.values ?? []).map((value) => decodeRecordTypeValue(value.fullName ?? ''));
      if (!sameList(offered, expected)) {
        problems.push({ file: recordType.file, message: `must offer ${picklist} values ${quoteList(expected)}; offers ${offered.length ? quoteList(offered) : 'none'}.` });
      }
    }
  }
  for (const name of SPEC_PERMISSION_SETS) {
    if (!bundle.permissionSets.some((ps) => ps.name === name)) {
      problems.push({ file: permissionSetPath(name), message: `permission set ${name} is missing; spec §2 requires it.` });
    }
  }
  return problems;
}

function picklistSpecProblems(field: FieldMeta, spec: { readonly values: readonly string[]; readonly defaultValue?: string }): Problem[] {
  const problems: Problem[] = [];
  const say = (message: string) => problems.push({ file: field.file, message: `${qualifiedName(field.object, field.name)} ${message}` });
  const values = field.valueSet?.values ?? [];
  const names = values.map((value) => value.fullName ?? '');
  if (!sameList(names, spec.values)) say(`must have exactly the values ${quoteList(spec.values)} in that order (spec §2); found ${quoteList(names)}.`);
  if (field.valueSet && field.valueSet.restricted !== 'true') say('must be a restricted picklist (<restricted>true</restricted>) so only the listed values can be stored.');
  const defaults = values.filter((value) => value.default === 'true').map((value) => value.fullName ?? '');
  const expectedDefaults = spec.defaultValue ? [spec.defaultValue] : [];
  if (!sameList(defaults, expectedDefaults)) {
    say(`must have ${spec.defaultValue ? `"${spec.defaultValue}" as its default value` : 'no default value'} (spec §2); found ${defaults.length ? quoteList(defaults) : 'none'}.`);
  }
  return problems;
}

/**
 * (d) Record types name only picklists that exist on their object and only values those picklists have.
 * Record type files carry picklist values URL-encoded ("Reseller%2C Active"), as Salesforce retrieves them.
 */
export function checkRecordTypes(bundle: MetadataBundle, standardFields: StandardFieldIndex): Problem[] {
  const problems: Problem[] = [];
  for (const recordType of bundle.recordTypes) {
    const say = (message: string) => problems.push({ file: recordType.file, message });
    const v = recordType.values;
    if (v.fullName !== undefined && v.fullName !== recordType.name) say(`<fullName>${v.fullName}</fullName> does not match the file name (${recordType.name}).`);
    for (const element of recordType.repeated) say(`<${element}> appears more than once.`);
    if (!v.label) say('needs a <label>.');
    else if (v.label.length > 80) say(`<label> is ${v.label.length} characters; Salesforce allows 80.`);
    if (v.description !== undefined && v.description.length > 255) say(`<description> is ${v.description.length} characters; Salesforce allows 255.`);
    if (!isBooleanText(v.active)) say(`<active> must be true or false; found ${v.active === undefined ? 'none' : `"${v.active}"`}.`);
    if (recordType.object === 'Opportunity' && !v.businessProcess) say('an Opportunity record type needs a <businessProcess> (the sales process it follows).');
    const seenPicklists = new Set<string>();
    for (const picklist of recordType.picklists) {
      if (!picklist.picklist) {
        say('a <picklistValues> entry has no <picklist>.');
        continue;
      }
      if (seenPicklists.has(picklist.picklist)) say(`lists picklist ${picklist.picklist} twice.`);
      seenPicklists.add(picklist.picklist);
      problems.push(...recordTypePicklistProblems(bundle, standardFields, recordType, picklist));
    }
  }
  return problems;
}

function recordTypePicklistProblems(
  bundle: MetadataBundle,
  standardFields: StandardFieldIndex,
  recordType: RecordTypeMeta,
  picklist: RecordTypeMeta['picklists'][number],
): Problem[] {
  const name = picklist.picklist ?? '';
  const qualified = qualifiedName(recordType.object, name);
  const field = findField(bundle, recordType.object, name);
  const say = (message: string): Problem => ({ file: recordType.file, message });
  if (!field) {
    const standard = standardFields.get(recordType.object)?.get(name);
    if (standard?.type === 'picklist') return []; // a standard picklist: its values live in the org, not here
    return [say(`names picklist ${qualified}, which is neither a picklist in force-app nor a standard picklist in middleware/salesforce/fields.ts.`)];
  }
  if (field.values.type !== 'Picklist' && field.values.type !== 'MultiselectPicklist') {
    return [say(`names ${qualified} as a picklist, but it is a ${field.values.type ?? 'field without type'}.`)];
  }
  const problems: Problem[] = [];
  if (picklist.values.length === 0) problems.push(say(`offers no values of ${qualified}; list at least one.`));
  const known = new Set((field.valueSet?.values ?? []).map((value) => value.fullName));
  let defaults = 0;
  for (const value of picklist.values) {
    const decoded = decodeRecordTypeValue(value.fullName ?? '');
    if (!known.has(decoded)) problems.push(say(`offers "${decoded}" for ${qualified}, which is not one of its values (${field.file}).`));
    if (value.default === 'true') defaults += 1;
    if (!isBooleanText(value.default)) problems.push(say(`value "${decoded}" of ${qualified} needs <default>true</default> or <default>false</default>.`));
  }
  if (defaults > 1) problems.push(say(`marks ${defaults} values of ${qualified} as default; at most one may be.`));
  return problems;
}

/** (f) sfdx-project.json exists, names force-app as its default package directory, and speaks our API version. */
export function checkApiVersion(sfdxProjectText: string | undefined, apiVersion: string): Problem[] {
  const file = SFDX_PROJECT_FILE;
  if (sfdxProjectText === undefined) return [{ file, message: 'is missing; the sf CLI needs it at the project root.' }];
  let project: unknown;
  try {
    project = JSON.parse(sfdxProjectText);
  } catch (error) {
    return [{ file, message: `is not valid JSON: ${(error as Error).message}` }];
  }
  const problems: Problem[] = [];
  const record = typeof project === 'object' && project !== null ? (project as Record<string, unknown>) : {};
  const version = record.sourceApiVersion;
  if (version !== apiVersion) {
    problems.push({
      file,
      message: `sourceApiVersion is ${JSON.stringify(version)}; it must equal SALESFORCE_API_VERSION "${apiVersion}" in middleware/salesforce/api-version.ts.`,
    });
  }
  const directories = Array.isArray(record.packageDirectories) ? (record.packageDirectories as Array<Record<string, unknown>>) : [];
  if (!directories.some((dir) => dir.path === 'force-app' && dir.default === true)) {
    problems.push({ file, message: 'packageDirectories must list { "path": "force-app", "default": true }.' });
  }
  return problems;
}

/** Record type picklist values are URL-encoded in metadata files; compare them decoded. */
export function decodeRecordTypeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}
