// The deal import end to end: the emulated org over HTTP with the real jsforce, a real database.
// 1,000 opportunities in 20 scenarios of mixed eligibility → exactly the eligible ones imported, every
// other one logged with exactly its failed rules; a second run writes nothing; a changed amount updates
// the deal; API calls stay within one query page plus one collections call per 200 write-backs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../sf-emulator/index.ts';
import { openTestDatabase, databaseLabel, type TestDatabase } from '../helpers/db.ts';
import { connectSalesforce } from '../../middleware/salesforce/connection.ts';
import { defaultDealImportPlan, type DealImportPlan } from '../../middleware/deals/plan.ts';
import { runDealImport, type DealImportRunOptions, type DealImportSummary } from '../../middleware/jobs/deal-import.ts';
import type { LogCode } from '../../middleware/log/catalogue.ts';
import { PrmSeeder } from './deals-fixtures.ts';

const OPPORTUNITIES = 1000;
const PUBLIC_URL = 'https://prm.example.com';

interface Scenario {
  key: string;
  opportunity?: Record<string, unknown>;
  account?: 'linked' | 'unlinked' | 'none';
  role?: 'primary' | 'secondary' | 'unlinked' | 'none';
  /** The owner of the imported deal, or the expected failure codes. */
  owner?: 'partner' | 'distributor';
  codes?: LogCode[];
  /** False: neither PRM box ticked, so the import does not even read it. */
  candidate?: false;
}

const SCENARIOS: Scenario[] = [
  { key: 'partner-owned', owner: 'partner' },
  { key: 'with-distributor', opportunity: { PRM_Distributor_Email__c: 'dan@dist.example' }, owner: 'partner' },
  { key: 'distributor-owned', opportunity: { PRM_Deal_Owner_Type__c: 'Distributor-Owned', PRM_Partner_Email__c: null, PRM_Distributor_Email__c: 'dan@dist.example' }, owner: 'distributor' },
  { key: 'email-case', opportunity: { PRM_Partner_Email__c: 'JANE@Partner.Example' }, owner: 'partner' },
  { key: 'no-amount', opportunity: { Amount: null }, owner: 'partner' },
  { key: 'no-account', account: 'none', codes: ['DEAL_NO_ACCOUNT'] },
  { key: 'account-unlinked', account: 'unlinked', codes: ['DEAL_ACCOUNT_NOT_LINKED'] },
  { key: 'no-primary', role: 'secondary', codes: ['DEAL_NO_PRIMARY_CONTACT'] },
  { key: 'contact-unlinked', role: 'unlinked', codes: ['DEAL_PRIMARY_CONTACT_NOT_LINKED'] },
  { key: 'sync-off', opportunity: { PRM_Sync__c: false }, codes: ['DEAL_SYNC_NOT_CHECKED'] },
  { key: 'export-off', opportunity: { PRM_Export_Deal__c: false }, codes: ['DEAL_EXPORT_NOT_CHECKED'] },
  { key: 'partner-unknown', opportunity: { PRM_Partner_Email__c: 'nobody@partner.example' }, codes: ['DEAL_PARTNER_EMAIL_UNKNOWN'] },
  { key: 'partner-inactive', opportunity: { PRM_Partner_Email__c: 'ivy@partner.example' }, codes: ['DEAL_PARTNER_USER_INACTIVE'] },
  { key: 'partner-no-access', opportunity: { PRM_Partner_Email__c: 'tom@partner.example' }, codes: ['DEAL_PARTNER_NO_DEAL_ACCESS'] },
  { key: 'distributor-inactive', opportunity: { PRM_Distributor_Email__c: 'dora@dist.example' }, codes: ['DEAL_DISTRIBUTOR_USER_INACTIVE'] },
  { key: 'distributor-owned-alone', opportunity: { PRM_Deal_Owner_Type__c: 'Distributor-Owned', PRM_Partner_Email__c: null }, codes: ['DEAL_DISTRIBUTOR_EMAIL_MISSING'] },
  { key: 'stage-unmapped', opportunity: { StageName: 'Negotiation/Review' }, codes: ['DEAL_VALUE_UNMAPPED'] },
  { key: 'description-missing', opportunity: { Description: null }, codes: ['DEAL_REQUIRED_FIELD_MISSING'] },
  { key: 'many-wrong', role: 'none', opportunity: { PRM_Sync__c: false, PRM_Partner_Email__c: null }, codes: ['DEAL_NO_PRIMARY_CONTACT', 'DEAL_SYNC_NOT_CHECKED', 'DEAL_PARTNER_EMAIL_MISSING'] },
  { key: 'not-a-candidate', opportunity: { PRM_Sync__c: false, PRM_Export_Deal__c: false }, candidate: false },
];

