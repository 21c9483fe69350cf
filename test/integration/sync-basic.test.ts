// The two-way cycle against the emulated org over HTTP (real jsforce) and a real database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, insertContact, updatePrm, linkFor, writeCalls, type SyncEnv } from '../helpers/sync-env.ts';
import { databaseLabel } from '../helpers/db.ts';

let env: SyncEnv;
before(async () => {
  env = await openSyncEnv();
});
after(() => env.close());

const account = (id: string) => env.emulator.org.retrieve('Account', id) as Record<string, unknown>;
const accountByPrmId = (prmId: string) =>
  env.emulator.org.query(`SELECT Id, Name, Phone, PRM_Sync__c, PRM_Partner_Status__c, PRM_Sys_EntityType__c, PRM_Sys_URL__c FROM Account WHERE PRM_Id__c = '${prmId}'`).records;

test(`a new PRM organization and its contact are created in Salesforce (${databaseLabel()})`, async () => {
  const orgId = await insertOrganization(env, { name: 'Acme Widgets', kind: 'distributor', status: 'prospective' });
  const contactId = await insertContact(env, orgId, { email: 'jane@acme.example', first_name: 'Jane', last_name: 'Doe' });
  const summary = await env.cycle();
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  assert.equal(summary.counts.createdInSalesforce, 2);
  const [created] = accountByPrmId(orgId);
  assert.ok(created, 'account exists with the PRM id');
  assert.equal(created.Name, 'Acme Widgets');
  assert.equal(created.PRM_Sync__c, true);
  assert.equal(created.PRM_Partner_Status__c, 'Distributor, Prospective');
  assert.equal(created.PRM_Sys_EntityType__c, 'Prospective Distributor');
  assert.equal(created.PRM_Sys_URL__c, `https://prm.example.com/records/organizations/${orgId}`);
  const contactLink = await linkFor(env, 'contact', contactId);
  const contact = env.emulator.org.retrieve('Contact', contactLink.sf_id) as Record<string, unknown>;
  assert.equal(contact.AccountId, created.Id);
  assert.equal(contact.Email, 'jane@acme.example');
});

