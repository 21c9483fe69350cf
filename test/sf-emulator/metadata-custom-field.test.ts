// The CustomField converter shared by the metadata deploy and the Tooling API: every field of our own
// force-app converts, and the mistakes Salesforce refuses come back with its messages.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { customFieldFromMetadata } from './metadata/custom-field.ts';
import type { LooseMetadata } from './metadata/custom-field.ts';
import { parseXml } from './metadata/xml.ts';

const objectsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../force-app/main/default/objects');

function problemsOf(raw: LooseMetadata): string[] {
  const converted = customFieldFromMetadata(raw);
  return converted.ok ? [] : converted.problems;
}

describe('customFieldFromMetadata', () => {
  it('converts every field in force-app', () => {
    const files = readdirSync(objectsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.field-meta.xml'));
    assert.ok(files.length >= 10, `expected the force-app fields, found ${files.length}`);
    for (const file of files) {
      const document = parseXml(readFileSync(path.join(objectsDir, file), 'utf8'));
      const converted = customFieldFromMetadata(document.CustomField as LooseMetadata);
      assert.ok(converted.ok, `${file}: ${converted.ok ? '' : converted.problems.join('; ')}`);
    }
  });

  it('reads a restricted picklist from XML with its values in order', () => {
    const document = parseXml(readFileSync(path.join(objectsDir, 'Account/fields/PRM_Partner_Status__c.field-meta.xml'), 'utf8'));
    const converted = customFieldFromMetadata(document.CustomField as LooseMetadata);
    assert.ok(converted.ok);
    assert.equal(converted.field.type, 'Picklist');
    assert.equal(converted.field.picklist?.restricted, true);
    assert.deepEqual(converted.field.picklist?.values.map((v) => v.value).slice(0, 2), ['Reseller, Active', 'Reseller, Prospective']);
  });

  it('takes Tooling API JSON with numbers and booleans', () => {
    const converted = customFieldFromMetadata({ fullName: 'Account.Region__c', type: 'Text', label: 'Region', length: 80, externalId: true, unique: false });
    assert.deepEqual(converted, { ok: true, field: { fullName: 'Account.Region__c', type: 'Text', label: 'Region', length: 80, externalId: true, unique: false } });
  });

  it('refuses what a Salesforce deploy refuses, with its wording', () => {
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Text', label: 'Broken' }), ["Must specify 'length' for a CustomField of type Text"]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Strng', label: 'Broken' }), [
      "Error parsing file: 'Strng' is not a valid value for the enum 'FieldType'",
    ]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Picklist', label: 'Broken' }), ["Must specify 'valueSet' for a CustomField of type Picklist"]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Checkbox', label: 'Broken' }), ["Must specify 'defaultValue' for a CustomField of type Checkbox"]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'TextArea', label: 'Broken', length: '255' }), [
      "Can not specify 'length' for a CustomField of type TextArea",
    ]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Number', label: 'Broken', precision: '18' }), [
      "Must specify 'scale' for a CustomField of type Number",
    ]);
    assert.deepEqual(problemsOf({ fullName: 'Broken__c', type: 'Checkbox', label: 'Broken', defaultValue: 'false', externalId: 'true' }), [
      "Can not specify 'externalId' for a CustomField of type Checkbox",
    ]);
    assert.match(problemsOf({ fullName: 'Bad__Name__c', type: 'Date', label: 'Bad' })[0] ?? '', /can only contain underscores and alphanumeric/);
    assert.match(problemsOf({ fullName: 'NoSuffix', type: 'Date', label: 'Bad' })[0] ?? '', /can only contain underscores and alphanumeric/);
  });

  it('carries a lookup target and checks the relationship attributes', () => {
    assert.deepEqual(customFieldFromMetadata({ fullName: 'Parent__c', type: 'Lookup', label: 'Parent', referenceTo: 'Account', relationshipName: 'Children' }), {
      ok: true,
      field: { fullName: 'Parent__c', type: 'Lookup', label: 'Parent', referenceTo: 'Account', relationshipName: 'Children' },
    });
    assert.deepEqual(problemsOf({ fullName: 'Parent__c', type: 'Lookup', label: 'Parent' }), [
      "Must specify 'referenceTo' for a CustomField of type Lookup",
      "Must specify 'relationshipName' for a CustomField of type Lookup",
    ]);
    assert.deepEqual(problemsOf({ fullName: 'Owner__c', type: 'MasterDetail', label: 'Owner', referenceTo: 'Account', relationshipName: 'Owned', required: 'false' }), [
      'Master-Detail Relationship Fields Cannot be Optional or Required',
    ]);
  });

  it('names valid Salesforce types the emulator cannot represent instead of accepting them', () => {
    assert.deepEqual(problemsOf({ fullName: 'Spot__c', type: 'Location', label: 'Spot' }), ['The org emulator does not support CustomField type Location']);
  });
});
