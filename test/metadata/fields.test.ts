// middleware/salesforce/fields.ts names every Salesforce field the middleware uses. Each entry must exist:
// PRM_ fields in force-app with a compatible type and length, standard fields in the describe responses
// recorded from real orgs (../shared/data/salesforce-describe), with the same type, length and flags.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SALESFORCE_API_VERSION } from '../../middleware/salesforce/api-version.ts';
import { PERMISSION_SETS, RECORD_TYPES, SALESFORCE_FIELDS, fieldsOf, isPrmCustomField } from '../../middleware/salesforce/fields.ts';
import type { SalesforceFieldSpec, SalesforceObjectName } from '../../middleware/salesforce/fields.ts';
import { FIELD_TYPE_RULES } from '../../scripts/metadata/field-rules.ts';
import { findField } from '../../scripts/metadata/lookup.ts';
import type { FieldMeta } from '../../scripts/metadata/model.ts';
import { parseSources } from '../../scripts/metadata/parse.ts';
import { REPO_ROOT, realFiles, realSfdxProject } from './helpers.ts';

const DESCRIBE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'salesforce-describe');
const bundle = parseSources(realFiles);
const objects = Object.keys(SALESFORCE_FIELDS) as SalesforceObjectName[];

interface DescribeField {
  name: string;
  type: string;
  length: number;
  nillable: boolean;
  createable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  compoundFieldName?: string | null;
}

function describeFields(object: string): Map<string, DescribeField> {
  const file = path.join(DESCRIBE_DIR, `${object}.describe.json`);
  assert.ok(existsSync(file), `the describe recording ${file} is missing (it ships in ../shared/data beside the repository)`);
  const describe = JSON.parse(readFileSync(file, 'utf8')) as { fields: DescribeField[] };
  return new Map(describe.fields.map((field) => [field.name, field]));
}

/** How force-app's field answers to the middleware's expectation, as a list of mismatches. */
function customFieldMismatches(spec: SalesforceFieldSpec, field: FieldMeta): string[] {
  const mismatches: string[] = [];
  const rule = FIELD_TYPE_RULES[field.values.type ?? ''];
  if (!rule) return [`force-app type ${field.values.type} is unknown`];
  if (rule.describeType !== spec.type) mismatches.push(`type: fields.ts says ${spec.type}, force-app has ${field.values.type} (describe type ${rule.describeType})`);
  const length = rule.length ? Number(field.values.length) : rule.fixedLength;
  if (spec.length !== undefined && spec.length !== length) mismatches.push(`length: fields.ts says ${spec.length}, force-app gives ${length ?? 'none'}`);
  if (spec.length === undefined && rule.length) mismatches.push(`length: force-app gives ${length}; fields.ts must say so`);
  if ((spec.externalId === true) !== (field.values.externalId === 'true')) mismatches.push('externalId differs');
  if (spec.required && field.values.required !== 'true') mismatches.push('fields.ts marks it required; force-app does not');
  if (spec.values) {
    const values = (field.valueSet?.values ?? []).map((value) => value.fullName);
    if (JSON.stringify(values) !== JSON.stringify(spec.values)) mismatches.push(`picklist values: fields.ts ${JSON.stringify(spec.values)}, force-app ${JSON.stringify(values)}`);
  }
  return mismatches;
}

function standardFieldMismatches(spec: SalesforceFieldSpec, recorded: DescribeField): string[] {
  const mismatches: string[] = [];
  if (recorded.type !== spec.type) mismatches.push(`type: fields.ts says ${spec.type}, describe says ${recorded.type}`);
  // Describe reports 0 for non-text types; picklist lengths vary with the API version (40 vs 255).
  if (spec.length !== undefined && spec.length !== recorded.length) mismatches.push(`length: fields.ts says ${spec.length}, describe says ${recorded.length}`);
  if (spec.length === undefined && recorded.length > 0 && recorded.type !== 'picklist') mismatches.push(`length: describe says ${recorded.length}; fields.ts must say so`);
  const required = !recorded.nillable && recorded.createable && !recorded.defaultedOnCreate;
  if ((spec.required === true) !== required) mismatches.push(`required: fields.ts says ${spec.required === true}, describe implies ${required}`);
  if ((spec.externalId === true) !== recorded.externalId) mismatches.push('externalId differs');
  // Some recordings list a field as its own compound (Account.Name → Name); that is no compound at all.
  const compound = recorded.compoundFieldName && recorded.compoundFieldName !== recorded.name ? recorded.compoundFieldName : null;
  if ((spec.compoundField ?? null) !== compound) {
    mismatches.push(`compoundField: fields.ts says ${spec.compoundField ?? 'none'}, describe says ${compound ?? 'none'}`);
  }
  return mismatches;
}

