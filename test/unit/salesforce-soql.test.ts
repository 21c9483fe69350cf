import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSelect, soqlCondition, soqlIn, soqlString, soqlField, soqlDateTime } from '../../middleware/salesforce/soql.ts';

test('string literals escape quotes, backslashes and control characters', () => {
  assert.equal(soqlString("O'Brien"), "'O\\'Brien'");
  assert.equal(soqlString("\\'"), "'\\\\\\''");
  assert.equal(soqlString('a\nb\tc"d'), "'a\\nb\\tc\\\"d'");
  assert.equal(soqlString("x' OR Name != '"), "'x\\' OR Name != \\''");
});

test('identifiers are checked: injection through a field name is refused', () => {
  assert.equal(soqlField('Account.PRM_Sync__c'), 'Account.PRM_Sync__c');
  assert.throws(() => soqlField('Name FROM User --'), /not a valid Salesforce field name/);
  assert.throws(() => soqlField("Name'"), /not a valid/);
  assert.throws(() => soqlField('Nope__c', new Set(['name'])), /does not exist/);
});

test('buildSelect assembles fields, conditions, order and limit', () => {
  const soql = buildSelect({
    object: 'Account',
    fields: ['Id', 'Name', 'SystemModstamp', 'Name'],
    where: [soqlCondition('SystemModstamp', '>=', new Date('2026-01-02T03:04:05.678Z')), soqlIn('Id', ['001A', "00'1"])],
    orderBy: ['SystemModstamp', 'Id DESC'],
    limit: 10,
  });
  assert.equal(
    soql,
    "SELECT Id, Name, SystemModstamp FROM Account WHERE (SystemModstamp >= 2026-01-02T03:04:05.678Z) AND (Id IN ('001A', '00\\'1')) ORDER BY SystemModstamp, Id DESC LIMIT 10",
  );
  assert.throws(() => buildSelect({ object: 'Account', fields: ['Id'], orderBy: ['Id; DROP'] }), /Bad ORDER BY direction/);
  assert.throws(() => buildSelect({ object: 'Account', fields: ['Id'], orderBy: ['Id;DROP'] }), /not a valid/);
  assert.throws(() => soqlDateTime(new Date('nope')), /Invalid date/);
});
