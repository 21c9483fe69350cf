// The pure pieces around the rules: the plan's validation, value conversion, the SOQL and its parsing,
// the change detection that keeps repeated imports silent, and the write-back decision (echo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { defaultDealImportPlan, DealPlanError, dealUrl, validateDealImportPlan } from '../../middleware/deals/plan.ts';
import { convertMappedValue } from '../../middleware/deals/values.ts';
import { opportunityQuery, parseOpportunity } from '../../middleware/deals/opportunities.ts';
import { dealChanges, type ImportedDeal } from '../../middleware/deals/store.ts';
import { planWriteBack } from '../../middleware/deals/writeback.ts';
import type { DealValues } from '../../middleware/deals/eligibility.ts';

const plan = defaultDealImportPlan({ publicUrl: 'https://prm.example.com/' });

test('plan: name and stage are always required, the URL loses its trailing slash', () => {
  const custom = defaultDealImportPlan({ requiredFields: ['close_date'] });
  assert.deepEqual([...custom.requiredFields].sort(), ['close_date', 'name', 'stage']);
  assert.equal(plan.publicUrl, 'https://prm.example.com');
  assert.equal(dealUrl(plan, 'd-1'), 'https://prm.example.com/records/deals/d-1');
});

const refusals: Array<[string, Parameters<typeof defaultDealImportPlan>[0], RegExp]> = [
  ['stage not mapped', { mappings: plan.mappings.filter((m) => m.prmField !== 'stage') }, /stage is required but no Opportunity field is mapped/],
  ['required custom field not mapped', { requiredFields: ['custom.region'] }, /custom\.region is required/],
  ['a field mapped twice', { mappings: [...plan.mappings, { prmField: 'name', sfField: 'Description' }] }, /name is mapped more than once/],
  ['an unknown deal field', { mappings: [...plan.mappings, { prmField: 'owner' as never, sfField: 'OwnerId' }] }, /Deal field "owner" does not exist/],
  ['a Salesforce name that is not an API name', { mappings: [...plan.mappings, { prmField: 'custom.x', sfField: "Name' OR Id != null" }] }, /is not a Salesforce field API name/],
  ['a value map that sends one value two ways', { mappings: plan.mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: [{ sf: 'A', prm: 'x' }, { sf: 'A', prm: 'y' }] } : m)) }, /sends "A" to both/],
  ['a bad sync flag field', { syncFlagField: 'PRM Sync' }, /"PRM Sync" is not a Salesforce field API name/],
  ['a public URL that is not http', { publicUrl: 'ftp://prm' }, /not an http\(s\) URL/],
];
for (const [name, overrides, message] of refusals) {
  test(`plan: refuses ${name}`, () => {
    assert.throws(() => defaultDealImportPlan(overrides), (error: unknown) => error instanceof DealPlanError && message.test(error.message));
  });
}

test('plan: validation lists every problem at once', () => {
  assert.throws(
    () => validateDealImportPlan({ ...plan, mappings: [], syncFlagField: 'bad name' }),
    (error: unknown) => error instanceof Error && (error.message.match(/\n {2}- /g) ?? []).length === 3,
  );
});