test('echo: after a change on one side, two further cycles make zero writes', async () => {
  const orgId = await insertOrganization(env, { name: 'Echo Corp' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  env.emulator.org.update('Account', sfId, { Phone: '+49 30 1234' });
  const first = await env.cycle();
  assert.equal(first.counts.toPrm, 1);
  const prm = await env.database.db('organizations').where({ id: orgId }).first();
  assert.equal(prm.phone, '+49 30 1234');
  for (const _ of [1, 2]) {
    const quiet = await env.cycle();
    assert.equal(writeCalls(quiet), 0, JSON.stringify(quiet.apiCallsByEndpoint));
    assert.equal(quiet.counts.toPrm + quiet.counts.toSalesforce, 0);
  }
});

test('a cycle with nothing changed makes at most one API call per enabled object', async () => {
  await env.cycle();
  const quiet = await env.cycle();
  assert.ok(quiet.apiCalls <= 2, `made ${quiet.apiCalls} calls: ${JSON.stringify(quiet.apiCallsByEndpoint)}`);
});

test('different fields changed on each side both survive', async () => {
  const orgId = await insertOrganization(env, { name: 'Both Sides Ltd', phone: '1' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  env.emulator.org.update('Account', sfId, { Phone: '2' });
  await updatePrm(env, 'organizations', orgId, { website: 'both.example' });
  await env.cycle();
  const prm = await env.database.db('organizations').where({ id: orgId }).first();
  assert.equal(prm.phone, '2');
  assert.equal(prm.website, 'both.example');
  assert.equal(account(sfId).Website, 'both.example');
  assert.equal(account(sfId).Phone, '2');
});

test('the same field changed on both sides: the master system (Salesforce by default) wins and it is logged', async () => {
  const orgId = await insertOrganization(env, { name: 'Conflict AG' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  env.emulator.org.update('Account', sfId, { Name: 'Conflict AG (SF)' });
  await updatePrm(env, 'organizations', orgId, { name: 'Conflict AG (PRM)' });
  const summary = await env.cycle();
  assert.equal(summary.counts.conflicts, 1);
  const prm = await env.database.db('organizations').where({ id: orgId }).first();
  assert.equal(prm.name, 'Conflict AG (SF)');
  assert.equal(account(sfId).Name, 'Conflict AG (SF)');
  const logged = await env.database.db('integration_log').where({ run_id: summary.runId, code: 'CONFLICT_RESOLVED' }).first();
  assert.match(logged.message, /name was changed on both sides; the Salesforce value was kept/);
});

test('a PRM deletion keeps the Salesforce account, marks it "(Deleted)" and unflags it', async () => {
  const orgId = await insertOrganization(env, { name: 'Gone Soon Inc' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  await updatePrm(env, 'organizations', orgId, { deleted_at: new Date() });
  await env.cycle();
  assert.equal(account(sfId).PRM_Sys_EntityType__c, 'Active Partner (Deleted)');
  assert.equal(account(sfId).PRM_Sync__c, false);
  assert.equal((await linkFor(env, 'organization', orgId)).state, 'deleted');
  const quiet = await env.cycle();
  assert.equal(writeCalls(quiet), 0);
});

test('a Salesforce deletion disconnects the PRM record, and undelete relinks it', async () => {
  const orgId = await insertOrganization(env, { name: 'Recycle Bin GmbH' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  env.emulator.org.delete('Account', sfId);
  const deleted = await env.cycle();
  assert.equal((await linkFor(env, 'organization', orgId)).state, 'disconnected');
  assert.ok(await env.database.db('organizations').where({ id: orgId }).whereNull('deleted_at').first(), 'PRM record kept');
  assert.ok(await env.database.db('integration_log').where({ run_id: deleted.runId, code: 'RECORD_DISCONNECTED' }).first());
  env.emulator.org.undelete('Account', sfId);
  await env.cycle();
  assert.equal((await linkFor(env, 'organization', orgId)).state, 'linked');
});

test('unchecking the sync flag disconnects; checking it again relinks', async () => {
  const orgId = await insertOrganization(env, { name: 'Flag Toggle LLC' });
  await env.cycle();
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  env.emulator.org.update('Account', sfId, { PRM_Sync__c: false });
  await env.cycle();
  assert.equal((await linkFor(env, 'organization', orgId)).state, 'disconnected');
  env.emulator.org.update('Account', sfId, { PRM_Sync__c: true, Phone: '555' });
  await env.cycle();
  const link = await linkFor(env, 'organization', orgId);
  assert.equal(link.state, 'linked');
  assert.equal((await env.database.db('organizations').where({ id: orgId }).first()).phone, '555');
});

test('a newly flagged Salesforce account creates a PRM organization with its contacts; contacts without email are logged', async () => {
  const accountResult = env.emulator.org.create('Account', { Name: 'Fresh From SF Pty', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active', BillingCity: 'Sydney' });
  const accountId = accountResult.id as string;
  env.emulator.org.create('Contact', { AccountId: accountId, LastName: 'Mailer', FirstName: 'Max', Email: 'Max@Fresh.example' });
  env.emulator.org.create('Contact', { AccountId: accountId, LastName: 'Nomail' });
  const summary = await env.cycle();
  const link = await env.database.db('sync_links').where({ object: 'organization', sf_id: accountId }).first();
  const organization = await env.database.db('organizations').where({ id: link.prm_id }).first();
  assert.equal(organization.name, 'Fresh From SF Pty');
  assert.equal(organization.kind, 'partner');
  assert.equal(organization.billing_city, 'Sydney');
  assert.equal(account(accountId).PRM_Id__c, link.prm_id, 'PRM id written back');
  const contacts = await env.database.db('contacts').where({ organization_id: link.prm_id });
  assert.deepEqual(contacts.map((c: { email: string }) => c.email), ['max@fresh.example']);
  const noEmail = await env.database.db('integration_log').where({ run_id: summary.runId, code: 'CONTACT_NO_EMAIL' });
  assert.equal(noEmail.length, 1);
  assert.match(noEmail[0].message, /Nomail/);
});

test('a flagged account without a partner status is not created and the admin is told why', async () => {
  const { id } = env.emulator.org.create('Account', { Name: 'Uncategorized Co', PRM_Sync__c: true });
  const summary = await env.cycle();
  assert.equal(await env.database.db('sync_links').where({ sf_id: id }).first(), undefined);
  const row = await env.database.db('integration_log').where({ run_id: summary.runId, code: 'ACCOUNT_NOT_CATEGORIZED' }).first();
  assert.match(row.suggestion, /PRM Partner Status/);
});
