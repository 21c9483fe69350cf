// The JWT bearer login (SF_JWT_KEY_FILE) against the emulator, which verifies the RS256 signature
// against the connected app's certificate.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../sf-emulator/index.ts';
import { connectSalesforce } from '../../middleware/salesforce/connection.ts';
import { resolveSalesforceCredentials } from '../../middleware/salesforce/credentials.ts';
import { loadConfig } from '../../middleware/config.ts';
import { openTestDatabase } from '../helpers/db.ts';

const testdata = (name: string) => fileURLToPath(new URL(`../sf-emulator/auth/testdata/${name}`, import.meta.url));
const emulator = await startEmulator({ port: 0, size: 2, oauth: { clientId: 'jwt-app', jwtCertificate: readFileSync(testdata('jwt-test.crt'), 'utf8') } });
const database = await openTestDatabase();
after(async () => {
  await database.close();
  await emulator.close();
});

test('SF_JWT_KEY_FILE logs in with a signed assertion and a refused session is renewed by a new assertion', async () => {
  const config = loadConfig({ SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: 'jwt-app', SF_USERNAME: emulator.integrationUser.username, SF_JWT_KEY_FILE: testdata('jwt-test.key') });
  const credentials = await resolveSalesforceCredentials(config, database.db);
  assert.ok(credentials?.jwtPrivateKey?.includes('PRIVATE KEY'));
  const session = await connectSalesforce(credentials!);
  const first = await session.conn.query('SELECT Id FROM Account');
  assert.equal(first.totalSize, 2);
  emulator.faults.expireSession();
  const again = await session.conn.query('SELECT Id FROM Account');
  assert.equal(again.totalSize, 2);
  assert.equal(session.ledger.counts()['oauth.token'], 2, 'login, then one new assertion');
});

test('a key the connected app does not trust is refused with a message saying what to check', async () => {
  const config = loadConfig({ SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: 'another-app', SF_USERNAME: emulator.integrationUser.username, SF_JWT_KEY_FILE: testdata('jwt-test.key') });
  const credentials = await resolveSalesforceCredentials(config, database.db);
  await assert.rejects(connectSalesforce(credentials!), /refused the JWT bearer login .*certificate of SF_JWT_KEY_FILE/);
  const missing = loadConfig({ SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: 'jwt-app', SF_USERNAME: 'x@y.z', SF_JWT_KEY_FILE: '/nonexistent/key.pem' });
  await assert.rejects(resolveSalesforceCredentials(missing, database.db), /SF_JWT_KEY_FILE \/nonexistent\/key.pem cannot be read \(ENOENT\)/);
});