let emulator: RunningEmulator;
let database: TestDatabase;
let plan: DealImportPlan;
/** Opportunity id → its scenario. */
const scenarioOf = new Map<string, Scenario>();
const users: Record<string, string | undefined> = {};

before(async () => {
  emulator = await startEmulator({ port: 0, size: 0 });
  database = await openTestDatabase();
  plan = defaultDealImportPlan({
    publicUrl: PUBLIC_URL,
    overlapMs: 0,
    mappings: [
      ...defaultDealImportPlan().mappings.map((m) =>
        m.prmField === 'stage'
          ? { ...m, valueMap: [{ sf: 'Prospecting', prm: 'New' }, { sf: 'Qualification', prm: 'Qualified' }, { sf: 'Closed Won', prm: 'Won' }] }
          : m,
      ),
      { prmField: 'custom.notes', sfField: 'Description' },
    ],
    requiredFields: ['name', 'stage', 'custom.notes'],
  });
  await seedWorld();
});
after(async () => {
  await database?.close();
  await emulator?.close();
});

async function seedWorld(): Promise<void> {
  const seed = new PrmSeeder(database.db);
  const org = emulator.org;
  const create = (object: string, values: Record<string, unknown>) => {
    const result = org.create(object, values);
    assert.ok(result.success && result.id, `${object}: ${JSON.stringify(result.errors)}`);
    return result.id;
  };
  // Ten linked partner accounts with three linked contacts each; one account and one contact unlinked.
  const linkedAccounts: Array<{ sfId: string; contacts: string[] }> = [];
  for (let index = 0; index < 10; index++) {
    const organization = await seed.organization({ name: `Partner ${index}` });
    const accountId = create('Account', { Name: `Partner ${index}`, PRM_Sync__c: true });
    await seed.links('organization', [{ prmId: organization, sfId: accountId }]);
    const prmContacts = await seed.contacts(organization, 3);
    const sfContacts = prmContacts.map((_, n) => create('Contact', { LastName: `Buyer ${index}-${n}`, AccountId: accountId, Email: `buyer${index}.${n}@customer.example` }));
    await seed.links('contact', prmContacts.map((prmId, n) => ({ prmId, sfId: sfContacts[n] as string })));
    linkedAccounts.push({ sfId: accountId, contacts: sfContacts });
    if (index === 0) {
      [users.jane, users.ivy, users.tom] = await seed.users(organization, 'partner', [
        { email: 'jane@partner.example' },
        { email: 'ivy@partner.example', active: false },
        { email: 'tom@partner.example', modules: ['training'] },
      ]);
    }
  }
  const distributor = await seed.organization({ kind: 'distributor', name: 'Distributor' });
  [users.dan, users.dora] = await seed.users(distributor, 'distributor', [{ email: 'dan@dist.example' }, { email: 'dora@dist.example', active: false }]);
  users.distributorOrg = distributor;
  const unlinkedAccount = create('Account', { Name: 'Not in the PRM' });
  const unlinkedContact = create('Contact', { LastName: 'Stranger', AccountId: unlinkedAccount, Email: 'stranger@customer.example' });

  for (let index = 0; index < OPPORTUNITIES; index++) {
    const scenario = SCENARIOS[index % SCENARIOS.length] as Scenario;
    const home = linkedAccounts[index % linkedAccounts.length] as { sfId: string; contacts: string[] };
    const account = scenario.account ?? 'linked';
    const opportunityId = create('Opportunity', {
      Name: `Opp ${String(index).padStart(4, '0')} ${scenario.key}`,
      StageName: index % 2 === 0 ? 'Prospecting' : 'Qualification',
      CloseDate: '2026-06-30',
      Amount: 1000 + index,
      Description: `Deal ${index}`,
      AccountId: account === 'linked' ? home.sfId : account === 'unlinked' ? unlinkedAccount : null,
      PRM_Sync__c: true,
      PRM_Export_Deal__c: true,
      PRM_Partner_Email__c: 'jane@partner.example',
      ...scenario.opportunity,
    });
    scenarioOf.set(opportunityId, scenario);
    const role = scenario.role ?? 'primary';
    if (role === 'none') continue;
    const contact = role === 'unlinked' ? unlinkedContact : (home.contacts[index % 3] as string);
    create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contact, IsPrimary: role !== 'secondary', Role: 'Decision Maker' });
    // A second, non-primary role must not confuse anything.
    if (role === 'primary' && index % 7 === 0) create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: home.contacts[(index + 1) % 3] as string, IsPrimary: false });
  }
}

