// The wizard's pure parts: contacts matched by email, the merge preview's rules, field-level history diffs,
// PRM rows built from Salesforce records, and the checks on return addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionKey, matchPairContacts, type ContactDecision, type EmailElsewhere, type PrmContact, type SfContact } from '../../middleware/wizard/contact-match.ts';
import { previewLink } from '../../middleware/wizard/preview.ts';
import { prmRowChanges, salesforceChanges } from '../../middleware/wizard/history.ts';
import { contactFromSalesforce, organizationFromAccount } from '../../middleware/wizard/prm-values.ts';
import { likePattern } from '../../middleware/wizard/org-list.ts';
import { eligibleStatuses } from '../../middleware/wizard/environment.ts';
import { wizardReturn } from '../../middleware/web/routes/wizard-common.ts';
import { defaultSyncPlan } from '../../middleware/sync/plan.ts';

const noElsewhere: EmailElsewhere = { salesforce: new Map(), prm: new Map() };
const prm = (id: string, email: string | null, name = 'Pat Lee'): PrmContact => ({ id, organizationId: 'org-1', firstName: name.split(' ')[0] ?? null, lastName: name.split(' ')[1] ?? null, email });
const sf = (id: string, email: string | null, extra: Partial<SfContact> = {}): SfContact => ({ id, accountId: '001A', firstName: 'Sam', lastName: 'Field', email, normEmail: email?.trim().toLowerCase() ?? '', optedOut: false, ...extra });

function classify(prmContacts: PrmContact[], sfContacts: SfContact[], decisions = new Map<string, ContactDecision>(), elsewhere = noElsewhere) {
  return matchPairContacts({ organizationId: 'org-1', accountId: '001A', prmContacts, sfContacts, elsewhere, decisions });
}

test('contacts match on normalized email only, whatever the names say', () => {
  const entries = classify([prm('p1', 'Jane@Acme.example'), prm('p2', 'max@acme.example'), prm('p3', null)], [sf('003A', ' jane@acme.EXAMPLE '), sf('003B', 'sam@acme.example'), sf('003C', null), sf('003D', 'opt@acme.example', { optedOut: true })]);
  const byKind = Object.fromEntries(entries.map((entry) => [`${entry.side}:${entry.recordId}`, [entry.kind, entry.decision, entry.options.join('|')]]));
  assert.deepEqual(byKind, {
    'prm:p1': ['match', 'link', 'link|dont_sync'],
    'prm:p2': ['prm_only', 'create', 'create|dont_sync'],
    'prm:p3': ['prm_only', 'create', 'create|dont_sync'],
    'salesforce:003B': ['salesforce_only', 'create', 'create|dont_sync'],
    'salesforce:003C': ['no_email', null, ''],
    'salesforce:003D': ['opted_out', null, ''],
  });
  const match = entries.find((entry) => entry.kind === 'match');
  assert.equal(match?.sf?.id, '003A');
  assert.deepEqual(entries.map((entry) => entry.kind), ['match', 'prm_only', 'prm_only', 'salesforce_only', 'no_email', 'opted_out'], 'matches first, not syncable last');
});

test('two Salesforce contacts with one email: the first by id can sync, the other is a flagged duplicate', () => {
  const entries = classify([], [sf('003Z', 'twin@acme.example'), sf('003B', 'Twin@acme.example')]);
  assert.deepEqual(entries.map((e) => [e.recordId, e.kind, e.decision]), [['003B', 'salesforce_only', 'create'], ['003Z', 'duplicate', null]]);
  assert.match(entries[1]?.conflict ?? '', /another Salesforce contact of this account/);
});

