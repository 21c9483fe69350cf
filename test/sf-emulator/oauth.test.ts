// OAuth 2.0 against the emulator with the real jsforce: password, refresh_token, client_credentials
// and JWT bearer (RS256 checked against a certificate) grants, userinfo and the identity URL, and the
// SOAP login jsforce falls back to without a client id.
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import jsforce from 'jsforce';
import { startEmulator, type RunningEmulator } from './index.ts';
import { API_VERSION, call, data } from './test-support.ts';

const certificate = readFileSync(new URL('./auth/testdata/jwt-test.crt', import.meta.url), 'utf8');
const privateKey = readFileSync(new URL('./auth/testdata/jwt-test.key', import.meta.url), 'utf8');

function jwt(claims: Record<string, unknown>, key: string = privateKey): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

async function token(emulator: RunningEmulator, params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('OAuth', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ size: 3, oauth: { clientId: 'prm-sync-app', clientSecret: 's3cret', jwtCertificate: certificate } });
  });
  after(() => emulator.close());

  test('password grant through jsforce; the token works for REST', async () => {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: emulator.url, clientId: 'prm-sync-app', clientSecret: 's3cret' }, version: API_VERSION });
    const identity = await conn.login('integration@prm-sync.test', 'emulator');
    assert.equal(identity.id, emulator.integrationUser.id);
    assert.equal(identity.organizationId, emulator.org.orgId);
    assert.match(conn.accessToken ?? '', /^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]+$/);
    assert.equal(conn.instanceUrl, emulator.url);
    const result = await conn.query('SELECT Id FROM Account');
    assert.equal(result.totalSize, 3);
  });

  test('wrong credentials and clients get Salesforce error bodies', async () => {
    assert.deepEqual(await token(emulator, { grant_type: 'password', client_id: 'prm-sync-app', client_secret: 's3cret', username: 'integration@prm-sync.test', password: 'nope' }), { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } });
    assert.deepEqual(await token(emulator, { grant_type: 'password', client_id: 'other-app', username: 'integration@prm-sync.test', password: 'emulator' }), { status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } });
    assert.deepEqual(await token(emulator, { grant_type: 'password', client_id: 'prm-sync-app', client_secret: 'wrong', username: 'integration@prm-sync.test', password: 'emulator' }), { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
    assert.deepEqual(await token(emulator, { grant_type: 'urn:example:made-up', code: 'x' }), { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } });
    assert.deepEqual(await token(emulator, { grant_type: 'authorization_code', client_id: 'prm-sync-app', code: 'never-issued' }), { status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
    const conn = new jsforce.Connection({ oauth2: { loginUrl: emulator.url, clientId: 'prm-sync-app', clientSecret: 's3cret' } });
    await assert.rejects(conn.login('integration@prm-sync.test', 'bad'), /authentication failure/);
  });

  test('refresh_token grant issues a new working token', async () => {
    const refreshed = await token(emulator, { grant_type: 'refresh_token', client_id: 'prm-sync-app', client_secret: 's3cret', refresh_token: emulator.refreshToken });
    assert.equal(refreshed.status, 200);
    assert.deepEqual(Object.keys(refreshed.body).sort(), ['access_token', 'id', 'instance_url', 'issued_at', 'signature', 'token_type']);
    assert.notEqual(refreshed.body.access_token, emulator.accessToken);
    assert.equal((await call(emulator, 'GET', data('/limits'), { token: refreshed.body.access_token })).status, 200);
    assert.deepEqual(await token(emulator, { grant_type: 'refresh_token', client_id: 'prm-sync-app', refresh_token: 'bogus' }), { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
  });

  test('client_credentials runs as the integration user', async () => {
    const granted = await token(emulator, { grant_type: 'client_credentials', client_id: 'prm-sync-app', client_secret: 's3cret' });
    assert.equal(granted.status, 200);
    const info = await call(emulator, 'GET', '/services/oauth2/userinfo', { token: granted.body.access_token });
    assert.equal((info.json as { preferred_username: string }).preferred_username, 'integration@prm-sync.test');
    assert.equal((await token(emulator, { grant_type: 'client_credentials', client_id: 'prm-sync-app' })).body.error, 'invalid_client');
  });

  test('JWT bearer: the RS256 signature is verified against the configured certificate', async () => {
    const claims = { iss: 'prm-sync-app', sub: 'integration@prm-sync.test', aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 };
    const granted = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt(claims) });
    assert.equal(granted.status, 200);
    assert.match(granted.body.access_token ?? '', /^00D/);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt(claims, otherKey) });
    assert.deepEqual(forged, { status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    const expired = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }) });
    assert.equal(expired.body.error, 'invalid_grant');
    const stranger = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ ...claims, sub: 'nobody@example.com' }) });
    assert.equal(stranger.body.error, 'invalid_grant');
    const wrongApp = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ ...claims, iss: 'someone-else' }) });
    assert.equal(wrongApp.body.error, 'invalid_client_id');
    const viaJsforce = new jsforce.Connection({ oauth2: { loginUrl: emulator.url, clientId: 'prm-sync-app' }, version: API_VERSION });
    const response = await viaJsforce.oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt(claims) });
    assert.equal(response.instance_url, emulator.url);
  });

  test('userinfo and the identity URL describe the user; bad tokens get Bad_OAuth_Token', async () => {
    const info = await call(emulator, 'GET', '/services/oauth2/userinfo');
    const body = info.json as Record<string, unknown>;
    assert.deepEqual([body.user_id, body.organization_id, body.preferred_username], [emulator.integrationUser.id, emulator.org.orgId, 'integration@prm-sync.test']);
    const id = await call(emulator, 'GET', `/id/${emulator.org.orgId}/${emulator.integrationUser.id}`);
    assert.equal((id.json as { username: string }).username, 'integration@prm-sync.test');
    const bad = await call(emulator, 'GET', '/services/oauth2/userinfo', { token: 'nope' });
    assert.deepEqual([bad.status, bad.text], [403, 'Bad_OAuth_Token']);
  });

  test('jsforce without a client id logs in through the SOAP login call', async () => {
    const conn = new jsforce.Connection({ loginUrl: emulator.url, version: API_VERSION });
    const identity = await conn.login('integration@prm-sync.test', 'emulator');
    assert.equal(identity.id, emulator.integrationUser.id);
    assert.equal(conn.instanceUrl, emulator.url);
    assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 3);
    await assert.rejects(new jsforce.Connection({ loginUrl: emulator.url }).login('integration@prm-sync.test', 'wrong'), /INVALID_LOGIN/);
    assert.equal(emulator.usage.used > 0, true);
    assert.equal(emulator.ledger.counts()['oauth.soapLogin'], 2);
  });
});

describe('OAuth without a configured connected app', () => {
  test('any client id is accepted for the password grant (spec §11)', async () => {
    const emulator = await startEmulator({ size: 0 });
    try {
      const granted = await token(emulator, { grant_type: 'password', client_id: 'whatever', client_secret: 'whatever', username: 'integration@prm-sync.test', password: 'emulator' });
      assert.equal(granted.status, 200);
      const jwtRefused = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ iss: 'x', sub: 'integration@prm-sync.test', aud: emulator.url, exp: Math.floor(Date.now() / 1000) + 60 }) });
      assert.equal(jwtRefused.body.error, 'invalid_grant', 'no certificate configured: no JWT flow');
    } finally {
      await emulator.close();
    }
  });
});
