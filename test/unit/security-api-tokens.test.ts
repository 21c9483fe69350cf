import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { BOOTSTRAP_TOKEN_NAME, createApiTokenRepository, generateApiToken, hashApiToken } from '../../middleware/security/api-tokens.ts';

describe('API token format', () => {
  test('tokens are long and random; hashes are hex SHA-256', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    assert.match(a, /^prm_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.equal(hashApiToken('abc'), createHash('sha256').update('abc').digest('hex'));
  });
});

describe(`API token repository on ${databaseLabel()}`, async () => {
  const database = await openTestDatabase();
  after(() => database.close());
  const tokens = createApiTokenRepository(database.db);

  test('create returns the token once; verify finds it by hash; revoke ends it', async () => {
    const { token, info } = await tokens.create('  CI pipeline ');
    assert.equal(info.name, 'CI pipeline');
    assert.ok(!('token_hash' in info));
    const verified = await tokens.verify(token);
    assert.equal(verified?.id, info.id);
    assert.ok(verified?.last_used_at === null, 'returns the row as it was; the use is recorded');
    const row = await database.db('api_tokens').where({ id: info.id }).first();
    assert.ok(row.last_used_at instanceof Date);
    assert.equal(row.token_hash, hashApiToken(token));
    assert.equal(await tokens.verify(`${token}x`), undefined);
    assert.equal(await tokens.revoke(info.id), true);
    assert.equal(await tokens.revoke(info.id), false);
    assert.equal(await tokens.verify(token), undefined);
  });

  test('the bootstrap token is registered once, however often start-up runs, and stays revoked', async () => {
    const bootstrap = 'bootstrap-0123456789-abcdefghij';
    await tokens.ensureBootstrap(bootstrap);
    await tokens.ensureBootstrap(bootstrap);
    const rows = (await tokens.list()).filter((token) => token.name === BOOTSTRAP_TOKEN_NAME);
    assert.equal(rows.length, 1);
    assert.ok(await tokens.verify(bootstrap));
    await tokens.revoke(rows[0]?.id as string);
    await tokens.ensureBootstrap(bootstrap);
    assert.equal(await tokens.verify(bootstrap), undefined);
  });
});
