// The eligibility rules of spec §8, table-driven: each rule failing alone, combinations, distributor
// variants, email lookup, owner choice and the mapped values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeOpportunity, type EligibilityRules, type OpportunityFacts, type PrmDirectory, type PrmUser } from '../../middleware/deals/eligibility.ts';
import { defaultDealImportPlan } from '../../middleware/deals/plan.ts';
import { LOG_CATALOGUE, logRow, type LogCode } from '../../middleware/log/catalogue.ts';

const ORG = 'org-partner';
const OTHER_ORG = 'org-partner-2';
const DIST_ORG = 'org-distributor';

const user = (contactId: string, over: Partial<PrmUser> = {}): PrmUser => ({
  contactId,
  organizationId: ORG,
  organizationKind: 'partner',
  active: true,
  modules: ['deal_registration'],
  ...over,
});

const USERS: Record<string, PrmUser[]> = {
  'jane@partner.example': [user('c-jane')],
  'ivy@partner.example': [user('c-ivy', { active: false })],
  'tom@partner.example': [user('c-tom', { modules: ['training'] })],
  'nogroup@partner.example': [user('c-nogroup', { modules: [] })],
  'dan@dist.example': [user('c-dan', { organizationId: DIST_ORG, organizationKind: 'distributor' })],
  'dora@dist.example': [user('c-dora', { organizationId: DIST_ORG, organizationKind: 'distributor', active: false })],
  'dirk@dist.example': [user('c-dirk', { organizationId: DIST_ORG, organizationKind: 'distributor', modules: ['market_development_funds'] })],
  // One email, two organizations: an inactive user here, a good one elsewhere.
  'sam@shared.example': [user('c-sam-1', { active: false }), user('c-sam-2', { organizationId: OTHER_ORG })],
  // Two good users: the one in the opportunity's organization wins.
  'max@shared.example': [user('c-max-other', { organizationId: OTHER_ORG }), user('c-max-own')],
};

function directory(over: Partial<PrmDirectory> = {}): PrmDirectory {
  return {
    organizationByAccountId: new Map([['001A', ORG]]),
    contactByContactId: new Map([['003C', 'c-primary']]),
    usersByEmail: new Map(Object.entries(USERS)),
    ...over,
  };
}

function opportunity(over: Partial<OpportunityFacts> = {}, fields: Record<string, unknown> = {}): OpportunityFacts {
  return {
    id: '006X',
    name: 'Acme renewal',
    accountId: '001A',
    accountName: 'Acme',
    primaryContactId: '003C',
    syncFlag: true,
    exportFlag: true,
    partnerEmail: 'jane@partner.example',
    distributorEmail: null,
    ownerType: 'Partner-Owned',
    fields: { Name: 'Acme renewal', StageName: 'Prospecting', Amount: 1250, CloseDate: '2026-03-31', ...fields },
    ...over,
  };
}

const plan = defaultDealImportPlan();
const rules = (over: Partial<EligibilityRules> = {}): EligibilityRules => ({ ...plan, ...over });

interface Case {
  name: string;
  opportunity?: Partial<OpportunityFacts>;
  fields?: Record<string, unknown>;
  directory?: Partial<PrmDirectory>;
  rules?: Partial<EligibilityRules>;
  /** Expected failure codes in rule order, or the expected owner when eligible. */
  codes?: LogCode[];
  owner?: { role: 'partner' | 'distributor'; contactId: string };
}

