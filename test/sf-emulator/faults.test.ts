// Scripted faults against the real jsforce: latency, HTTP 500/503/429, dropped connections, requests
// that never answer, an expired session that jsforce refreshes, the API limit, seeded probabilities.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsforce from 'jsforce';
import { startEmulator, type RunningEmulator } from './index.ts';
import { API_VERSION, call, connect, data } from './test-support.ts';

describe('fault injection', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ size: 5, seed: 'faults' });
  });
  after(() => emulator.close());

  test('fixed and jittered latency', async () => {
    emulator.faults.setLatency(120, 30);
    try {
      const started = performance.now();
      await call(emulator, 'GET', data('/limits'));
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 115, `took ${elapsed.toFixed(0)} ms`);
    } finally {
      emulator.faults.setLatency(0);
    }
    const slowQuery = emulator.faults.delay(150, { label: 'query', times: 1 });
    const started = performance.now();
    await connect(emulator).query('SELECT Id FROM Account');
    assert.ok(performance.now() - started >= 145);
    assert.equal(slowQuery.hits, 1);
  });

  test('a 503 on a query is retried by jsforce and then succeeds', async () => {
    emulator.ledger.reset();
    const rule = emulator.faults.status(503, { label: 'query', times: 1 });
    const result = await connect(emulator).query('SELECT Id FROM Account');
    assert.equal(result.totalSize, 5);
    assert.equal(rule.hits, 1);
    assert.equal(emulator.ledger.counts().query, 2, 'the failed call and its retry are both counted');
  });

  test('HTTP 500 carries UNKNOWN_EXCEPTION; 429 carries Retry-After', async () => {
    emulator.faults.status(500, { label: 'collections.create', times: 1 });
    await assert.rejects(connect(emulator).sobject('Account').create([{ Name: 'x' }]), (e: { errorCode?: string }) => e.errorCode === 'UNKNOWN_EXCEPTION');
    emulator.faults.status(429, { path: '/limits', times: 1 });
    const limited = await call(emulator, 'GET', data('/limits'));
    assert.deepEqual([limited.status, limited.headers.get('retry-after')], [429, '1']);
    assert.equal((await call(emulator, 'GET', data('/limits'))).status, 200, 'times: 1 means once');
  });

  test('a dropped connection and a request that never answers', async () => {
    emulator.faults.drop({ label: 'limits', times: 1 });
    await assert.rejects(fetch(`${emulator.url}${data('/limits')}`, { headers: { authorization: `Bearer ${emulator.accessToken}` } }), /fetch failed/);
    emulator.faults.timeout({ label: 'limits', times: 1 });
    await assert.rejects(fetch(`${emulator.url}${data('/limits')}`, { headers: { authorization: `Bearer ${emulator.accessToken}` }, signal: AbortSignal.timeout(200) }), /aborted|timeout/i);
    assert.equal((await call(emulator, 'GET', data('/limits'))).status, 200);
  });

  test('an expired session: jsforce refreshes once and carries on with the new token', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: emulator.url, clientId: 'prm-sync' },
      instanceUrl: emulator.url,
      accessToken: emulator.issueAccessToken(),
      refreshToken: emulator.refreshToken,
      version: API_VERSION,
    });
    const tokens: string[] = [];
    conn.on('refresh', (accessToken: string) => tokens.push(accessToken));
    const before = conn.accessToken;
    emulator.ledger.reset();
    emulator.faults.expireSession({ label: 'query', times: 1 });
    const result = await conn.query('SELECT Id FROM Account');
    assert.equal(result.totalSize, 5);
    assert.equal(tokens.length, 1);
    assert.notEqual(conn.accessToken, before);
    assert.deepEqual(emulator.ledger.counts(), { 'oauth.token': 1, query: 2 });
    assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 5, 'the new token keeps working');
    const stale = await call(emulator, 'GET', data('/limits'), { token: before });
    assert.deepEqual([stale.status, stale.json], [401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]]);
  });

  test('expiring every session: clients without a refresh token get INVALID_SESSION_ID', async () => {
    const plain = connect(emulator, emulator.issueAccessToken());
    emulator.faults.expireSession();
    await assert.rejects(async () => plain.query('SELECT Id FROM Account').then(() => undefined), (e: { errorCode?: string }) => e.errorCode === 'INVALID_SESSION_ID');
    assert.equal((await call(emulator, 'GET', data('/limits'))).status, 401, 'the emulator’s own ready token expired too');
    assert.equal((await call(emulator, 'GET', data('/limits'), { token: emulator.issueAccessToken() })).status, 200, 'new tokens work');
  });

  test('the API limit can be reached on demand', async () => {
    const fresh = await startEmulator({ size: 0 });
    try {
      fresh.faults.apiLimit({ label: 'query', times: 1 });
      const refused = await call(fresh, 'GET', data(`/query?q=${encodeURIComponent('SELECT Id FROM Account')}`));
      assert.deepEqual([refused.status, (refused.json as Array<{ errorCode: string }>)[0]?.errorCode], [403, 'REQUEST_LIMIT_EXCEEDED']);
      fresh.faults.apiLimit();
      assert.equal((await call(fresh, 'GET', data('/limits'))).status, 403);
      assert.equal(fresh.usage.used, fresh.usage.max);
    } finally {
      await fresh.close();
    }
  });

  test('probabilistic faults follow the seed', async () => {
    const outcomes = async (seed: string) => {
      const instance = await startEmulator({ size: 0, seed });
      try {
        instance.faults.status(503, { label: 'limits', probability: 0.5 });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await call(instance, 'GET', data('/limits'))).status);
        return statuses;
      } finally {
        await instance.close();
      }
    };
    const [a, b] = [await outcomes('dice'), await outcomes('dice')];
    assert.deepEqual(a, b);
    const failures = a.filter((s) => s === 503).length;
    assert.ok(failures > 8 && failures < 32, `${failures} of 40 failed`);
  });
});
