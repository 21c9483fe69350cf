// /settings/connection against the emulated org: the connected app (secret stored encrypted), the OAuth
// authorize redirect and a callback with a bad state refused, Test connection showing the org id, the
// settings and mappings pages reading live describes, the metadata check, "New Field" through the Tooling
// API, and disconnect.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { CONNECTION_STATE_KEY } from '../../middleware/salesforce/credentials.ts';
import { createSettingsService } from '../../middleware/settings/service.ts';
import { formFromSettings } from '../../middleware/web/settings-form.ts';
import { startEmulator } from '../sf-emulator/index.ts';
import { alerts, Client, openConsole } from './helpers.ts';
import { databaseLabel } from '../helpers/db.ts';

const emulator = await startEmulator({ port: 0, size: 5, seed: 'connection' });
const ui = await openConsole();
after(async () => {
  await ui.close();
  await emulator.close();
});
const db = ui.database.db;
const client = new Client(ui.app);
await client.login();
const CLIENT_SECRET = 'connected-app-secret-4f9a1c';

async function connectToEmulator(): Promise<void> {
  await createConnectionStore(db, ui.app.config).saveConnection(
    { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'prm-sync-test-client', username: emulator.integrationUser.username, orgId: emulator.org.orgId, connectedAt: new Date().toISOString() },
    emulator.refreshToken,
  );
}

test(`the connected app is saved with its secret encrypted, and the secret is never shown again (${databaseLabel()})`, async () => {
  const start = await client.get('/settings/connection/oauth/start');
  assert.equal(start.statusCode, 303, 'no connected app yet');
  const saved = await client.post('/settings/connection/app', { loginUrl: 'https://test.salesforce.com', clientId: '3MVG9.test-consumer-key', clientSecret: CLIENT_SECRET }, { csrfFrom: '/settings/connection' });
  assert.equal(saved.statusCode, 303);
  const page = await client.get('/settings/connection');
  assert.ok(alerts(page.body).some((text) => /Connected app saved/.test(text)));
  assert.doesNotMatch(page.body, new RegExp(CLIENT_SECRET));
  assert.match(page.body, /stored encrypted; leave blank to keep/);
  assert.match(page.body, /value="3MVG9\.test-consumer-key"/);
  const secret = await db('encrypted_secrets').where({ name: 'salesforce.client_secret' }).first();
  assert.ok(secret);
  assert.doesNotMatch(JSON.stringify(secret), new RegExp(CLIENT_SECRET));
  const refused = await client.post('/settings/connection/app', { loginUrl: 'custom', customLoginUrl: 'ftp://evil.example', clientId: '3MVG9.test-consumer-key' }, { csrfFrom: '/settings/connection' });
  assert.equal(refused.statusCode, 303);
  assert.match(alerts((await client.get('/settings/connection')).body).join(' '), /login URL must be an https:\/\/ address/);
});

test('Connect redirects to Salesforce with state and PKCE; a callback with a bad state is refused', async () => {
  const start = await client.get('/settings/connection/oauth/start');
  assert.equal(start.statusCode, 302);
  const authorize = new URL(String(start.headers.location));
  assert.equal(authorize.origin + authorize.pathname, 'https://test.salesforce.com/services/oauth2/authorize');
  assert.equal(authorize.searchParams.get('client_id'), '3MVG9.test-consumer-key');
  assert.equal(authorize.searchParams.get('redirect_uri'), 'http://127.0.0.1:3999/settings/connection/oauth/callback');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  const state = authorize.searchParams.get('state') as string;
  assert.ok(state.length >= 40);

  const forged = await client.get(`/settings/connection/oauth/callback?code=stolen-code&state=${encodeURIComponent(`${state.slice(0, -2)}xx`)}`);
  assert.equal(forged.statusCode, 400);
  assert.match(forged.body, /state mismatch/);
  assert.equal(await db('integration_state').where({ key: CONNECTION_STATE_KEY }).first(), undefined);
  assert.equal(await db('encrypted_secrets').where({ name: 'salesforce.refresh_token' }).first(), undefined);
  // The pending state was used up by the refused answer: replaying the right one fails too.
  const replay = await client.get(`/settings/connection/oauth/callback?code=stolen-code&state=${encodeURIComponent(state)}`);
  assert.equal(replay.statusCode, 400);
  assert.match(replay.body, /No connection was started from this browser session/);
  // Another admin session cannot finish this admin's flow.
  const again = new URL(String((await client.get('/settings/connection/oauth/start')).headers.location));
  const other = new Client(ui.app);
  await other.login();
  const crossSession = await other.get(`/settings/connection/oauth/callback?code=x&state=${encodeURIComponent(again.searchParams.get('state') as string)}`);
  assert.equal(crossSession.statusCode, 400);
  // A refusal by Salesforce (right state) is reported, and nothing is stored.
  const denied = await client.get(`/settings/connection/oauth/callback?error=access_denied&error_description=end-user+denied+authorization&state=${encodeURIComponent(again.searchParams.get('state') as string)}`);
  assert.equal(denied.statusCode, 303);
  assert.match(alerts((await client.get('/settings/connection')).body).join(' '), /Salesforce did not grant access: end-user denied authorization/);
  assert.equal(await db('integration_state').where({ key: CONNECTION_STATE_KEY }).first(), undefined);
});