const expectedEligible = () => [...scenarioOf].filter(([, s]) => s.owner).map(([id]) => id);
const expectedCandidates = () => [...scenarioOf].filter(([, s]) => s.candidate !== false).length;

async function run(options: Partial<DealImportRunOptions> = {}): Promise<DealImportSummary & { emulatorCalls: Record<string, number> }> {
  emulator.ledger.reset();
  const openSession = () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
  const summary = await runDealImport(database.db, openSession, plan, { mode: 'incremental', ...options });
  assert.equal(summary.status, options.dryRun ? summary.status : 'succeeded', summary.error ?? '');
  return { ...summary, emulatorCalls: emulator.ledger.counts() };
}

const writeCalls = (calls: Record<string, number>) => Object.entries(calls).filter(([label]) => /collections|composite|sobject\.(PATCH|POST)|bulk/i.test(label) && !/retrieve/.test(label)).reduce((sum, [, n]) => sum + n, 0);
const opportunity = (id: string) => emulator.org.retrieve('Opportunity', id) as Record<string, unknown>;
const timings: string[] = [];

test(`first run: exactly the eligible opportunities become deals, every other one is logged with its failed rules (${databaseLabel()})`, async () => {
  const started = Date.now();
  const summary = await run();
  timings.push(`first run ${Date.now() - started} ms`);
  const eligible = expectedEligible();
  assert.equal(summary.counts.read, expectedCandidates(), 'non-candidates are not read');
  assert.equal(summary.counts.eligible, eligible.length);
  assert.equal(summary.counts.created, eligible.length);

  const deals = await database.db('deal_registrations').select('*', database.db.raw("to_char(close_date, 'YYYY-MM-DD') as close_date"));
  assert.deepEqual(deals.map((d) => d.sf_opportunity_id).sort(), [...eligible].sort());
  for (const deal of deals) {
    const scenario = scenarioOf.get(deal.sf_opportunity_id) as Scenario;
    const sf = opportunity(deal.sf_opportunity_id);
    assert.equal(deal.owner_contact_id, scenario.owner === 'distributor' ? users.dan : users.jane, `${scenario.key} owner`);
    assert.equal(deal.distributor_contact_id, scenario.key === 'partner-owned' || scenario.key === 'email-case' || scenario.key === 'no-amount' ? null : users.dan);
    assert.equal(deal.name, sf.Name);
    assert.equal(deal.stage, sf.StageName === 'Prospecting' ? 'New' : 'Qualified');
    assert.equal(deal.amount, scenario.key === 'no-amount' ? null : Number(sf.Amount).toFixed(2));
    assert.equal(deal.close_date, '2026-06-30');
    assert.deepEqual(typeof deal.custom === 'string' ? JSON.parse(deal.custom) : deal.custom, { notes: sf.Description });
    // The write-back: id, URL and time on the opportunity.
    assert.equal(sf.PRM_Deal_Id__c, deal.id);
    assert.equal(sf.PRM_Sys_URL__c, `${PUBLIC_URL}/records/deals/${deal.id}`);
    assert.ok(sf.PRM_Sys_LastUpdated__c, 'import time written back');
  }

  const rows = await database.db('integration_log').where({ run_id: summary.runId }).andWhere('code', 'like', 'DEAL_%').select('sf_id', 'code', 'message', 'suggestion');
  const bySf = new Map<string, string[]>();
  for (const row of rows) bySf.set(row.sf_id, [...(bySf.get(row.sf_id) ?? []), row.code]);
  for (const [id, scenario] of scenarioOf) {
    const expected = scenario.codes ?? [];
    assert.deepEqual((bySf.get(id) ?? []).sort(), [...expected].sort(), `${scenario.key} (${id})`);
  }
  const expectedRows = [...scenarioOf.values()].reduce((sum, s) => sum + (s.codes?.length ?? 0), 0);
  assert.equal(rows.length, expectedRows, 'one row per failed rule per opportunity');
  assert.equal(summary.counts.failedRules, expectedRows);
  for (const row of rows) {
    assert.match(row.message, /Opp \d{4}/, 'the message names the opportunity');
    assert.ok(row.suggestion, `${row.code} has a suggestion`);
  }

  // API economy: one query page for ≤ 2,000 opportunities, one collections call per 200 write-backs.
  const budget = Math.ceil(summary.counts.read / 2000) + Math.ceil(eligible.length / 200) + 1;
  assert.ok(summary.apiCalls <= budget, `made ${summary.apiCalls} calls (budget ${budget}): ${JSON.stringify(summary.apiCallsByEndpoint)}`);
  assert.equal(summary.apiCallsByEndpoint['collections.update'], Math.ceil(eligible.length / 200));
  assert.equal(writeCalls(summary.emulatorCalls), Math.ceil(eligible.length / 200), JSON.stringify(summary.emulatorCalls));

  const record = await database.db('sync_runs').where({ id: summary.runId }).first();
  assert.equal(record.job, 'deals');
  assert.equal(record.status, 'succeeded');
  assert.equal(record.api_calls, summary.apiCalls);
  const counts = typeof record.counts === 'string' ? JSON.parse(record.counts) : record.counts;
  assert.equal(counts.created, eligible.length);
  timings.push(`first run API calls ${summary.apiCalls} ${JSON.stringify(summary.apiCallsByEndpoint)}`);
});