for (const object of objects) {
  test(`every ${object} field in fields.ts exists with a compatible type and length`, () => {
    const recordedFields = describeFields(object);
    const problems: string[] = [];
    for (const spec of fieldsOf(object)) {
      if (isPrmCustomField(spec.name)) {
        const field = findField(bundle, object, spec.name);
        if (!field) problems.push(`${object}.${spec.name}: not in force-app`);
        else problems.push(...customFieldMismatches(spec, field).map((m) => `${object}.${spec.name}: ${m}`));
        continue;
      }
      let recorded = recordedFields.get(spec.name);
      // Salesforce adds RecordTypeId to an object once it has a record type. The recorded Contact comes from
      // an org without contact record types; force-app adds one, so the field exists as on Account.
      if (!recorded && spec.name === 'RecordTypeId' && bundle.recordTypes.some((rt) => rt.object === object)) {
        recorded = describeFields('Account').get('RecordTypeId');
      }
      if (!recorded) problems.push(`${object}.${spec.name}: not a standard field in ${object}.describe.json`);
      else problems.push(...standardFieldMismatches(spec, recorded).map((m) => `${object}.${spec.name}: ${m}`));
    }
    assert.deepEqual(problems, []);
  });
}

test('every field force-app deploys is named in fields.ts, so the middleware knows all of them', () => {
  const named = new Set(objects.flatMap((object) => fieldsOf(object).map((spec) => `${object}.${spec.name}`)));
  const unnamed = bundle.fields.map((field) => `${field.object}.${field.name}`).filter((name) => !named.has(name));
  assert.deepEqual(unnamed, []);
});

test('the record types and permission sets fields.ts names exist in force-app', () => {
  for (const ref of Object.values(RECORD_TYPES)) {
    assert.ok(bundle.recordTypes.some((rt) => rt.object === ref.object && rt.name === ref.developerName), `${ref.object}.${ref.developerName}`);
  }
  for (const name of Object.values(PERMISSION_SETS)) assert.ok(bundle.permissionSets.some((ps) => ps.name === name), name);
});

test('the compatibility check itself catches a wrong type, a wrong length and an unknown field', () => {
  const prmId = findField(bundle, 'Account', 'PRM_Id__c');
  assert.ok(prmId);
  assert.deepEqual(customFieldMismatches({ name: 'PRM_Id__c', type: 'string', length: 40, externalId: true }, prmId), ['length: fields.ts says 40, force-app gives 36']);
  assert.deepEqual(customFieldMismatches({ name: 'PRM_Id__c', type: 'url' }, prmId), [
    'type: fields.ts says url, force-app has Text (describe type string)',
    'length: force-app gives 36; fields.ts must say so',
    'externalId differs',
  ]);
  const website = describeFields('Account').get('Website');
  assert.ok(website);
  assert.deepEqual(standardFieldMismatches({ name: 'Website', type: 'string', length: 80 }, website), [
    'type: fields.ts says string, describe says url',
    'length: fields.ts says 80, describe says 255',
  ]);
  assert.equal(describeFields('Account').get('PRM_Nonexistent__c'), undefined);
});

test('sfdx-project.json sourceApiVersion equals the middleware API version', () => {
  assert.equal((JSON.parse(realSfdxProject) as { sourceApiVersion: string }).sourceApiVersion, SALESFORCE_API_VERSION);
});