const valueCases: Array<[string, Parameters<typeof convertMappedValue>[0], unknown, ReturnType<typeof convertMappedValue>]> = [
  ['blank text is empty', { prmField: 'name', sfField: 'Name' }, '  ', { ok: true, value: null }],
  ['text is trimmed', { prmField: 'name', sfField: 'Name' }, ' Acme ', { ok: true, value: 'Acme' }],
  ['a stage longer than the column', { prmField: 'stage', sfField: 'StageName' }, 'x'.repeat(101), { ok: false, reason: 'invalid', raw: 'x'.repeat(101), problem: "it is longer than the 100 characters the deal's stage holds" }],
  ['amount to two decimals', { prmField: 'amount', sfField: 'Amount' }, 10, { ok: true, value: '10.00' }],
  ['amount as numeric text', { prmField: 'amount', sfField: 'Amount' }, '12.345', { ok: true, value: '12.35' }],
  ['amount too large for numeric(18,2)', { prmField: 'amount', sfField: 'Amount' }, 1e17, { ok: false, reason: 'invalid', raw: '100000000000000000', problem: 'it is larger than a deal amount can be' }],
  ['a calendar date', { prmField: 'close_date', sfField: 'CloseDate' }, '2024-02-29', { ok: true, value: '2024-02-29' }],
  ['not a calendar date', { prmField: 'close_date', sfField: 'CloseDate' }, '2023-02-29', { ok: false, reason: 'invalid', raw: '2023-02-29', problem: 'it is not a date (YYYY-MM-DD)' }],
  ['value map hit', { prmField: 'stage', sfField: 'StageName', valueMap: [{ sf: 'Closed Won', prm: 'Won' }] }, 'Closed Won', { ok: true, value: 'Won' }],
  ['value map is case-sensitive', { prmField: 'stage', sfField: 'StageName', valueMap: [{ sf: 'Closed Won', prm: 'Won' }] }, 'closed won', { ok: false, reason: 'unmapped', raw: 'closed won' }],
  ['an empty value map passes values through', { prmField: 'stage', sfField: 'StageName', valueMap: [] }, 'Qualification', { ok: true, value: 'Qualification' }],
  ['custom checkbox', { prmField: 'custom.strategic', sfField: 'Strategic__c' }, false, { ok: true, value: false }],
  ['custom number', { prmField: 'custom.seats', sfField: 'Seats__c' }, 25, { ok: true, value: 25 }],
  ['custom compound value is refused', { prmField: 'custom.addr', sfField: 'Addr__c' }, { city: 'x' }, { ok: false, reason: 'invalid', raw: '[object Object]', problem: 'it is not a single value' }],
];
for (const [name, mapping, raw, expected] of valueCases) {
  test(`values: ${name}`, () => assert.deepEqual(convertMappedValue(mapping, raw), expected));
}

test('SOQL: one query with the primary contact role subquery, candidates only, oldest change first', () => {
  const since = new Date('2026-01-02T03:04:05.678Z');
  const soql = opportunityQuery(plan, since);
  assert.match(soql, /\(SELECT ContactId, IsPrimary FROM OpportunityContactRoles WHERE \(IsPrimary = true\)\)/);
  assert.match(soql, /WHERE \(SystemModstamp >= 2026-01-02T03:04:05\.678Z\) AND \(PRM_Sync__c = true OR PRM_Export_Deal__c = true OR PRM_Deal_Id__c != null\)/);
  assert.match(soql, /ORDER BY SystemModstamp, Id$/);
  const parsed = parseQuery(soql);
  assert.equal(parsed.sObject, 'Opportunity');
  const names = (parsed.fields ?? []).map((f) => ('field' in f ? f.field : 'subquery' in f ? 'subquery' : 'other'));
  for (const field of ['Id', 'Name', 'AccountId', 'SystemModstamp', 'StageName', 'Amount', 'CloseDate', 'PRM_Partner_Email__c', 'PRM_Deal_Id__c', 'PRM_Sys_URL__c']) {
    assert.ok(names.includes(field), `selects ${field}`);
  }
  assert.equal(names.filter((n) => n === 'StageName').length, 1, 'no field twice');
  assert.doesNotMatch(opportunityQuery(plan, null), /SystemModstamp >=/);
});

test('parse: a query row with the nested account and contact roles', () => {
  const facts = parseOpportunity(
    {
      attributes: { type: 'Opportunity' },
      Id: '006000000000001AAA',
      Name: 'Acme renewal',
      AccountId: '001000000000001AAA',
      Account: { attributes: { type: 'Account' }, Name: 'Acme' },
      SystemModstamp: '2026-01-02T03:04:05.000+0000',
      PRM_Sync__c: true,
      PRM_Export_Deal__c: false,
      PRM_Partner_Email__c: 'jane@partner.example',
      PRM_Distributor_Email__c: null,
      PRM_Deal_Owner_Type__c: 'Partner-Owned',
      PRM_Deal_Id__c: null,
      PRM_Sys_URL__c: null,
      StageName: 'Prospecting',
      Amount: 10,
      CloseDate: '2026-03-31',
      OpportunityContactRoles: { totalSize: 1, done: true, records: [{ attributes: { type: 'OpportunityContactRole' }, ContactId: '003000000000001AAA', IsPrimary: true }] },
    },
    plan,
  );
  assert.equal(facts.primaryContactId, '003000000000001AAA');
  assert.equal(facts.accountName, 'Acme');
  assert.equal(facts.syncFlag, true);
  assert.equal(facts.exportFlag, false);
  assert.equal(facts.modstamp.toISOString(), '2026-01-02T03:04:05.000Z');
  assert.deepEqual(facts.fields, { Name: 'Acme renewal', StageName: 'Prospecting', Amount: 10, CloseDate: '2026-03-31' });
  const noRoles = parseOpportunity({ Id: '006X', SystemModstamp: '2026-01-02T03:04:05.000+0000', OpportunityContactRoles: null }, plan);
  assert.equal(noRoles.primaryContactId, null);
  assert.equal(noRoles.name, '006X', 'an opportunity without a name is named by its id in messages');
  assert.throws(() => parseOpportunity({ Name: 'no id' }, plan), /without Id or SystemModstamp/);
});

