// Bad opportunity data for the deal import: negative and absurd amounts, impossible dates, over-long and
// unstorable names, owner types and emails the rules do not know. Each case adds one otherwise eligible
// opportunity (values the org refuses are forced past its validation) and runs the import: the deal is
// imported with exactly these values, or not imported with one log row per failed rule, naming the value.
// Every run succeeds and no deal imported before changes.
import assert from 'node:assert/strict';
import { defaultDealImportPlan } from '../../../middleware/deals/plan.ts';
import { runDealImport } from '../../../middleware/jobs/deal-import.ts';
import type { LogCode } from '../../../middleware/log/catalogue.ts';
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { assertUnchanged, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';
import { openSyncWorld, SYNC_TABLES, type SyncWorld } from './sync-world.ts';

type Expectation = { imported: Record<string, unknown> } | { refused: ReadonlyArray<{ code: LogCode; message: RegExp }> };

export interface DealCase extends NamedCase {
  /** Opportunity values: `values` go through the org's validation, `forced` past it. */
  input: { values?: Record<string, unknown>; forced?: Record<string, unknown> };
  expect: Expectation;
}

const PARTNER_EMAIL = 'jane@partner.example';
const invalidValue = (field: string, value: string, problem: string) => ({ code: 'DEAL_VALUE_INVALID' as const, message: new RegExp(`has ${field} "${value}", which cannot be imported: ${problem}`) });

export const DEAL_CASES: readonly DealCase[] = [
  { name: 'negative amount (a credit note)', input: { values: { Amount: -250.5 } }, expect: { imported: { amount: -250.5 } } },
  { name: 'zero amount', input: { values: { Amount: 0 } }, expect: { imported: { amount: 0 } } },
  { name: 'amount of 10^17', input: { forced: { Amount: 1e17 } }, expect: { refused: [invalidValue('Amount', '100000000000000000', 'it is larger than a deal amount can be')] } },
  { name: 'close date 2026-02-30', input: { forced: { CloseDate: '2026-02-30' } }, expect: { refused: [invalidValue('CloseDate', '2026-02-30', 'it is not a date \\(YYYY-MM-DD\\)')] } },
  { name: 'close date "next week"', input: { forced: { CloseDate: 'next week' } }, expect: { refused: [invalidValue('CloseDate', 'next week', 'it is not a date')] } },
  { name: 'opportunity name of 300 characters', input: { forced: { Name: 'O'.repeat(300) } }, expect: { refused: [invalidValue('Name', 'O{300}', "it is longer than the 255 characters the deal's name holds")] } },
  { name: 'NUL in the opportunity name: imported without it', input: { values: { Name: 'Nul\u0000 Deal' } }, expect: { imported: { name: 'Nul Deal' } } },
  { name: 'emojis and right-to-left text in the name', input: { values: { Name: '🚀 صفقة كبيرة — Ünïcødé' } }, expect: { imported: { name: '🚀 صفقة كبيرة — Ünïcødé' } } },
  { name: '<script> and {{ }} in the name', input: { values: { Name: '<script>alert(1)</script> {{deal}}' } }, expect: { imported: { name: '<script>alert(1)</script> {{deal}}' } } },
  { name: 'unknown deal owner type', input: { forced: { PRM_Deal_Owner_Type__c: 'Reseller-Owned' } }, expect: { refused: [{ code: 'DEAL_OWNER_TYPE_UNKNOWN', message: /has the deal owner type "Reseller-Owned", which is neither Partner-Owned nor Distributor-Owned/ }] } },
  { name: 'wrong-case deal owner type', input: { forced: { PRM_Deal_Owner_Type__c: 'partner-owned' } }, expect: { refused: [{ code: 'DEAL_OWNER_TYPE_UNKNOWN', message: /"partner-owned", which is neither Partner-Owned/ }] } },
  { name: 'malformed partner email', input: { forced: { PRM_Partner_Email__c: 'jane at partner' } }, expect: { refused: [{ code: 'DEAL_PARTNER_EMAIL_UNKNOWN', message: /Partner Email jane at partner of opportunity '.*' does not belong to an active partner user/ }] } },
  { name: 'partner email in another case with spaces', input: { forced: { PRM_Partner_Email__c: '  JANE@Partner.Example ' } }, expect: { imported: { stage: 'Prospecting' } } },
];

interface World extends SyncWorld {
  buyer: string;
  count: number;
}

async function runDealCase(world: World, testCase: DealCase): Promise<void> {
  const db = world.env.database.db;
  world.count += 1;
  const opportunity = world.create('Opportunity', {
    Name: `Deal ${world.count}`, StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 1000, AccountId: world.home.account,
    PRM_Sync__c: true, PRM_Export_Deal__c: true, PRM_Partner_Email__c: PARTNER_EMAIL, ...testCase.input.values,
  });
  world.create('OpportunityContactRole', { OpportunityId: opportunity, ContactId: world.buyer, IsPrimary: true });
  if (testCase.input.forced) world.force('Opportunity', opportunity, testCase.input.forced);

  const before = await snapshot(db, SYNC_TABLES);
  const { emulator } = world.env;
  const plan = defaultDealImportPlan({ publicUrl: 'https://prm.example.com', overlapMs: 0 });
  const summary = await runDealImport(db, () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken }), plan, { mode: 'incremental' });
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  const rows = await db('integration_log').where({ run_id: summary.runId, sf_id: opportunity });
  const deal = await db('deal_registrations').where({ sf_opportunity_id: opportunity }).first();
  if ('refused' in testCase.expect) {
    assert.equal(deal, undefined, 'no deal');
    assert.deepEqual(rows.map((row) => row.code).sort(), testCase.expect.refused.map((r) => r.code).sort(), 'one row per failed rule');
    for (const expected of testCase.expect.refused) {
      const row = rows.find((r) => r.code === expected.code);
      assert.match(row.message, expected.message);
      assert.ok(row.suggestion, 'the row says what to do');
    }
    assertUnchanged(before, await snapshot(db, SYNC_TABLES), testCase.name);
    return;
  }
  assert.ok(deal, `imported: ${JSON.stringify(rows.map((r) => r.message))}`);
  const read = await world.app.inject({ method: 'GET', url: `/api/v1/deals/${deal.id}`, headers: { authorization: `Bearer ${world.app.config.apiToken}` } });
  const wanted = testCase.expect.imported;
  assert.deepEqual(Object.fromEntries(Object.keys(wanted).map((key) => [key, read.json()[key]])), wanted, 'the deal holds exactly this');
  assert.equal(read.json().owner_contact_id, (await db('contacts').where({ email: PARTNER_EMAIL }).first()).id, 'owned by the partner user');
  assert.equal(world.record('Opportunity', opportunity)?.PRM_Deal_Id__c, deal.id, 'the deal id is written back');
  assertUnchanged(before, await snapshot(db, SYNC_TABLES), testCase.name, { except: new Set([deal.id]), allowNew: true });
}

/** A synced org with a linked buyer contact, and a partner user in a group with deal registration. */
async function openWorld(): Promise<World> {
  const world = await openSyncWorld();
  const buyer = world.create('Contact', { AccountId: world.home.account, LastName: 'Buyer', Email: 'buyer@customer.example' });
  assert.equal((await world.env.cycle()).status, 'succeeded');
  const { prm } = world.app;
  const jane = await prm.contacts.create({ organization_id: world.home.organization, first_name: 'Jane', last_name: 'Partner', email: PARTNER_EMAIL });
  await prm.contacts.promote(jane.id);
  const group = await prm.groups.create({ name: 'Deal registrars', kind: 'partner', modules: ['deal_registration'] });
  await prm.groups.addMember(group.id, jane.id);
  return Object.assign(world, { buyer, count: 0 });
}

export const dealGroup: CaseGroup<World, DealCase> = {
  area: 'Salesforce opportunities through the deal import',
  cases: DEAL_CASES,
  open: openWorld,
  run: runDealCase,
  app: (world) => world.app,
  close: (world) => world.close(),
};