const cases: Case[] = [
  { name: 'everything in place', owner: { role: 'partner', contactId: 'c-jane' } },
  // Each rule failing alone.
  { name: 'no account', opportunity: { accountId: null, accountName: null }, codes: ['DEAL_NO_ACCOUNT'] },
  { name: 'account not linked', opportunity: { accountId: '001Z' }, codes: ['DEAL_ACCOUNT_NOT_LINKED'] },
  { name: 'no primary contact role', opportunity: { primaryContactId: null }, codes: ['DEAL_NO_PRIMARY_CONTACT'] },
  { name: 'primary contact not linked', opportunity: { primaryContactId: '003Z' }, codes: ['DEAL_PRIMARY_CONTACT_NOT_LINKED'] },
  { name: 'Sync with PRM unchecked', opportunity: { syncFlag: false }, codes: ['DEAL_SYNC_NOT_CHECKED'] },
  { name: 'Export to PRM Deal unchecked', opportunity: { exportFlag: false }, codes: ['DEAL_EXPORT_NOT_CHECKED'] },
  { name: 'partner email missing', opportunity: { partnerEmail: null }, codes: ['DEAL_PARTNER_EMAIL_MISSING'] },
  { name: 'partner email blank', opportunity: { partnerEmail: '   ' }, codes: ['DEAL_PARTNER_EMAIL_MISSING'] },
  { name: 'partner email unknown', opportunity: { partnerEmail: 'nobody@partner.example' }, codes: ['DEAL_PARTNER_EMAIL_UNKNOWN'] },
  { name: 'partner email of a distributor user', opportunity: { partnerEmail: 'dan@dist.example' }, codes: ['DEAL_PARTNER_EMAIL_NOT_PARTNER'] },
  { name: 'partner user inactive', opportunity: { partnerEmail: 'ivy@partner.example' }, codes: ['DEAL_PARTNER_USER_INACTIVE'] },
  { name: 'partner user in a group without deal registration', opportunity: { partnerEmail: 'tom@partner.example' }, codes: ['DEAL_PARTNER_NO_DEAL_ACCESS'] },
  { name: 'partner user in no group at all', opportunity: { partnerEmail: 'nogroup@partner.example' }, codes: ['DEAL_PARTNER_NO_DEAL_ACCESS'] },
  { name: 'stage empty', fields: { StageName: null }, codes: ['DEAL_REQUIRED_FIELD_MISSING'] },
  { name: 'name empty', fields: { Name: '  ' }, codes: ['DEAL_REQUIRED_FIELD_MISSING'] },
  {
    name: 'close date required by the settings and empty',
    fields: { CloseDate: null },
    rules: { requiredFields: ['name', 'stage', 'close_date'] },
    codes: ['DEAL_REQUIRED_FIELD_MISSING'],
  },
  {
    name: 'a required custom field empty',
    rules: { mappings: [...plan.mappings, { prmField: 'custom.region', sfField: 'Region__c' }], requiredFields: ['name', 'stage', 'custom.region'] },
    codes: ['DEAL_REQUIRED_FIELD_MISSING'],
  },
  {
    name: 'stage value missing from the value map (case-sensitive)',
    fields: { StageName: 'prospecting' },
    rules: { mappings: plan.mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: [{ sf: 'Prospecting', prm: 'New' }] } : m)) },
    codes: ['DEAL_VALUE_UNMAPPED'],
  },
  { name: 'amount that is not a number', fields: { Amount: 'lots' }, codes: ['DEAL_VALUE_INVALID'] },
  { name: 'close date that is not a date', fields: { CloseDate: '2026-02-30' }, codes: ['DEAL_VALUE_INVALID'] },
  { name: 'unknown owner type', opportunity: { ownerType: 'Reseller-Owned' }, codes: ['DEAL_OWNER_TYPE_UNKNOWN'] },
  { name: 'blank owner type means Partner-Owned', opportunity: { ownerType: null }, owner: { role: 'partner', contactId: 'c-jane' } },
  // Optional fields that are not required may be empty.
  { name: 'amount and close date empty are fine', fields: { Amount: null, CloseDate: null }, owner: { role: 'partner', contactId: 'c-jane' } },
  // Email lookup.
  { name: 'partner email in another case with spaces', opportunity: { partnerEmail: '  Jane@Partner.EXAMPLE ' }, owner: { role: 'partner', contactId: 'c-jane' } },
  { name: 'shared email: the active user with access wins', opportunity: { partnerEmail: 'sam@shared.example' }, owner: { role: 'partner', contactId: 'c-sam-2' } },
  { name: "shared email: the user of the opportunity's organization wins", opportunity: { partnerEmail: 'max@shared.example' }, owner: { role: 'partner', contactId: 'c-max-own' } },
  // Distributor variants.
  {
    name: 'partner-owned with a distributor: the partner owns it',
    opportunity: { distributorEmail: 'DAN@dist.example' },
    owner: { role: 'partner', contactId: 'c-jane' },
  },
  { name: 'distributor email unknown', opportunity: { distributorEmail: 'who@dist.example' }, codes: ['DEAL_DISTRIBUTOR_EMAIL_UNKNOWN'] },
  { name: 'distributor email of a partner user', opportunity: { distributorEmail: 'jane@partner.example' }, codes: ['DEAL_DISTRIBUTOR_EMAIL_NOT_DISTRIBUTOR'] },
  { name: 'distributor user inactive', opportunity: { distributorEmail: 'dora@dist.example' }, codes: ['DEAL_DISTRIBUTOR_USER_INACTIVE'] },
  { name: 'distributor user without deal registration', opportunity: { distributorEmail: 'dirk@dist.example' }, codes: ['DEAL_DISTRIBUTOR_NO_DEAL_ACCESS'] },
  {
    name: 'distributor-owned without partner email: the distributor owns it',
    opportunity: { ownerType: 'Distributor-Owned', partnerEmail: null, distributorEmail: 'dan@dist.example' },
    owner: { role: 'distributor', contactId: 'c-dan' },
  },
  {
    name: 'distributor-owned with a partner email: still the distributor owns it',
    opportunity: { ownerType: 'Distributor-Owned', distributorEmail: 'dan@dist.example' },
    owner: { role: 'distributor', contactId: 'c-dan' },
  },
  {
    name: 'distributor-owned: a partner email given is still checked',
    opportunity: { ownerType: 'Distributor-Owned', partnerEmail: 'ivy@partner.example', distributorEmail: 'dan@dist.example' },
    codes: ['DEAL_PARTNER_USER_INACTIVE'],
  },
  { name: 'distributor-owned without distributor email', opportunity: { ownerType: 'Distributor-Owned', partnerEmail: null }, codes: ['DEAL_DISTRIBUTOR_EMAIL_MISSING'] },
  {
    name: 'distributor-owned while distributor support does not allow it: judged as partner-owned too',
    opportunity: { ownerType: 'Distributor-Owned', partnerEmail: null, distributorEmail: 'dan@dist.example' },
    rules: { distributorOwnedAllowed: false },
    codes: ['DEAL_DISTRIBUTOR_OWNED_NOT_ALLOWED', 'DEAL_PARTNER_EMAIL_MISSING'],
  },
  { name: 'distributor required by the settings and missing', rules: { distributorRequired: true }, codes: ['DEAL_DISTRIBUTOR_EMAIL_MISSING'] },
  {
    name: 'distributor required by the settings and given',
    opportunity: { distributorEmail: 'dan@dist.example' },
    rules: { distributorRequired: true },
    owner: { role: 'partner', contactId: 'c-jane' },
  },
  // Combinations.
  {
    name: 'nothing in place at all',
    opportunity: { accountId: null, accountName: null, primaryContactId: null, syncFlag: false, exportFlag: false, partnerEmail: null, ownerType: 'Other' },
    fields: { Name: null, StageName: null },
    codes: [
      'DEAL_NO_ACCOUNT',
      'DEAL_NO_PRIMARY_CONTACT',
      'DEAL_SYNC_NOT_CHECKED',
      'DEAL_EXPORT_NOT_CHECKED',
      'DEAL_OWNER_TYPE_UNKNOWN',
      'DEAL_PARTNER_EMAIL_MISSING',
      'DEAL_REQUIRED_FIELD_MISSING',
      'DEAL_REQUIRED_FIELD_MISSING',
    ],
  },
  {
    name: 'bad partner and bad distributor together',
    opportunity: { partnerEmail: 'tom@partner.example', distributorEmail: 'dora@dist.example' },
    codes: ['DEAL_PARTNER_NO_DEAL_ACCESS', 'DEAL_DISTRIBUTOR_USER_INACTIVE'],
  },
  {
    name: 'unlinked account and contact with an unmapped stage',
    opportunity: { accountId: '001Z', primaryContactId: '003Z' },
    fields: { StageName: 'Closed Won' },
    rules: { mappings: plan.mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: [{ sf: 'Prospecting', prm: 'New' }] } : m)) },
    codes: ['DEAL_ACCOUNT_NOT_LINKED', 'DEAL_PRIMARY_CONTACT_NOT_LINKED', 'DEAL_VALUE_UNMAPPED'],
  },
];