test('an email under another account or organization is flagged; stored decisions apply when they fit', () => {
  const elsewhere: EmailElsewhere = {
    salesforce: new Map([['jane@acme.example', [{ accountId: '001A', accountName: 'Acme' }, { accountId: '001B', accountName: 'Other Corp' }]]]),
    prm: new Map([['sam@acme.example', [{ organizationId: 'org-9', organizationName: 'Elsewhere Ltd' }]]]),
  };
  const decisions = new Map<string, ContactDecision>([[decisionKey('prm', 'p1'), 'dont_sync'], [decisionKey('salesforce', '003B'), 'link']]);
  const entries = classify([prm('p1', 'jane@acme.example')], [sf('003A', 'jane@acme.example'), sf('003B', 'sam@acme.example')], decisions, elsewhere);
  const jane = entries.find((e) => e.recordId === 'p1');
  assert.equal(jane?.conflict, 'Same email also in Salesforce under Other Corp');
  assert.equal(jane?.decision, 'dont_sync');
  assert.equal(jane?.decidedByAdmin, true);
  const sam = entries.find((e) => e.recordId === '003B');
  assert.equal(sam?.conflict, 'Same email also in the PRM under Elsewhere Ltd');
  assert.equal(sam?.decision, 'create', '"link" is no choice for an unmatched contact: the default stands');
  assert.equal(sam?.decidedByAdmin, false);
});

test('merge preview: non-empty wins, both non-empty → master system, agreement, and picklists shown as each side has them', () => {
  for (const master of ['salesforce', 'prm'] as const) {
    const plan = defaultSyncPlan();
    plan.organizations.policy = { kind: 'master_system', master };
    const preview = previewLink(
      plan.organizations,
      { id: 'p', kind: 'partner', status: 'active', name: 'Acme GmbH', website: 'https://acme.example', phone: null, billing_city: 'Berlin' },
      { Name: 'ACME', Website: null, Phone: '+49 30 1', BillingCity: 'Berlin', PRM_Partner_Status__c: 'Reseller, Active' },
    );
    const field = (key: string) => preview.fields.find((f) => f.key === key);
    assert.deepEqual([field('name')?.merged, field('name')?.ruleKind], [master === 'salesforce' ? 'ACME' : 'Acme GmbH', 'master_system']);
    assert.match(field('name')?.rule ?? '', new RegExp(`master system \\(${master === 'salesforce' ? 'Salesforce' : 'PRM'}\\) wins`));
    assert.equal(field('name')?.changesPrm, master === 'salesforce');
    assert.equal(field('name')?.changesSalesforce, master === 'prm');
    assert.deepEqual([field('website')?.merged, field('website')?.ruleKind, field('website')?.changesSalesforce], ['https://acme.example', 'non_empty_wins', true]);
    assert.match(field('website')?.rule ?? '', /only PRM has a value/);
    assert.deepEqual([field('phone')?.merged, field('phone')?.changesPrm], ['+49 30 1', true]);
    assert.deepEqual([field('billing_city')?.ruleKind, field('billing_city')?.rule], ['agree', 'Same on both sides']);
    assert.deepEqual([field('billing_state')?.ruleKind, field('billing_state')?.merged], ['empty', null]);
    assert.deepEqual([field('partner_status')?.prm, field('partner_status')?.sf, field('partner_status')?.merged], ['partner · active', 'Reseller, Active', 'partner · active (Reseller, Active)']);
  }
});

test('merge preview: an unmapped picklist value is left alone; a one-way field says so', () => {
  const plan = defaultSyncPlan();
  plan.organizations.fields = plan.organizations.fields.map((f) => (f.key === 'phone' ? { ...f, direction: 'to_salesforce' as const } : f));
  const preview = previewLink(plan.organizations, { id: 'p', kind: 'partner', status: 'active', name: 'A', phone: '1' }, { Name: 'A', Phone: '2', PRM_Partner_Status__c: 'Customer' });
  const status = preview.fields.find((f) => f.key === 'partner_status');
  assert.equal(status?.ruleKind, 'unmapped');
  assert.equal(status?.sf, 'Customer');
  assert.equal(status?.changesPrm || status?.changesSalesforce, false);
  const phone = preview.fields.find((f) => f.key === 'phone');
  assert.deepEqual([phone?.merged, phone?.changesSalesforce, phone?.changesPrm], ['1', true, false], 'only the PRM value may flow');
  assert.deepEqual([phone?.ruleKind, phone?.rule], ['direction', 'Both have values; the field only flows from PRM, so its value is kept']);
});

