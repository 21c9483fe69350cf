// Permission set checks: (d) every field, object and record type a permission set names exists and may be
// granted, and (e) PRM_Integration grants what the integration user needs — read/edit on every PRM_ field.
import { PERMISSION_SETS } from '../../middleware/salesforce/fields.ts';
import { isBooleanText } from './field-rules.ts';
import { failedToParse, fieldPath, findField, permissionSetPath } from './lookup.ts';
import { qualifiedName } from './model.ts';
import type { MetadataBundle, ObjectPermissionMeta, PermissionSetMeta, Problem } from './model.ts';
import { PARENT_CONTROLLED_OBJECTS, fieldSecurityRefusal } from './standard-fields.ts';
import type { StandardFieldIndex } from './standard-fields.ts';

const OBJECT_FLAGS = ['allowCreate', 'allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords', 'modifyAllRecords'] as const;

/** What the integration user must be able to do per object: prm-sync creates accounts and contacts and writes deal links back. */
const INTEGRATION_OBJECT_ACCESS: Readonly<Record<string, readonly (typeof OBJECT_FLAGS)[number][]>> = {
  Account: ['allowRead', 'allowCreate', 'allowEdit'],
  Contact: ['allowRead', 'allowCreate', 'allowEdit'],
  Opportunity: ['allowRead', 'allowEdit'],
};

export function permissionSetReferenceProblems(bundle: MetadataBundle, standardFields: StandardFieldIndex): Problem[] {
  const problems: Problem[] = [];
  for (const permissionSet of bundle.permissionSets) {
    const say = (message: string) => problems.push({ file: permissionSet.file, message });
    const v = permissionSet.values;
    if (v.fullName !== undefined && v.fullName !== permissionSet.name) say(`<fullName>${v.fullName}</fullName> does not match the file name (${permissionSet.name}).`);
    for (const element of permissionSet.repeated) say(`<${element}> appears more than once.`);
    if (!v.label) say('needs a <label>.');
    else if (v.label.length > 80) say(`<label> is ${v.label.length} characters; Salesforce allows 80.`);
    if (v.description !== undefined && v.description.length > 255) say(`<description> is ${v.description.length} characters; Salesforce allows 255.`);
    if (v.hasActivationRequired !== undefined && !isBooleanText(v.hasActivationRequired)) say('<hasActivationRequired> must be true or false.');
    for (const message of fieldPermissionProblems(bundle, standardFields, permissionSet)) say(message);
    for (const message of objectPermissionProblems(bundle, standardFields, permissionSet)) say(message);
    for (const message of recordTypeVisibilityProblems(bundle, permissionSet)) say(message);
  }
  return problems;
}

function fieldPermissionProblems(bundle: MetadataBundle, standardFields: StandardFieldIndex, permissionSet: PermissionSetMeta): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const grant of permissionSet.fieldPermissions) {
    const field = grant.field;
    const parts = field?.split('.') ?? [];
    const [object = '', name = ''] = parts;
    if (!field || parts.length !== 2 || !object || !name) {
      problems.push(`a <fieldPermissions> entry names "${field ?? ''}"; it must be Object.Field, e.g. Account.PRM_Sync__c.`);
      continue;
    }
    if (seen.has(field)) problems.push(`grants ${field} twice.`);
    seen.add(field);
    if (!isBooleanText(grant.readable) || !isBooleanText(grant.editable)) problems.push(`${field}: <readable> and <editable> must each be true or false.`);
    if (grant.editable === 'true' && grant.readable !== 'true') problems.push(`${field} is editable but not readable; edit access needs read access.`);

    if (name.endsWith('__c')) {
      const custom = findField(bundle, object, name);
      if (!custom && failedToParse(bundle, fieldPath(object, name))) problems.push(`names field ${field}, whose file does not parse.`);
      else if (!custom) problems.push(`names field ${field}, which does not exist in force-app.`);
      else if (custom.values.required === 'true') problems.push(`${field} is a required field, and Salesforce refuses field permissions on required fields.`);
      continue;
    }
    const standard = standardFields.get(object)?.get(name);
    if (!standard) {
      problems.push(`names field ${field}, which is neither a field in force-app nor a standard field in middleware/salesforce/fields.ts.`);
      continue;
    }
    const refusal = fieldSecurityRefusal(standard);
    if (refusal) problems.push(refusal);
  }
  return problems;
}

function knownObjects(bundle: MetadataBundle, standardFields: StandardFieldIndex): Set<string> {
  return new Set([...standardFields.keys(), ...bundle.fields.map((field) => field.object)]);
}

function objectPermissionProblems(bundle: MetadataBundle, standardFields: StandardFieldIndex, permissionSet: PermissionSetMeta): string[] {
  const problems: string[] = [];
  const known = knownObjects(bundle, standardFields);
  const seen = new Set<string>();
  for (const grant of permissionSet.objectPermissions) {
    const object = grant.object;
    if (!object) {
      problems.push('an <objectPermissions> entry has no <object>.');
      continue;
    }
    if (seen.has(object)) problems.push(`has object permissions for ${object} twice.`);
    seen.add(object);
    const parent = PARENT_CONTROLLED_OBJECTS[object];
    if (parent) problems.push(`grants object permissions on ${object}, whose access follows its ${parent}; remove the entry and grant ${parent} instead.`);
    else if (!known.has(object)) problems.push(`grants object permissions on ${object}, which is neither in force-app nor an object in middleware/salesforce/fields.ts.`);
    problems.push(...objectFlagProblems(object, grant));
  }
  return problems;
}