for (const c of cases) {
  test(`eligibility: ${c.name}`, () => {
    const result = judgeOpportunity(opportunity(c.opportunity, c.fields), directory(c.directory), rules(c.rules));
    if (c.codes) {
      assert.equal(result.eligible, false, `expected ${c.codes.join(', ')}`);
      if (result.eligible) return;
      assert.deepEqual(result.failures.map((f) => f.code), c.codes);
      for (const failure of result.failures) assert.equal(failure.params.opportunity, 'Acme renewal');
    } else {
      assert.equal(result.eligible, true, result.eligible ? '' : result.failures.map((f) => f.code).join(', '));
      if (!result.eligible) return;
      assert.deepEqual(result.owner, c.owner);
      assert.equal(result.values.owner_contact_id, c.owner?.contactId);
    }
  });
}

test('eligibility: the rules that can fail independently are each reported once, in every combination', () => {
  const breakers: Array<[LogCode, Partial<OpportunityFacts>]> = [
    ['DEAL_ACCOUNT_NOT_LINKED', { accountId: '001Z' }],
    ['DEAL_PRIMARY_CONTACT_NOT_LINKED', { primaryContactId: '003Z' }],
    ['DEAL_SYNC_NOT_CHECKED', { syncFlag: false }],
    ['DEAL_EXPORT_NOT_CHECKED', { exportFlag: false }],
    ['DEAL_PARTNER_USER_INACTIVE', { partnerEmail: 'ivy@partner.example' }],
    ['DEAL_DISTRIBUTOR_NO_DEAL_ACCESS', { distributorEmail: 'dirk@dist.example' }],
  ];
  for (let mask = 0; mask < 1 << breakers.length; mask++) {
    const chosen = breakers.filter((_, index) => mask & (1 << index));
    const over = Object.assign({}, ...chosen.map(([, o]) => o)) as Partial<OpportunityFacts>;
    const result = judgeOpportunity(opportunity(over), directory(), rules());
    const codes = result.eligible ? [] : result.failures.map((f) => f.code);
    assert.deepEqual(codes, chosen.map(([code]) => code), `combination ${mask.toString(2)}`);
  }
});

