import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import {
  createSecretsRepository,
  decryptSecret,
  encryptSecret,
  SECRET_NAMES,
  SecretKeyMismatchError,
  SecretKeyMissingError,
  verifyStoredSecrets,
} from '../../middleware/security/secrets.ts';

const key = randomBytes(32);

describe('AES-256-GCM secrets', () => {
  test('round trip, with a fresh 12-byte IV and a 16-byte tag each time', () => {
    const first = encryptSecret(key, 'refresh-token-value', 'salesforce.refresh_token');
    const second = encryptSecret(key, 'refresh-token-value', 'salesforce.refresh_token');
    assert.equal(Buffer.from(first.iv, 'base64').length, 12);
    assert.equal(Buffer.from(first.tag, 'base64').length, 16);
    assert.notEqual(first.iv, second.iv);
    assert.notEqual(first.ciphertext, second.ciphertext);
    assert.ok(!first.ciphertext.includes('refresh'));
    assert.equal(decryptSecret(key, first, 'salesforce.refresh_token'), 'refresh-token-value');
    assert.equal(decryptSecret(key, encryptSecret(key, 'ünïcødé ✓', 'x'), 'x'), 'ünïcødé ✓');
  });

  test('a wrong key, a changed ciphertext or tag, or another name does not decrypt', () => {
    const value = encryptSecret(key, 'client-secret', 'salesforce.client_secret');
    assert.throws(() => decryptSecret(randomBytes(32), value, 'salesforce.client_secret'));
    const flipped = Buffer.from(value.ciphertext, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    assert.throws(() => decryptSecret(key, { ...value, ciphertext: flipped.toString('base64') }, 'salesforce.client_secret'));
    assert.throws(() => decryptSecret(key, { ...value, tag: Buffer.alloc(16).toString('base64') }, 'salesforce.client_secret'));
    assert.throws(() => decryptSecret(key, value, 'salesforce.refresh_token'), 'bound to its name');
    assert.throws(() => encryptSecret(randomBytes(16), 'x'), /32-byte key/);
  });
});

describe(`secrets repository on ${databaseLabel()}`, async () => {
  const database = await openTestDatabase();
  after(() => database.close());

  test('stores secrets encrypted, reads them back, replaces and deletes them', async () => {
    const secrets = createSecretsRepository(database.db, key);
    await secrets.put(SECRET_NAMES.salesforceClientSecret, 'client-secret-1');
    await secrets.put(SECRET_NAMES.salesforceRefreshToken, '5Aep861-refresh');
    await secrets.put(SECRET_NAMES.salesforceClientSecret, 'client-secret-2');
    assert.equal(await secrets.get(SECRET_NAMES.salesforceClientSecret), 'client-secret-2');
    assert.equal(await secrets.get(SECRET_NAMES.salesforceRefreshToken), '5Aep861-refresh');
    assert.equal(await secrets.get('salesforce.unknown'), undefined);
    assert.deepEqual(await secrets.names(), [SECRET_NAMES.salesforceClientSecret, SECRET_NAMES.salesforceRefreshToken]);
    const stored = JSON.stringify(await database.db('encrypted_secrets').select('*'));
    assert.ok(!stored.includes('client-secret-2') && !stored.includes('5Aep861'), 'no plain text at rest');
    await verifyStoredSecrets(database.db, key);
    assert.equal(await secrets.delete(SECRET_NAMES.salesforceRefreshToken), true);
    assert.equal(await secrets.delete(SECRET_NAMES.salesforceRefreshToken), false);
  });

  test('start-up check: another key fails with the instruction to restore it or reconnect', async () => {
    await assert.rejects(verifyStoredSecrets(database.db, randomBytes(32)), (error: Error) => {
      assert.ok(error instanceof SecretKeyMismatchError);
      assert.equal(
        error.message,
        `PRM_SYNC_SECRET_KEY does not decrypt the stored Salesforce secrets (${SECRET_NAMES.salesforceClientSecret}); restore the previous key or disconnect and reconnect the integration.`,
      );
      return true;
    });
    await assert.rejects(createSecretsRepository(database.db, randomBytes(32)).get(SECRET_NAMES.salesforceClientSecret), SecretKeyMismatchError);
    await assert.rejects(verifyStoredSecrets(database.db, null), /PRM_SYNC_SECRET_KEY is not set, but encrypted Salesforce secrets are stored/);
    await assert.rejects(createSecretsRepository(database.db, null).put('x', 'y'), SecretKeyMissingError);
  });

  test('start-up check passes with nothing stored, whatever the key', async () => {
    const empty = await openTestDatabase();
    try {
      await verifyStoredSecrets(empty.db, null);
      await verifyStoredSecrets(empty.db, randomBytes(32));
    } finally {
      await empty.close();
    }
  });
});
