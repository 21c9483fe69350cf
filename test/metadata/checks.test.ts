// The real companion package passes every offline check, and each check fails on a broken fixture with a
// message that names the file and the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DIR, allProblems, check, fixture, problemsOf, realFiles, render, withFile } from './helpers.ts';

const ACCOUNT_FIELDS = `${DEFAULT_DIR}/objects/Account/fields`;
const PERMISSION_SETS = `${DEFAULT_DIR}/permissionsets`;

test('the real force-app passes every check', () => {
  const results = check(realFiles);
  assert.equal(render(allProblems(results)), '');
  assert.deepEqual(
    results.map((result) => result.scope),
    ['24 XML files', '19 fields', '24 requirements', '3 record types', '2 permission sets', '19 PRM_ fields', 'API 62.0'],
  );
});

test('a Text field without <length> fails, naming the file', () => {
  const file = `${ACCOUNT_FIELDS}/PRM_Id__c.field-meta.xml`;
  const results = check(withFile(file, fixture('text-without-length.field-meta.xml')));
  assert.deepEqual(problemsOf(results, 'elements its type requires'), [
    { file, message: 'Text field needs <length> (1–255 characters); it has none.' },
  ]);
  assert.deepEqual(problemsOf(results, 'spec §2'), [
    { file, message: 'Account.PRM_Id__c must have <length>36</length> (spec §2); found none.' },
  ]);
});

test('a picklist without <valueSet> fails, and so do the record types offering its values', () => {
  const file = `${ACCOUNT_FIELDS}/PRM_Partner_Status__c.field-meta.xml`;
  const results = check(withFile(file, fixture('picklist-without-valueset.field-meta.xml')));
  assert.deepEqual(problemsOf(results, 'elements its type requires'), [
    { file, message: 'Picklist field needs a <valueSet> with its values (or a global value set); it has none.' },
  ]);
  assert.match(render(problemsOf(results, 'spec §2')), /PRM_Partner_Status__c\.field-meta\.xml: Account\.PRM_Partner_Status__c must have exactly the values "Reseller, Active", .* in that order \(spec §2\); found \.$/);
  const recordTypeProblems = render(problemsOf(results, 'record types'));
  assert.match(recordTypeProblems, /recordTypes\/Partner_Account\.recordType-meta\.xml: offers "Reseller, Active" for Account\.PRM_Partner_Status__c, which is not one of its values/);
  assert.match(recordTypeProblems, /recordTypes\/Distributor_Account\.recordType-meta\.xml: offers "Distributor, Inactive"/);
});

test('a permission set naming a field that does not exist fails', () => {
  const file = `${PERMISSION_SETS}/PRM_Admin.permissionset-meta.xml`;
  const results = check(withFile(file, fixture('permission-set-missing-field.permissionset-meta.xml')));
  assert.deepEqual(problemsOf(results, 'permission sets name existing'), [
    { file, message: 'names field Account.PRM_Synch__c, which does not exist in force-app.' },
  ]);
});

test('PRM_Integration without the grant on one PRM_ field fails, naming the field', () => {
  const file = `${PERMISSION_SETS}/PRM_Integration.permissionset-meta.xml`;
  const results = check(withFile(file, fixture('integration-without-deal-id-grant.permissionset-meta.xml')));
  assert.deepEqual(problemsOf(results, 'PRM_Integration grants'), [
    { file, message: 'does not grant read and edit on Opportunity.PRM_Deal_Id__c; the integration user must read and write every PRM_ field.' },
  ]);
  assert.equal(render(problemsOf(results, 'permission sets name existing')), '');
});

test('unparsable XML fails with the parser message and position', () => {
  const file = `${ACCOUNT_FIELDS}/PRM_Sync__c.field-meta.xml`;
  const results = check(withFile(file, fixture('unparsable.field-meta.xml')));
  const [problem, ...rest] = problemsOf(results, 'XML file parses');
  assert.equal(rest.length, 0);
  assert.equal(problem?.file, file);
  assert.match(problem?.message ?? '', /^XML does not parse: Expected closing tag 'label' .*instead of closing tag 'lable'\. \(line 6, column \d+\)$/);
  // The other checks cannot see the field; they say why instead of calling it missing.
  assert.deepEqual(problemsOf(results, 'spec §2'), [
    { file, message: 'Account.PRM_Sync__c cannot be checked: its file does not parse; spec §2 requires it (Checkbox).' },
  ]);
  assert.deepEqual(
    problemsOf(results, 'permission sets name existing').map((p) => p.message),
    ['names field Account.PRM_Sync__c, whose file does not parse.', 'names field Account.PRM_Sync__c, whose file does not parse.'],
  );
});

test('a missing field file is reported as missing by the spec check', () => {
  const file = `${ACCOUNT_FIELDS}/PRM_Sys_URL__c.field-meta.xml`;
  const results = check(realFiles.filter((f) => f.path !== file));
  assert.deepEqual(problemsOf(results, 'spec §2'), [{ file, message: 'Account.PRM_Sys_URL__c is missing; spec §2 requires it (Url).' }]);
  assert.deepEqual(problemsOf(results, 'permission sets name existing').map((p) => p.message), [
    'names field Account.PRM_Sys_URL__c, which does not exist in force-app.',
    'names field Account.PRM_Sys_URL__c, which does not exist in force-app.',
  ]);
});

test('a PRM_ field missing from the integration permission set is caught even when the set is absent', () => {
  const files = realFiles.filter((f) => !f.path.endsWith('PRM_Integration.permissionset-meta.xml'));
  const results = check(files);
  assert.deepEqual(problemsOf(results, 'PRM_Integration grants'), [
    { file: `${PERMISSION_SETS}/PRM_Integration.permissionset-meta.xml`, message: 'is missing, so none of the 19 PRM_ fields is granted to the integration user.' },
  ]);
  assert.deepEqual(problemsOf(results, 'spec §2'), [
    { file: `${PERMISSION_SETS}/PRM_Integration.permissionset-meta.xml`, message: 'permission set PRM_Integration is missing; spec §2 requires it.' },
  ]);
});