test('eligibility: the values of an eligible opportunity, with the stage value map and a custom field', () => {
  const mappings = [
    ...plan.mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: [{ sf: 'Prospecting', prm: 'Registered' }] } : m)),
    { prmField: 'custom.region' as const, sfField: 'Region__c' },
  ];
  const result = judgeOpportunity(
    opportunity({ distributorEmail: 'dan@dist.example' }, { Amount: 99.5, Region__c: ' EMEA ' }),
    directory(),
    rules({ mappings }),
  );
  assert.ok(result.eligible);
  assert.deepEqual(result.values, {
    organization_id: ORG,
    owner_contact_id: 'c-jane',
    distributor_organization_id: DIST_ORG,
    distributor_contact_id: 'c-dan',
    name: 'Acme renewal',
    stage: 'Registered',
    amount: '99.50',
    close_date: '2026-03-31',
    custom: { region: 'EMEA' },
  });
});

test('eligibility: fields that are not mapped are left out of the values', () => {
  const mappings = plan.mappings.filter((m) => m.prmField === 'name' || m.prmField === 'stage');
  const result = judgeOpportunity(opportunity(), directory(), rules({ mappings }));
  assert.ok(result.eligible);
  assert.equal('amount' in result.values, false);
  assert.equal('close_date' in result.values, false);
  assert.deepEqual(result.values.custom, {});
});

test('eligibility: every failure renders a catalogue message naming the opportunity and the value, with a suggestion', () => {
  const everything = [
    ...cases.filter((c) => c.codes).flatMap((c) => {
      const result = judgeOpportunity(opportunity(c.opportunity, c.fields), directory(c.directory), rules(c.rules));
      return result.eligible ? [] : result.failures;
    }),
  ];
  const seen = new Set<string>();
  for (const failure of everything) {
    seen.add(failure.code);
    const row = logRow(failure.code, failure.params as never, { object: 'deal', sfId: '006X' });
    assert.match(row.message, /Acme renewal/, `${failure.code}: ${row.message}`);
    assert.ok(row.suggestion && row.suggestion.length > 10, `${failure.code} has a suggestion`);
    assert.doesNotMatch(row.message, /undefined/, `${failure.code}: ${row.message}`);
    if (failure.params.email) assert.ok(row.message.includes(failure.params.email), `${failure.code} names the email`);
    if (failure.params.value) assert.ok(row.message.includes(failure.params.value), `${failure.code} names the value`);
  }
  const dealCodes = Object.keys(LOG_CATALOGUE).filter((code) => code.startsWith('DEAL_') && code !== 'DEAL_WRITE_BACK_FAILED');
  assert.deepEqual([...seen].sort(), dealCodes.sort(), 'every eligibility code is exercised by a case');
});

test('eligibility: the spec example message for an unknown partner email', () => {
  const result = judgeOpportunity(opportunity({ partnerEmail: 'jane@acme.example' }), directory(), rules());
  assert.ok(!result.eligible);
  const [failure] = result.failures;
  assert.ok(failure);
  const row = logRow(failure.code, failure.params as never);
  assert.equal(row.message, "Partner Email jane@acme.example of opportunity 'Acme renewal' does not belong to an active partner user.");
  assert.equal(row.suggestion, 'Invite the user in the PRM or correct the email on the opportunity.');
});
