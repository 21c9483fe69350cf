// A deal's Sync Now (record page): the one opportunity is re-imported through the same rules and writes
// as the scheduled import, without moving the import cursor.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../sf-emulator/index.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { loadConfig } from '../../middleware/config.ts';
import { createSyncService } from '../../middleware/sync/service.ts';
import { PrmSeeder } from './deals-fixtures.ts';

const emulator = await startEmulator({ port: 0, size: 0 });
const database = await openTestDatabase();
after(async () => {
  await database.close();
  await emulator.close();
});
const service = createSyncService({
  db: database.db,
  config: loadConfig({ LOG_LEVEL: 'silent' }),
  credentials: async () => ({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken }),
});

test('Sync Now on a deal re-imports its opportunity and updates the deal', async () => {
  const seed = new PrmSeeder(database.db);
  const organization = await seed.organization({ name: 'Deal Partner' });
  const accountId = emulator.org.create('Account', { Name: 'Deal Partner', PRM_Sync__c: true }).id as string;
  await seed.links('organization', [{ prmId: organization, sfId: accountId }]);
  const [contact] = await seed.contacts(organization, 1);
  const contactId = emulator.org.create('Contact', { LastName: 'Buyer', AccountId: accountId, Email: 'buyer@deal.example' }).id as string;
  await seed.links('contact', [{ prmId: contact as string, sfId: contactId }]);
  await seed.users(organization, 'partner', [{ email: 'owner@deal.example' }]);
  const opportunityId = emulator.org.create('Opportunity', {
    Name: 'Renewal',
    StageName: 'Prospecting',
    CloseDate: '2027-03-31',
    Amount: 1000,
    AccountId: accountId,
    PRM_Sync__c: true,
    PRM_Export_Deal__c: true,
    PRM_Partner_Email__c: 'owner@deal.example',
  }).id as string;
  emulator.org.create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, IsPrimary: true });

  const { runDealImport } = await import('../../middleware/jobs/deal-import.ts');
  const { connectSalesforce } = await import('../../middleware/salesforce/connection.ts');
  const { dealPlanFromSettings } = await import('../../middleware/deals/plan-from-settings.ts');
  const { defaultSettings } = await import('../../middleware/settings/defaults.ts');
  const imported = await runDealImport(database.db, () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken }), dealPlanFromSettings(defaultSettings(), 'https://prm.example.com'), { mode: 'full' });
  assert.equal(imported.status, 'succeeded', imported.error ?? '');
  const deal = await database.db('deal_registrations').where({ sf_opportunity_id: opportunityId }).first();
  assert.ok(deal, 'imported');
  const cursorBefore = await database.db('sync_cursors').where({ object: 'deal' }).first();

  emulator.org.update('Opportunity', opportunityId, { Amount: 2500 });
  const result = await service.syncDealNow(deal.id);
  assert.deepEqual(result.errors, []);
  assert.equal(result.counts.toPrm, 1);
  assert.ok(result.apiCalls <= 2, `${result.apiCalls} calls`);
  assert.equal(Number((await database.db('deal_registrations').where({ id: deal.id }).first()).amount), 2500);
  assert.deepEqual(await database.db('sync_cursors').where({ object: 'deal' }).first(), cursorBefore, 'the import cursor did not move');

  emulator.org.update('Opportunity', opportunityId, { PRM_Partner_Email__c: 'nobody@deal.example' });
  const refused = await service.syncDealNow(deal.id);
  assert.match(refused.errors.join(' '), /no longer eligible/);
  const logged = await database.db('integration_log').where({ code: 'DEAL_PARTNER_EMAIL_UNKNOWN', sf_id: opportunityId }).first();
  assert.match(logged.message, /nobody@deal\.example/);
});
