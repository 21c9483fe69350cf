import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../middleware/app.ts';
import { loadConfig } from '../../middleware/config.ts';
import { openTestDatabase, databaseLabel } from '../helpers/db.ts';

const database = await openTestDatabase();
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
after(async () => {
  await app.close();
  await database.close();
});

test(`healthz answers ok and readyz reports the ${databaseLabel()} database`, async () => {
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().database, databaseLabel());
});

test('unknown routes answer 404 in the common error shape', async () => {
  const response = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, 'NOT_FOUND');
  assert.match(response.json().error.message, /GET \/nope/);
});