test('second run: the echo of the write-back is read back and nothing is written anywhere', async () => {
  const seqBefore = await database.db('deal_registrations').max({ seq: 'change_seq' }).first();
  const started = Date.now();
  const summary = await run();
  timings.push(`second run ${Date.now() - started} ms, ${summary.apiCalls} calls`);
  assert.ok(summary.counts.read >= expectedEligible().length, 'the written-back opportunities come back once');
  assert.equal(summary.counts.created, 0);
  assert.equal(summary.counts.updated, 0);
  assert.equal(summary.counts.writeBacks, 0);
  assert.equal(writeCalls(summary.emulatorCalls), 0, JSON.stringify(summary.emulatorCalls));
  assert.equal(summary.apiCalls, 1, JSON.stringify(summary.apiCallsByEndpoint));
  const seqAfter = await database.db('deal_registrations').max({ seq: 'change_seq' }).first();
  assert.equal(String(seqAfter?.seq), String(seqBefore?.seq), 'no deal got a new change_seq');

  const third = await run();
  assert.equal(writeCalls(third.emulatorCalls), 0);
  assert.ok(third.counts.read <= 1, `a quiet org reads (almost) nothing: ${third.counts.read}`);
});

test('a changed amount updates the deal; a fixed opportunity imports on the next run', async () => {
  const [changedId] = expectedEligible();
  const fixedId = [...scenarioOf].find(([, s]) => s.key === 'export-off')?.[0] as string;
  emulator.org.update('Opportunity', changedId as string, { Amount: 4242.5 });
  emulator.org.update('Opportunity', fixedId, { PRM_Export_Deal__c: true });
  const before = await database.db('deal_registrations').where({ sf_opportunity_id: changedId }).first();

  const summary = await run();
  assert.equal(summary.counts.updated, 1);
  assert.equal(summary.counts.created, 1);
  assert.equal(summary.counts.writeBacks, 2);
  assert.equal(writeCalls(summary.emulatorCalls), 1);
  const after = await database.db('deal_registrations').where({ sf_opportunity_id: changedId }).first();
  assert.equal(after.id, before.id);
  assert.equal(after.amount, '4242.50');
  assert.equal(after.version, before.version + 1);
  const fixed = await database.db('deal_registrations').where({ sf_opportunity_id: fixedId }).first();
  assert.ok(fixed, 'imported once eligible');
  assert.equal(opportunity(fixedId).PRM_Deal_Id__c, fixed.id);

  const quiet = await run();
  assert.equal(writeCalls(quiet.emulatorCalls), 0);
  assert.equal(quiet.counts.updated + quiet.counts.created, 0);
});

