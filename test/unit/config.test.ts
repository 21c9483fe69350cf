import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../middleware/config.ts';

test('defaults to embedded PGlite on 127.0.0.1:3000 with no Salesforce configured', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: '.data/pglite' });
  assert.equal(config.salesforce, null);
  assert.equal(config.secretKey, null);
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
});

test('DATABASE_URL selects PostgreSQL and PGLITE_DIR=memory an in-memory PGlite', () => {
  assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' }).database, {
    kind: 'postgres',
    url: 'postgres://root@127.0.0.1:5432/test',
  });
  assert.deepEqual(loadConfig({ PGLITE_DIR: 'memory' }).database, { kind: 'pglite', dataDir: null });
});

test('the secret key is accepted as hex or base64 and must be 32 bytes', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadConfig({ PRM_SYNC_SECRET_KEY: hex }).secretKey?.length, 32);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.equal(loadConfig({ PRM_SYNC_SECRET_KEY: b64 }).secretKey?.length, 32);
  assert.throws(() => loadConfig({ PRM_SYNC_SECRET_KEY: 'short' }), /PRM_SYNC_SECRET_KEY must be 32 bytes/);
});

test('every bad variable is reported at once, each naming the variable and the expected form', () => {
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PRM_SYNC_ADMIN_EMAIL: 'nobody', SF_LOGIN_URL: 'login' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const text = error.problems.join('\n');
    assert.match(text, /PORT must be a whole number from 0 to 65535; got "eighty"/);
    assert.match(text, /DATABASE_URL must be a PostgreSQL URL/);
    assert.match(text, /LOG_LEVEL must be one of/);
    assert.match(text, /PRM_SYNC_ADMIN_EMAIL must be an email address/);
    assert.match(text, /SF_LOGIN_URL must be an http\(s\) URL/);
    assert.equal(error.problems.length, 5);
  }
});

test('a JWT key file needs the client id and username', () => {
  assert.throws(() => loadConfig({ SF_JWT_KEY_FILE: '/keys/server.key' }), /SF_JWT_KEY_FILE needs SF_CLIENT_ID/);
  const ok = loadConfig({ SF_JWT_KEY_FILE: '/k', SF_CLIENT_ID: 'id', SF_USERNAME: 'a@b.c' });
  assert.equal(ok.salesforce?.loginUrl, 'https://login.salesforce.com');
});