test('Test connection against the org shows its id, the user, the API version and usage', async () => {
  await connectToEmulator();
  const response = await client.post('/settings/connection/test', {}, { csrfFrom: '/settings/connection' });
  assert.equal(response.statusCode, 303);
  const page = await client.get('/settings/connection');
  const text = page.body;
  assert.ok(alerts(text).includes('Connection works.'), alerts(text).join(' | '));
  assert.match(text, new RegExp(`Org id: ${emulator.org.orgId}`));
  assert.match(text, new RegExp(`User: ${emulator.integrationUser.username.replace('.', '\\.')} \\(005`));
  assert.match(text, /API version: \d\d\.0 \(the org offers up to 64\.0\)/);
  assert.match(text, /API usage: [\d,]+ of [\d,]+ daily API requests used/);
  assert.match(text, /Connected<\/span>\s*through OAuth/);
});

test('settings offer live Salesforce choices and are checked against the live schema', async () => {
  const page = await client.get('/settings');
  assert.match(page.body, /<select class="slds-select" id="f-organizations-statusField" name="organizations.statusField">[\s\S]*?<option value="PRM_Partner_Status__c" selected>/);
  assert.match(page.body, /<datalist id="status-values">[\s\S]*<option value="Reseller, Active"><\/option>/);
  assert.match(page.body, /<option value="Partner_Account" selected>Partner_Account<\/option>/);
  const { settings, version } = await createSettingsService(db).load();
  const form = { ...formFromSettings(settings), 'organizations.statusValues.partner.active': 'Reseller, active', version: String(version) };
  const response = await client.post('/settings', Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined)), { csrfFrom: '/settings' });
  assert.equal(response.statusCode, 422);
  assert.match(response.body, /id="error-f-organizations-statusValues-partner-active">organizations\.statusValues\.partner\.active: &#x27;Reseller, active&#x27; differs only in case from the Salesforce value &#x27;Reseller, Active&#x27;/);
});

test('the metadata check finds everything present, then names a missing field and the deploy command', async () => {
  const present = await client.get('/settings/metadata');
  assert.match(present.body, /Everything the settings need is present/);
  const service = createSettingsService(db);
  const { settings, version } = await service.load();
  settings.organizations.syncFlagField = 'Partner_Sync_Flag__c';
  await service.save(settings, { actor: 'test', expectedVersion: version, describeSource: null });
  const missing = await client.get('/settings/metadata');
  assert.match(missing.body, /1 item is missing/);
  assert.match(missing.body, /sf project deploy start --source-dir force-app --target-org &lt;alias&gt;/);
  assert.match(missing.body, /Missing<\/span>\s*<\/td>\s*<td>Account<\/td><td>field<\/td><td><code>Partner_Sync_Flag__c<\/code>/);
  settings.organizations.syncFlagField = 'PRM_Sync__c';
  await service.save(settings, { actor: 'test', expectedVersion: version + 1, describeSource: null });
});

test('New Field creates a custom field through the Tooling API and maps it', async () => {
  const { version } = await createSettingsService(db).load();
  const response = await client.post('/settings/mappings/new-field', { object: 'organizations', version: String(version), label: 'Partner Region', name: 'PRM_Region', type: 'Text', length: '80', mapTo: 'custom.region', direction: 'both' }, { csrfFrom: '/settings/mappings' });
  assert.equal(response.statusCode, 303);
  const page = await client.get('/settings/mappings?object=organizations');
  assert.ok(alerts(page.body).some((text) => /Created Account\.PRM_Region__c and mapped it to custom\.region/.test(text)), page.body.match(/console-flash__details[\s\S]*?<\/ul>/)?.[0]);
  assert.match(page.body, /<code>PRM_Region__c<\/code><\/td><td class="slds-cell-wrap">Partner Region<\/td><td>string<\/td>/);
  const describe = emulator.org.describe('Account') as { fields: Array<{ name: string; length?: number }> };
  assert.equal(describe.fields.find((field) => field.name === 'PRM_Region__c')?.length, 80);
  const mapping = await db('field_mappings').where({ object: 'organizations', sf_field: 'PRM_Region__c' }).first();
  assert.equal(mapping.prm_field, 'custom.region');
  const duplicate = await client.post('/settings/mappings/new-field', { object: 'organizations', version: String(version + 1), label: 'Again', name: 'PRM_Region', type: 'Text' }, { csrfFrom: '/settings/mappings' });
  assert.equal(duplicate.statusCode, 303);
  assert.match(alerts((await client.get('/settings/mappings')).body).join(' '), /Salesforce did not create the field: .*already a field named PRM_Region/);
});

test('Disconnect forgets and revokes the refresh token; the app settings stay', async () => {
  const response = await client.post('/settings/connection/disconnect', {}, { csrfFrom: '/settings/connection' });
  assert.equal(response.statusCode, 303);
  const page = await client.get('/settings/connection');
  assert.match(alerts(page.body).join(' '), /Disconnected from Salesforce and revoked the refresh token/);
  assert.match(page.body, /Not connected/);
  assert.match(page.body, /value="3MVG9\.test-consumer-key"/);
  assert.equal(await db('encrypted_secrets').where({ name: 'salesforce.refresh_token' }).first(), undefined);
  assert.ok(await db('encrypted_secrets').where({ name: 'salesforce.client_secret' }).first());
  const refresh = await fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: emulator.refreshToken, client_id: 'x' }) });
  assert.equal(refresh.status, 400, 'the emulator no longer accepts the revoked token');
  await client.post('/settings/connection/test', {}, { csrfFrom: '/settings/connection' });
  assert.match(alerts((await client.get('/settings/connection')).body).join(' '), /Connection test failed: Salesforce is not connected/);
});