const existing: ImportedDeal = {
  id: 'd-1',
  sf_opportunity_id: '006X',
  organization_id: 'o-1',
  owner_contact_id: 'c-1',
  distributor_organization_id: null,
  distributor_contact_id: null,
  name: 'Acme renewal',
  stage: 'Prospecting',
  amount: '1250.00',
  close_date: '2026-03-31',
  custom: { region: 'EMEA', note: 'set in the PRM' },
  deleted_at: null,
};
const values: DealValues = {
  organization_id: 'o-1',
  owner_contact_id: 'c-1',
  distributor_organization_id: null,
  distributor_contact_id: null,
  name: 'Acme renewal',
  stage: 'Prospecting',
  amount: '1250.00',
  close_date: '2026-03-31',
  custom: { region: 'EMEA' },
};

test('changes: the same values change nothing (custom keys set in the PRM stay)', () => {
  assert.deepEqual(dealChanges(existing, values), {});
  assert.deepEqual(dealChanges({ ...existing, amount: '1250' }, values), {}, 'amount compared as a number');
});

test('changes: only what differs, a custom key set to empty is removed, a deleted deal is revived', () => {
  assert.deepEqual(dealChanges(existing, { ...values, amount: '1300.00', stage: 'Closed Won' }), { amount: '1300.00', stage: 'Closed Won' });
  assert.deepEqual(dealChanges(existing, { ...values, custom: { region: null } }), { custom: { note: 'set in the PRM' } });
  assert.deepEqual(dealChanges({ ...existing, deleted_at: new Date() }, values), { revive: true });
  const { amount: _a, close_date: _c, ...unmapped } = values;
  assert.deepEqual(dealChanges(existing, unmapped), {}, 'unmapped columns are left alone');
});

test('write-back: only for new or changed deals, or when the opportunity lacks the id or URL (echo)', () => {
  const now = new Date('2026-01-02T00:00:00.000Z');
  const url = 'https://prm.example.com/records/deals/d-1';
  const inPlace = { id: '006X', name: 'Acme renewal', dealIdOnRecord: 'd-1', urlOnRecord: url };
  assert.equal(planWriteBack(inPlace, { opportunityId: '006X', dealId: 'd-1', outcome: 'unchanged' }, plan, now), null);
  assert.deepEqual(planWriteBack(inPlace, { opportunityId: '006X', dealId: 'd-1', outcome: 'updated' }, plan, now), {
    opportunityId: '006X',
    opportunityName: 'Acme renewal',
    dealId: 'd-1',
    values: { PRM_Deal_Id__c: 'd-1', PRM_Sys_URL__c: url, PRM_Sys_LastUpdated__c: '2026-01-02T00:00:00.000Z' },
  });
  assert.ok(planWriteBack({ ...inPlace, dealIdOnRecord: null, urlOnRecord: null }, { opportunityId: '006X', dealId: 'd-1', outcome: 'created' }, plan, now));
  assert.ok(planWriteBack({ ...inPlace, urlOnRecord: 'https://old.example.com/records/deals/d-1' }, { opportunityId: '006X', dealId: 'd-1', outcome: 'unchanged' }, plan, now), 'a moved PRM gets its new URL');
  assert.ok(planWriteBack({ ...inPlace, dealIdOnRecord: 'someone-else' }, { opportunityId: '006X', dealId: 'd-1', outcome: 'unchanged' }, plan, now), 'an overwritten deal id is restored');
});
