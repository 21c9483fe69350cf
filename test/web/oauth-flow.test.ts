// The OAuth 2.0 web-server flow end to end against the emulated org: Connect → Salesforce's authorize
// endpoint → callback with code and state → tokens exchanged (PKCE) and stored encrypted → Test connection.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { CONNECTION_STATE_KEY } from '../../middleware/salesforce/credentials.ts';
import { startEmulator } from '../sf-emulator/index.ts';
import { alerts, Client, openConsole } from './helpers.ts';

const emulator = await startEmulator({ port: 0, size: 3, seed: 'oauth-flow', oauth: { clientId: 'prm-sync-connected-app', clientSecret: 'app-secret-81c2' } });
const ui = await openConsole();
after(async () => {
  await ui.close();
  await emulator.close();
});
const client = new Client(ui.app);
await client.login();

test('Connect completes through authorize and callback; the refresh token is stored encrypted and works', async () => {
  // The console form only accepts https login URLs; the emulator speaks http on loopback, so the
  // connected app is saved through the same store the form uses.
  await createConnectionStore(ui.database.db, ui.app.config).saveOAuthApp({ loginUrl: emulator.url, clientId: 'prm-sync-connected-app', clientSecret: 'app-secret-81c2' });
  const start = await client.get('/settings/connection/oauth/start');
  assert.equal(start.statusCode, 302);
  const authorizeUrl = String(start.headers.location);
  assert.ok(authorizeUrl.startsWith(`${emulator.url}/services/oauth2/authorize?`));

  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(consent.status, 302);
  const callback = new URL(String(consent.headers.get('location')));
  assert.ok(callback.searchParams.get('code'));
  const finished = await client.get(`${callback.pathname}${callback.search}`);
  assert.equal(finished.statusCode, 303, finished.body);

  const connection = await ui.database.db('integration_state').where({ key: CONNECTION_STATE_KEY }).first();
  assert.ok(connection, 'connection stored');
  const secret = await ui.database.db('encrypted_secrets').where({ name: 'salesforce.refresh_token' }).first();
  assert.ok(secret);
  assert.doesNotMatch(JSON.stringify(secret), /aPrx|5Aep/, 'stored encrypted, not in clear');

  const page = await client.get('/settings/connection');
  assert.match(page.body, new RegExp(emulator.org.orgId));
  // The stored credentials open a working session (refresh grant) for the sync.
  const credentials = await createConnectionStore(ui.database.db, ui.app.config).credentials();
  assert.equal(credentials?.clientId, 'prm-sync-connected-app');
  assert.ok(credentials?.refreshToken);
});

test('an authorization code is good once, and only with its PKCE verifier', async () => {
  const start = await client.get('/settings/connection/oauth/start');
  const consent = await fetch(String(start.headers.location), { redirect: 'manual' });
  const callback = new URL(String(consent.headers.get('location')));
  const code = callback.searchParams.get('code') as string;
  const token = (body: Record<string, string>) =>
    fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const stolen = await token({ grant_type: 'authorization_code', code, client_id: 'prm-sync-connected-app', client_secret: 'app-secret-81c2', redirect_uri: 'http://127.0.0.1:3999/settings/connection/oauth/callback', code_verifier: 'not-the-verifier' });
  assert.equal(stolen.status, 400);
  assert.equal(((await stolen.json()) as { error: string }).error, 'invalid_grant');
  const reused = await client.get(`${callback.pathname}${callback.search}`);
  assert.equal(reused.statusCode, 303);
  const shown = alerts((await client.get('/settings/connection')).body).join(' ');
  assert.match(shown, /invalid authorization code/, shown);
});