test('full mode re-reads every candidate and, with nothing changed, still writes nothing', async () => {
  const started = Date.now();
  const summary = await run({ mode: 'full' });
  timings.push(`full run ${Date.now() - started} ms, ${summary.apiCalls} calls`);
  assert.equal(summary.counts.read, expectedCandidates());
  assert.equal(summary.counts.created + summary.counts.updated, 0);
  assert.equal(writeCalls(summary.emulatorCalls), 0);
  assert.equal(summary.apiCalls, 1);
});

test('dry run: reports what would change and writes nothing (no deal, no write-back, no run record, no log)', async () => {
  const [id] = expectedEligible();
  emulator.org.update('Opportunity', id as string, { StageName: 'Closed Won' });
  const runsBefore = await database.db('sync_runs').count({ n: '*' }).first();
  const logBefore = await database.db('integration_log').count({ n: '*' }).first();
  const summary = await run({ mode: 'full', dryRun: true, batchSize: 200 });
  assert.equal(summary.status, 'succeeded');
  assert.equal(summary.runId, null);
  assert.ok(summary.counts.pages >= Math.ceil(expectedCandidates() / 200), `paged by 200: ${summary.counts.pages} pages`);
  assert.equal(summary.counts.updated, 1);
  assert.equal(summary.counts.writeBacks, 1);
  assert.deepEqual(summary.planned.filter((p) => p.outcome === 'updated').map((p) => p.opportunityId), [id]);
  assert.ok(summary.planned.some((p) => p.outcome === 'ineligible' && p.codes.length > 0));
  assert.equal(writeCalls(summary.emulatorCalls), 0);
  const deal = await database.db('deal_registrations').where({ sf_opportunity_id: id }).first();
  assert.equal(deal.stage, 'New', 'the deal is untouched');
  assert.deepEqual(await database.db('sync_runs').count({ n: '*' }).first(), runsBefore);
  assert.deepEqual(await database.db('integration_log').count({ n: '*' }).first(), logBefore);

  const real = await run();
  assert.equal(real.counts.updated, 1);
  assert.equal((await database.db('deal_registrations').where({ sf_opportunity_id: id }).first()).stage, 'Won');
});

