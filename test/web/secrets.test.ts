// No secret in any log line or page: the admin password (and a wrong one typed at login), the Salesforce
// password and client secrets from the environment and from the console, the stored refresh token, the
// encryption key and the session cookie — after logging in, connecting, testing, syncing and opening every
// page, with pino at debug level.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { integrationState, STATE_KEYS } from '../../middleware/sync/state.ts';
import { startEmulator } from '../sf-emulator/index.ts';
import { ADMIN_PASSWORD, Client, openConsole, SECRET_KEY_HEX } from './helpers.ts';
import { insertPrmSample } from './fixtures.ts';
import { databaseLabel } from '../helpers/db.ts';

const SF_PASSWORD = 'Sfdc-Pass-91b3e7';
const ENV_CLIENT_SECRET = 'env-client-secret-7c1e55';
const CONSOLE_CLIENT_SECRET = 'console-client-secret-4f9a1c';
const WRONG_PASSWORD = 'Wrong-Guess-5521';

const emulator = await startEmulator({ port: 0, size: 4, seed: 'secrets', users: [{ username: 'sync-bot@prm-sync.test', password: SF_PASSWORD }] });
const ui = await openConsole({
  env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: 'env-client-id-0001', SF_CLIENT_SECRET: ENV_CLIENT_SECRET, SF_USERNAME: 'sync-bot@prm-sync.test', SF_PASSWORD },
});
after(async () => {
  await ui.close();
  await emulator.close();
});

test(`secrets appear in no log line and on no page (${databaseLabel()})`, async () => {
  const db = ui.database.db;
  const sample = await insertPrmSample(db, 'Secretive Partners');
  const bodies: string[] = [];
  const client = new Client(ui.app);
  const keep = async (url: string) => {
    const response = await client.get(url);
    bodies.push(`${url}\n${JSON.stringify(response.headers)}\n${response.body}`);
    return response;
  };

  assert.equal((await client.post('/login', { email: 'admin@prm-sync.test', password: WRONG_PASSWORD }, { csrfFrom: '/login' })).statusCode, 401);
  assert.equal((await client.login()).statusCode, 303);
  // Environment credentials (username + password grant).
  await client.post('/settings/connection/test', {}, { csrfFrom: '/settings/connection' });
  assert.match((await keep('/settings/connection')).body, /Connection works\./);
  // Console credentials: the connected app's secret, and a refresh token as the OAuth callback stores it.
  await client.post('/settings/connection/app', { loginUrl: 'https://login.salesforce.com', clientId: 'console-client-id-0002', clientSecret: CONSOLE_CLIENT_SECRET }, { csrfFrom: '/settings/connection' });
  await createConnectionStore(db, ui.app.config).saveConnection(
    { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'console-client-id-0002', username: emulator.integrationUser.username, orgId: emulator.org.orgId, connectedAt: new Date().toISOString() },
    emulator.refreshToken,
  );
  await client.post('/settings/connection/test', {}, { csrfFrom: '/settings/connection' });
  assert.match((await keep('/settings/connection')).body, /Connection works\./);
  // A sync run, so the engine's own logging is covered too.
  await integrationState.set(db, STATE_KEYS.wizardCompletedAt, new Date().toISOString());
  assert.equal((await ui.app.scheduler.runAndWait('accounts_contacts', 'full', 'test')).state, 'ran');

  for (const url of [
    '/sync', '/sync/status.json', '/settings', '/settings/connection', '/settings/metadata', '/settings/mappings', '/settings/mappings?object=contacts',
    '/settings/mappings/values?object=organizations&index=0', '/log', '/log.csv', `/records/organizations/${sample.organizationId}`, `/records/contacts/${sample.contactId}`,
    `/records/deals/${sample.dealId}`, '/login', '/metrics', '/readyz',
  ]) {
    assert.ok([200, 302].includes((await keep(url)).statusCode), url);
  }

  const sessionCookie = /prm_sync_session=([^;]+)/.exec(bodies.join('\n'))?.[1];
  const secrets: Record<string, string> = {
    'admin password': ADMIN_PASSWORD,
    'wrong password typed at login': WRONG_PASSWORD,
    'Salesforce password (SF_PASSWORD)': SF_PASSWORD,
    'client secret (SF_CLIENT_SECRET)': ENV_CLIENT_SECRET,
    'client secret saved in the console': CONSOLE_CLIENT_SECRET,
    'refresh token': emulator.refreshToken,
    'PRM_SYNC_SECRET_KEY': SECRET_KEY_HEX,
  };
  const logs = ui.logLines.join('');
  assert.ok(ui.logLines.length > 20, 'the log was captured');
  assert.match(logs, /admin logged in/);
  assert.match(logs, /job run finished/);
  for (const [what, value] of Object.entries(secrets)) {
    assert.ok(!logs.includes(value), `${what} is in the log`);
    assert.ok(!bodies.some((body) => body.includes(value)), `${what} is on a page`);
  }
  if (sessionCookie) assert.ok(!logs.includes(sessionCookie), 'the session cookie is in the log');
  // Access tokens issued to the console never reach a page either (they look like 00D…!AQ…).
  assert.ok(!bodies.some((body) => /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/.test(body)), 'an access token is on a page');
  assert.ok(!/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/.test(logs), 'an access token is in the log');
});