test('history diffs keep changed values only, in each system\u2019s own field names', () => {
  const before = { id: 'x', name: 'Acme GmbH', phone: null, version: 1, updated_at: new Date('2026-01-01T00:00:00Z'), custom: { tier: 'Gold', since: 2010 } };
  const after = { id: 'x', name: 'ACME', phone: '', version: 2, updated_at: new Date('2026-02-01T00:00:00Z'), custom: { tier: 'Gold', since: 2011, added: 'y' } };
  assert.deepEqual(prmRowChanges(before, after), {
    name: { before: 'Acme GmbH', after: 'ACME' },
    'custom.since': { before: 2010, after: 2011 },
    'custom.added': { before: null, after: 'y' },
  });
  assert.deepEqual(
    salesforceChanges({ Id: '001', Name: 'A', SystemModstamp: '1', 'Account.PRM_Sync__c': true, PRM_Id__c: null }, { Id: '001', Name: 'A', SystemModstamp: '2', 'Account.PRM_Sync__c': false, PRM_Id__c: 'p' }),
    { PRM_Id__c: { before: null, after: 'p' } },
  );
});

test('PRM rows from Salesforce records: categorized accounts only, emails lower-cased, last name never empty', () => {
  const plan = defaultSyncPlan({ includeInactive: false });
  const ok = organizationFromAccount(plan, { Name: 'Epsilon LLC', BillingCity: 'Denver', PRM_Partner_Status__c: 'Distributor, Prospective', PRM_Sys_EntityType__c: 'ignored' });
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && { name: ok.values.name, kind: ok.values.kind, status: ok.values.status, city: ok.values.billing_city }, { name: 'Epsilon LLC', kind: 'distributor', status: 'prospective', city: 'Denver' });
  assert.deepEqual(organizationFromAccount(plan, { Name: 'X', PRM_Partner_Status__c: 'Customer' }), { ok: false, reason: 'not categorized: PRM_Partner_Status__c is “Customer”, which the settings do not map' });
  assert.deepEqual(organizationFromAccount(plan, { Name: 'X' }), { ok: false, reason: 'not categorized: PRM_Partner_Status__c is empty' });
  assert.deepEqual(organizationFromAccount(plan, { Name: 'X', PRM_Partner_Status__c: 'Reseller, Inactive' }), { ok: false, reason: 'its status is inactive, which the settings do not sync' });
  const contact = contactFromSalesforce(plan, { Email: ' Ann@Example.COM ', FirstName: 'Ann' }, 'org-1');
  assert.deepEqual(contact.ok && [contact.values.email, contact.values.last_name, contact.values.organization_id], ['ann@example.com', 'ann@example.com', 'org-1']);
  assert.deepEqual(contactFromSalesforce(plan, { Email: '  ' }, 'org-1'), { ok: false, reason: 'it has no email' });
});

test('return addresses stay inside the wizard; LIKE patterns escape their wildcards; statuses follow the settings', () => {
  for (const [value, expected] of [
    ['/wizard/organizations?q=acme&page=2', '/wizard/organizations?q=acme&page=2'],
    ['/wizard', '/wizard'],
    ['https://evil.example/wizard', '/fallback'],
    ['//evil.example/wizard', '/fallback'],
    ['/wizardx', '/fallback'],
    ['/settings', '/fallback'],
    ['/wizard/organizations\r\nSet-Cookie: x', '/fallback'],
    [undefined, '/fallback'],
  ] as const) {
    assert.equal(wizardReturn(value, '/fallback'), expected, String(value));
  }
  assert.equal(likePattern('50%_off\\'), '%50\\%\\_off\\\\%');
  assert.deepEqual(eligibleStatuses({ includeProspective: true, includeInactive: false }), ['active', 'prospective']);
  assert.deepEqual(eligibleStatuses({ includeProspective: false, includeInactive: true }), ['active', 'inactive']);
});