test('a refused write-back is logged, marked on the link, and sent again at the start of the next run', async () => {
  const [id] = expectedEligible().slice(-1);
  emulator.org.update('Opportunity', id as string, { Amount: 77 });
  const { id: dealId } = await database.db('deal_registrations').where({ sf_opportunity_id: id }).first();
  // The emulator hands the rule the record's values without its Id; the deal id identifies it.
  const fault = emulator.faults.failRecords({
    object: 'Opportunity',
    api: 'collections',
    when: (values) => values?.PRM_Deal_Id__c === dealId,
    error: { statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id', fields: [] },
  });
  const stampBefore = opportunity(id as string).PRM_Sys_LastUpdated__c;
  const failed = await run();
  fault.remove();
  assert.equal(failed.counts.writeBackFailures, 1);
  const [row] = await database.db('integration_log').where({ run_id: failed.runId, code: 'DEAL_WRITE_BACK_FAILED' });
  assert.ok(row, 'logged');
  assert.equal(row.sf_id, id);
  assert.equal(row.prm_id, dealId);
  assert.match(row.message, /INSUFFICIENT_ACCESS_OR_READONLY/);
  assert.equal((await database.db('deal_registrations').where({ id: dealId }).first()).amount, '77.00', 'the deal itself is saved');
  assert.equal(opportunity(id as string).PRM_Sys_LastUpdated__c, stampBefore);
  const link = await database.db('sync_links').where({ object: 'deal', prm_id: dealId }).first();
  assert.equal(link.needs_retry, true);
  assert.match(link.last_error, /INSUFFICIENT_ACCESS/);

  const retried = await run();
  assert.equal(retried.counts.writeBacks, 1, 'sent again although the opportunity did not change');
  assert.equal(retried.counts.writeBackFailures, 0);
  assert.notEqual(opportunity(id as string).PRM_Sys_LastUpdated__c, stampBefore);
  assert.equal((await database.db('sync_links').where({ object: 'deal', prm_id: dealId }).first()).needs_retry, false);
  assert.equal(writeCalls((await run()).emulatorCalls), 0, 'and then all is quiet');
});

test('a run that dies after saving, before Salesforce confirms its write-backs, loses nothing', async () => {
  const [id] = expectedEligible().slice(-3);
  emulator.org.update('Opportunity', id as string, { Amount: 31337 });
  const fault = emulator.faults.status(400, { label: 'collections.update' });
  const openSession = () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
  const died = await runDealImport(database.db, openSession, plan, { mode: 'incremental' });
  fault.remove();
  assert.equal(died.status, 'failed');
  assert.ok(await database.db('integration_log').where({ run_id: died.runId, code: 'RUN_FAILED' }).first(), 'the failure is logged');
  const deal = await database.db('deal_registrations').where({ sf_opportunity_id: id }).first();
  assert.equal(deal.amount, '31337.00', 'the page committed');
  assert.notEqual(opportunity(id as string).PRM_Sys_LastUpdated__c, null);
  const stamp = opportunity(id as string).PRM_Sys_LastUpdated__c;

  const recovered = await run();
  assert.equal(recovered.counts.writeBacks, 1, 'the pending write-back is sent');
  assert.notEqual(opportunity(id as string).PRM_Sys_LastUpdated__c, stamp);
  assert.equal(writeCalls((await run()).emulatorCalls), 0);
});

test('an opportunity deleted in Salesforce stops its pending write-back; the deal is kept', async () => {
  const [id] = expectedEligible().slice(-2);
  const { id: dealId } = await database.db('deal_registrations').where({ sf_opportunity_id: id }).first();
  await database.db('sync_links').where({ object: 'deal', prm_id: dealId }).update({ needs_retry: true });
  assert.ok(emulator.org.delete('Opportunity', id as string).success);
  const summary = await run();
  assert.equal(summary.counts.writeBackFailures, 1);
  const link = await database.db('sync_links').where({ object: 'deal', prm_id: dealId }).first();
  assert.equal(link.state, 'disconnected');
  assert.equal(link.needs_retry, false);
  assert.ok(await database.db('deal_registrations').where({ id: dealId }).whereNull('deleted_at').first(), 'the deal stays');
  assert.equal(writeCalls((await run()).emulatorCalls), 0, 'not tried again');
});

test('a switched-off integration makes no call and records a skipped run', async () => {
  let opened = 0;
  const summary = await runDealImport(
    database.db,
    async () => {
      opened++;
      throw new Error('must not connect');
    },
    { ...plan, enabled: false },
    { mode: 'incremental' },
  );
  assert.equal(summary.status, 'skipped');
  assert.equal(opened, 0);
  const [row] = await database.db('integration_log').where({ run_id: summary.runId });
  assert.equal(row.code, 'SYNC_DISABLED');
});

test('timings', () => {
  console.log(`deal import (${databaseLabel()}): ${timings.join('; ')}`);
});
