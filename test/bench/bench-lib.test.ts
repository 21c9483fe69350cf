// The benchmark harness's pure parts: the command line, the API-call floors, the statistics, the data
// shape (exactly two contacts per account, all with emails) and the hand-written scaling chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchUsageError, parseBenchArgs, sizesFor } from '../../bench/lib/options.ts';
import { BULK_JOB_MIN_CALLS, callTarget, dealImportFloor, incrementalFloor, pullFloor, pushFloor, readFloor, writeFloor } from '../../bench/lib/floors.ts';
import { formatEndpoints, formatMs, percentile, ratio } from '../../bench/lib/stats.ts';
import { benchChunks } from '../../bench/lib/prm-data.ts';
import { decades, scalingChart } from '../../bench/lib/svg.ts';
import { scalingData } from '../../bench/scenarios/scaling.ts';
import type { InitialSyncRun } from '../../bench/scenarios/initial-sync.ts';
import { SERVICE_NODE_FLAGS } from '../../bench/lib/worker-client.ts';
import { readFileSync } from 'node:fs';

test('flags: profiles, scenarios and databases', () => {
  const full = parseBenchArgs([]);
  assert.equal(full.profile, 'full');
  assert.deepEqual(full.databases, ['pglite', 'postgres']);
  assert.equal(full.scenarios.size, 8);
  const quick = parseBenchArgs(['--quick', '--scenario', '1,5']);
  assert.equal(quick.profile, 'quick');
  assert.deepEqual(quick.databases, ['pglite'], 'the quick profile measures one database unless asked');
  assert.deepEqual([...quick.scenarios], [1, 5]);
  assert.deepEqual(parseBenchArgs(['--quick', '--db', 'both']).databases, ['pglite', 'postgres']);
  assert.equal(parseBenchArgs(['--large']).profile, 'large');
  assert.deepEqual(sizesFor('large').initialSync, [1000, 10_000, 100_000, 300_000]);
  assert.equal(parseBenchArgs([], { BENCH_DATABASE_URL: 'postgres://x@h/db' }).postgresUrl, 'postgres://x@h/db');
  assert.throws(() => parseBenchArgs(['--scenario', '9']), BenchUsageError);
  assert.throws(() => parseBenchArgs(['--db', 'mysql']), BenchUsageError);
  assert.throws(() => parseBenchArgs(['--quick', '--large']), BenchUsageError);
  assert.throws(() => parseBenchArgs(['--sizes']), BenchUsageError);
  assert.throws(() => parseBenchArgs([], { BENCH_DATABASE_URL: 'mysql://h/db' }), BenchUsageError);
});

test('floors follow the platform limits', () => {
  assert.equal(readFloor(0), 1, 'an empty answer is still one call');
  assert.equal(readFloor(2000), 1);
  assert.equal(readFloor(2001), 2);
  assert.equal(writeFloor(0), 0);
  assert.equal(writeFloor(200), 1);
  assert.equal(writeFloor(201), 2);
  assert.equal(writeFloor(1_000_000), BULK_JOB_MIN_CALLS);
  assert.equal(pushFloor(100, 200), 1 + 1 + 1 + 1);
  assert.equal(pushFloor(100_000, 200_000), 2 + 5 + 5);
  assert.equal(pullFloor(100_000, 200_000), 50 + 100 + 5 + 5);
  assert.equal(incrementalFloor({ sfAccounts: 0, sfContacts: 0, prmAccounts: 0, prmContacts: 0 }), 2);
  assert.equal(dealImportFloor(10_000, 10_000), 5 + 5);
  assert.equal(callTarget(12), 16);
});

test('statistics', () => {
  const samples = Array.from({ length: 200 }, (_, i) => i + 1);
  assert.equal(percentile(samples, 50), 100);
  assert.equal(percentile(samples, 95), 190);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile([1], 101), RangeError);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.equal(formatMs(61_000), '61.0 s');
  assert.equal(formatEndpoints({ queryAll: 2, 'oauth.token': 1, 'collections.upsert': 5 }), 'collections.upsert 5, queryAll 2');
});

test('benchmark data: exactly two contacts per account, every one with a unique email, the same for the same seed', () => {
  const [chunk] = [...benchChunks(300, 'unit')];
  assert.ok(chunk);
  assert.equal(chunk.organizations.length, 300);
  assert.equal(chunk.contacts.length, 600);
  const perOrganization = new Map<string, string[]>();
  for (const contact of chunk.contacts) {
    assert.ok(contact.email, 'every contact has an email');
    perOrganization.set(contact.organization_id, [...(perOrganization.get(contact.organization_id) ?? []), contact.email.toLowerCase()]);
  }
  for (const emails of perOrganization.values()) {
    assert.equal(emails.length, 2);
    assert.notEqual(emails[0], emails[1]);
  }
  assert.equal(new Set(chunk.contacts.map((c) => c.id)).size, 600);
  const [again] = [...benchChunks(300, 'unit')];
  assert.deepEqual(again, chunk);
});

test('scaling chart: log-log panels with every series and no empty paths', () => {
  assert.deepEqual(decades(1000, 100_000).ticks, [1000, 10_000, 100_000]);
  assert.deepEqual(decades(5, 5).ticks, [1, 10]);
  const run = (accounts: number, direction: 'push' | 'pull', apiCalls: number, wallMs: number): InitialSyncRun => ({
    database: 'pglite', direction, accounts, contacts: accounts * 2, status: 'succeeded', error: null, apiCalls, orgRequests: apiCalls, byEndpoint: {},
    floor: 0, wallMs, cpuMs: 0, peakRssMb: null, idleRssMb: 0, recordsPerSecond: 0, syncedAccounts: accounts, syncedContacts: accounts * 2, load: 0,
  });
  const data = scalingData([run(1000, 'push', 17, 5000), run(10_000, 'push', 26, 38_000), run(1000, 'pull', 17, 7000), run(10_000, 'pull', 165, 57_000)], null);
  assert.deepEqual(data.calls.map((s) => s.label), ['prm-sync push (pglite)', 'prm-sync pull (pglite)', 'floor, push', 'floor, pull', 'naive loop (2 per record)']);
  assert.equal(data.wall.length, 2, 'no naive wall time without scenario 3');
  const svg = scalingChart(data);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<path /g) ?? []).length, data.calls.length + data.wall.length);
  assert.doesNotMatch(svg, /NaN|Infinity/);
  assert.match(svg, /Wall time, 0 ms latency/);
});

test('the measured worker runs with the V8 flags the service runs with', () => {
  const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['serve', 'start', 'sync']) {
    const flags = (scripts[name] ?? '').split(' ').filter((part) => /^--(max-semi-space-size|heap-growing-percent)=/.test(part));
    assert.deepEqual(flags, SERVICE_NODE_FLAGS, `npm run ${name}`);
  }
});
