// /settings and /settings/mappings without a Salesforce connection: saved through the settings service,
// audited (who, when, before, after), refused with the validator's messages next to the fields, and
// protected against saving over someone else's newer version. "Delete integration" keeps PRM records.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { formFromSettings } from '../../middleware/web/settings-form.ts';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import { ADMIN_EMAIL, alerts, Client, openConsole } from './helpers.ts';
import { insertPrmSample } from './fixtures.ts';
import { databaseLabel } from '../helpers/db.ts';

const ui = await openConsole();
after(() => ui.close());
const client = new Client(ui.app);
await client.login();

function settingsForm(overrides: Record<string, string | undefined>, version: number): Record<string, string> {
  const form = { ...formFromSettings(defaultSettings()), ...overrides, version: String(version) };
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

test(`a valid save is stored, audited with before and after, and shown on the page (${databaseLabel()})`, async () => {
  const response = await client.post('/settings', settingsForm({ 'schedules.incrementalSync': '15', 'organizations.includeInactive': 'on' }, 0));
  assert.equal(response.statusCode, 303);
  const page = await client.get('/settings');
  assert.ok(alerts(page.body).some((text) => /Settings saved \(version 1\)/.test(text)), alerts(page.body).join(' | '));
  assert.ok(alerts(page.body).some((text) => /not checked against its schema/.test(text)) || /not checked against its schema/.test(page.body));
  assert.match(page.body, /<option value="15" selected>Every 15 minutes<\/option>/);
  const stored = await ui.database.db('settings').where({ integration: 'salesforce' }).first();
  assert.equal(stored.version, 1);
  const audit = await ui.database.db('settings_audit').orderBy('id');
  assert.equal(audit.length, 1);
  assert.equal(audit[0].actor, ADMIN_EMAIL);
  assert.equal(audit[0].before, null);
  assert.equal(audit[0].after.schedules.incrementalSync, 15);
  assert.equal(audit[0].after.organizations.includeInactive, true);
  assert.match(page.body, /<td class="slds-cell-wrap">first save<\/td>/);
});

test('saving the same values again changes nothing and writes no audit row', async () => {
  const response = await client.post('/settings', settingsForm({ 'schedules.incrementalSync': '15', 'organizations.includeInactive': 'on' }, 1));
  assert.equal(response.statusCode, 303);
  assert.ok(alerts((await client.get('/settings')).body).includes('Nothing changed.'));
  assert.equal((await ui.database.db('settings_audit')).length, 1);
});

test('validation problems are shown next to their fields and nothing is saved', async () => {
  const response = await client.post('/settings', settingsForm({ 'organizations.statusValues.partner.prospective': 'Reseller, Active', 'contacts.direction': 'sideways' }, 1));
  assert.equal(response.statusCode, 422);
  assert.match(response.body, /The settings were not saved/);
  // The message sits in the form element of the field it is about.
  const field = /<div class="slds-form-element slds-has-error">[\s\S]*?id="f-contacts-direction"[\s\S]*?<div class="slds-form-element__help" id="error-f-contacts-direction">([^<]+)<\/div>/.exec(response.body);
  assert.ok(field, 'error next to contacts.direction');
  assert.match(field[1] as string, /contacts\.direction: must be one of/);
  // The submitted (wrong) value is kept in the form for correction.
  assert.match(response.body, /<option value="sideways" selected>sideways \(not offered\)<\/option>/);
  assert.equal((await ui.database.db('settings').first()).version, 1);
  const ambiguous = await client.post('/settings', settingsForm({ 'organizations.statusValues.partner.prospective': 'Reseller, Active' }, 1));
  assert.equal(ambiguous.statusCode, 422);
  assert.match(ambiguous.body, /id="error-f-organizations-statusValues-partner-prospective">organizations\.statusValues\.partner\.prospective: &#x27;Reseller, Active&#x27; is also the value of organizations\.statusValues\.partner\.active/);
});

test('a save over a newer version is refused with the reason', async () => {
  const response = await client.post('/settings', settingsForm({ enabled: undefined }, 0));
  assert.equal(response.statusCode, 409);
  assert.match(response.body, /The settings changed since you loaded them \(now version 1/);
  assert.equal((await ui.database.db('settings').first()).document.enabled, true);
});

test('field mappings: problems land on their row, a valid table is saved and audited', async () => {
  const page = await client.get('/settings/mappings?object=contacts');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /name="prmField_0" value="first_name"/);
  const form: Record<string, string> = { object: 'contacts', version: '1' };
  defaultSettings().contacts.mappings.forEach((mapping, i) => {
    form[`prmField_${i}`] = mapping.prmField;
    form[`sfField_${i}`] = mapping.sfField;
    form[`direction_${i}`] = mapping.direction;
  });
  const extra = defaultSettings().contacts.mappings.length;
  const duplicate = await client.post('/settings/mappings', { ...form, [`prmField_${extra}`]: 'custom.region', [`sfField_${extra}`]: 'Email', [`direction_${extra}`]: 'to_salesforce' }, { csrfFrom: '/settings/mappings?object=contacts' });
  assert.equal(duplicate.statusCode, 422);
  assert.match(duplicate.body, new RegExp(`id="error-sf-${extra}">contacts\\.mappings\\[${extra}\\]\\.sfField: Email is already mapped`));
  const valid = await client.post('/settings/mappings', { ...form, [`prmField_${extra}`]: 'custom.region', [`sfField_${extra}`]: 'Department', [`direction_${extra}`]: 'both', [`firstSyncOnly_${extra}`]: 'on', remove_4: 'on' }, { csrfFrom: '/settings/mappings?object=contacts' });
  assert.equal(valid.statusCode, 303);
  const saved = (await ui.database.db('field_mappings').where({ object: 'contacts' }).orderBy('position')).map((row) => [row.prm_field, row.sf_field, row.direction, row.first_sync_only]);
  assert.ok(saved.some(([prm, sf, , first]) => prm === 'custom.region' && sf === 'Department' && first === true));
  assert.ok(!saved.some(([prm]) => prm === 'title'), 'row 4 (title) removed');
  assert.equal((await ui.database.db('settings_audit')).length, 2);
});

test('the picklist value map editor saves pairs through the settings service', async () => {
  const form: Record<string, string> = { object: 'organizations', index: '0', version: '2', sf_0: 'Acme Corp', prm_0: 'Acme' };
  const response = await client.post('/settings/mappings/values', form, { csrfFrom: '/settings/mappings/values?object=organizations&index=0' });
  assert.equal(response.statusCode, 303);
  const row = await ui.database.db('field_mappings').where({ object: 'organizations', position: 0 }).first();
  assert.deepEqual(row.value_map, [{ prm: 'Acme', sf: 'Acme Corp' }]);
  const page = await client.get('/settings/mappings?object=organizations');
  assert.match(page.body, /1 pair</);
});

test('"Delete integration" needs the typed confirmation and never touches PRM records', async () => {
  const sample = await insertPrmSample(ui.database.db, 'Keeper GmbH');
  await ui.database.db('sync_links').insert({ object: 'organization', prm_id: sample.organizationId, sf_id: '001000000000001AAA', state: 'linked' });
  const wrong = await client.post('/settings/connection/delete', { confirm: 'delete' }, { csrfFrom: '/settings/connection' });
  assert.equal(wrong.statusCode, 303);
  assert.match(alerts((await client.get('/settings/connection')).body).join(' '), /Nothing was deleted/);
  assert.equal((await ui.database.db('settings')).length, 1);
  const right = await client.post('/settings/connection/delete', { confirm: 'DELETE INTEGRATION' }, { csrfFrom: '/settings/connection' });
  assert.equal(right.statusCode, 303);
  const db = ui.database.db;
  assert.equal((await db('settings')).length, 0);
  assert.equal((await db('field_mappings')).length, 0);
  assert.equal((await db('sync_links')).length, 0);
  assert.equal((await db('encrypted_secrets').whereLike('name', 'salesforce.%')).length, 0);
  assert.ok(await db('organizations').where({ id: sample.organizationId }).whereNull('deleted_at').first());
  assert.ok(await db('contacts').where({ id: sample.contactId }).first());
  assert.ok(await db('deal_registrations').where({ id: sample.dealId }).first());
  const lastAudit = await db('settings_audit').orderBy('id', 'desc').first();
  assert.equal(lastAudit.version, 0);
  // The settings page shows the defaults again.
  assert.match((await client.get('/settings')).body, /name="version" value="0"/);
});