/** The dependencies Salesforce enforces between object permissions (edit needs read, Modify All needs View All, …). */
function objectFlagProblems(object: string, grant: ObjectPermissionMeta): string[] {
  const problems: string[] = [];
  for (const flag of OBJECT_FLAGS) {
    if (!isBooleanText(grant[flag])) problems.push(`${object}: <${flag}> must be true or false; found ${grant[flag] === undefined ? 'none' : `"${grant[flag]}"`}.`);
  }
  const on = (flag: (typeof OBJECT_FLAGS)[number]) => grant[flag] === 'true';
  for (const flag of ['allowCreate', 'allowEdit', 'allowDelete', 'viewAllRecords'] as const) {
    if (on(flag) && !on('allowRead')) problems.push(`${object}: ${flag} needs allowRead.`);
  }
  if (on('allowDelete') && !on('allowEdit')) problems.push(`${object}: allowDelete needs allowEdit.`);
  if (on('modifyAllRecords') && !(on('allowDelete') && on('viewAllRecords'))) problems.push(`${object}: modifyAllRecords needs allowDelete and viewAllRecords.`);
  return problems;
}

function recordTypeVisibilityProblems(bundle: MetadataBundle, permissionSet: PermissionSetMeta): string[] {
  const problems: string[] = [];
  for (const visibility of permissionSet.recordTypeVisibilities) {
    const reference = visibility.recordType ?? '';
    const [object, name] = reference.split('.');
    if (!bundle.recordTypes.some((rt) => rt.object === object && rt.name === name)) {
      problems.push(`makes record type "${reference}" visible, which does not exist in force-app.`);
    }
    if (!isBooleanText(visibility.visible)) problems.push(`record type ${reference}: <visible> must be true or false.`);
    if (visibility.default !== undefined) problems.push(`record type ${reference}: <default> is only valid in profiles; permission sets cannot set a default record type.`);
  }
  return problems;
}

/** (e) The integration user's permission set grants read/edit on every PRM_ field and the access prm-sync needs. */
export function permissionSetGrantProblems(bundle: MetadataBundle, standardFields: StandardFieldIndex): Problem[] {
  const problems: Problem[] = [];
  const integration = bundle.permissionSets.find((ps) => ps.name === PERMISSION_SETS.integration);
  const prmFields = bundle.fields.filter((field) => field.name.startsWith('PRM_'));
  if (!integration) {
    return [{ file: permissionSetPath(PERMISSION_SETS.integration), message: `is missing, so none of the ${prmFields.length} PRM_ fields is granted to the integration user.` }];
  }
  const say = (message: string) => problems.push({ file: integration.file, message });
  const grants = new Map(integration.fieldPermissions.map((grant) => [grant.field ?? '', grant]));
  for (const field of prmFields) {
    const qualified = qualifiedName(field.object, field.name);
    const grant = grants.get(qualified);
    if (!grant || grant.readable !== 'true') say(`does not grant read and edit on ${qualified}; the integration user must read and write every PRM_ field.`);
    else if (grant.editable !== 'true') say(`grants ${qualified} read-only; the integration user must also edit it.`);
  }
  for (const [object, flags] of Object.entries(INTEGRATION_OBJECT_ACCESS)) {
    const grant = integration.objectPermissions.find((entry) => entry.object === object);
    const missing = flags.filter((flag) => grant?.[flag] !== 'true');
    if (missing.length) say(`must grant ${missing.join(', ')} on ${object}; prm-sync needs it to sync ${object} records.`);
  }
  for (const recordType of bundle.recordTypes) {
    const reference = qualifiedName(recordType.object, recordType.name);
    if (!integration.recordTypeVisibilities.some((v) => v.recordType === reference && v.visible === 'true')) {
      say(`must make record type ${reference} visible; prm-sync assigns it to records it creates.`);
    }
  }
  // "read on standard fields used" (spec §2): every standard field the middleware reads that has field-level security.
  for (const fields of standardFields.values()) {
    for (const field of fields.values()) {
      if (fieldSecurityRefusal(field)) continue;
      const qualified = qualifiedName(field.object, field.name);
      if (grants.get(qualified)?.readable !== 'true') say(`must grant read on ${qualified}; the middleware reads it (middleware/salesforce/fields.ts).`);
    }
  }
  const admin = bundle.permissionSets.find((ps) => ps.name === PERMISSION_SETS.admin);
  if (admin) {
    const adminGrants = new Map(admin.fieldPermissions.map((grant) => [grant.field ?? '', grant]));
    for (const field of prmFields) {
      const qualified = qualifiedName(field.object, field.name);
      if (adminGrants.get(qualified)?.readable !== 'true') problems.push({ file: admin.file, message: `does not grant read on ${qualified}; PRM admins must see every PRM_ field.` });
    }
  }
  return problems;
}
