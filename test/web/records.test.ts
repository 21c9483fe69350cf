// Record pages against the emulated org with the real sync engine behind them: PRM vs Salesforce values,
// Sync Now, Unlink and relink, the record's log history, and the Sync Manager after a real run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { alerts, Client } from './helpers.ts';
import { openLiveConsole } from './live-env.ts';
import { databaseLabel } from '../helpers/db.ts';

const live = await openLiveConsole({ size: 8 });
after(() => live.close());
const db = live.database.db;
const client = new Client(live.app);
await client.login();
const { plain } = live.partnerIds;

test(`an incremental run from the Sync Manager links the PRM partners and shows its counts (${databaseLabel()})`, async () => {
  const outcome = await live.app.scheduler.runAndWait('accounts_contacts', 'incremental', 'test');
  assert.equal(outcome.state, 'ran');
  const page = await client.get('/sync');
  assert.match(page.body, /Organizations ↔ Accounts[\s\S]*?succeeded/);
  assert.match(page.body, /<rect class="chart-bar_records"/);
  const link = await db('sync_links').where({ object: 'organization', prm_id: plain }).first();
  assert.equal(link.state, 'linked');
  assert.match(link.sf_id, /^001/);
});

test('the record page compares PRM and Salesforce values and links to Salesforce', async () => {
  const link = await db('sync_links').where({ object: 'organization', prm_id: plain }).first();
  live.emulator.org.update('Account', link.sf_id, { Name: 'Northwind Partners Limited' });
  const page = await client.get(`/records/organizations/${plain}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<th scope="row">name<\/th>\s*<td><code>Name<\/code><\/td><td>both<\/td>\s*<td class="slds-cell-wrap">Northwind Partners Ltd<\/td><td class="slds-cell-wrap">Northwind Partners Limited <span class="slds-badge console-badge console-badge_warning">differs<\/span>/);
  assert.match(page.body, /changed on Salesforce/);
  assert.match(page.body, /1 difference/);
  assert.match(page.body, new RegExp(`href="${live.emulator.url}/lightning/r/Account/${link.sf_id}/view"`));
  assert.match(page.body, /Ada Moss/);
});

test('Sync Now merges the one record at once (Salesforce is the master here)', async () => {
  const response = await client.post(`/records/organizations/${plain}/sync`, {}, { csrfFrom: `/records/organizations/${plain}` });
  assert.equal(response.statusCode, 303);
  const page = await client.get(`/records/organizations/${plain}`);
  assert.ok(alerts(page.body).some((text) => /^Synced now\./.test(text)), alerts(page.body).join(' | '));
  assert.match(page.body, /Updated the PRM \(\d+ API calls?\)/);
  assert.equal((await db('organizations').where({ id: plain }).first()).name, 'Northwind Partners Limited');
  assert.doesNotMatch(page.body, /differs<\/span>/);
});

test('Unlink keeps both records and clears the PRM id in Salesforce; relink by id links again', async () => {
  const link = await db('sync_links').where({ object: 'organization', prm_id: plain }).first();
  await client.post(`/records/organizations/${plain}/unlink`, {}, { csrfFrom: `/records/organizations/${plain}` });
  assert.equal(await db('sync_links').where({ object: 'organization', prm_id: plain }).first(), undefined);
  assert.equal(live.emulator.org.retrieve('Account', link.sf_id, ['PRM_Id__c'])?.PRM_Id__c ?? null, null);
  const unlinked = await client.get(`/records/organizations/${plain}`);
  assert.match(unlinked.body, /not linked/);
  assert.match(unlinked.body, /Link to another Salesforce Account/);
  const search = await client.get(`/records/organizations/${plain}?q=Northwind`);
  assert.match(search.body, new RegExp(`<code>${link.sf_id}</code>`));
  await client.post(`/records/organizations/${plain}/relink`, { sfId: link.sf_id }, { csrfFrom: `/records/organizations/${plain}` });
  assert.equal((await db('sync_links').where({ object: 'organization', prm_id: plain }).first())?.sf_id, link.sf_id);
  assert.ok(alerts((await client.get(`/records/organizations/${plain}`)).body).some((text) => text.startsWith(`Linked to Salesforce record ${link.sf_id}`)));
});

test('engine refusals are shown on the record page, not as a crash', async () => {
  const other = live.partnerIds.escaped;
  const taken = (await db('sync_links').where({ object: 'organization', prm_id: plain }).first()).sf_id;
  const response = await client.post(`/records/organizations/${other}/relink`, { sfId: taken }, { csrfFrom: `/records/organizations/${other}` });
  assert.equal(response.statusCode, 303);
  const page = await client.get(`/records/organizations/${other}`);
  assert.ok(alerts(page.body).some((text) => /already linked to another PRM record/.test(text)), alerts(page.body).join(' | '));
  const badId = await client.post(`/records/organizations/${other}/relink`, { sfId: 'not an id' }, { csrfFrom: `/records/organizations/${other}` });
  assert.equal(badId.statusCode, 400);
});

test('the record page lists the record\'s own log history', async () => {
  const tooLong = live.partnerIds.tooLong;
  const page = await client.get(`/records/organizations/${tooLong}`);
  assert.match(page.body, /Integration log for this record[\s\S]*SF_WRITE_FAILED[\s\S]*STRING_TOO_LONG/);
  assert.doesNotMatch(page.body, /CONTACT_NO_EMAIL/);
});

test('contact and deal pages render; Sync Now on a deal not imported from Salesforce says why nothing happens', async () => {
  const contact = await db('contacts').where({ organization_id: plain }).first();
  const contactPage = await client.get(`/records/contacts/${contact.id}`);
  assert.equal(contactPage.statusCode, 200);
  assert.match(contactPage.body, new RegExp(`href="/records/organizations/${plain}"`));
  assert.match(contactPage.body, /ada\.moss@northwind\.example/);
  const [deal] = await db('deal_registrations').insert({ organization_id: plain, owner_contact_id: contact.id, name: 'Big deal', stage: 'Prospecting' }).returning('id');
  const dealPage = await client.get(`/records/deals/${deal.id}`);
  assert.equal(dealPage.statusCode, 200);
  assert.match(dealPage.body, /Big deal/);
  assert.match(dealPage.body, />Sync Now</);
  await client.post(`/records/deals/${deal.id}/sync`, {}, { csrfFrom: `/records/deals/${deal.id}` });
  assert.match(alerts((await client.get(`/records/deals/${deal.id}`)).body).join(' '), /did not come from a Salesforce opportunity/);
});
