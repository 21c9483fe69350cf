// The Salesforce pull's lower bound with the product's 60 s overlap: a burst of changes is re-read while
// the overlap window behind the last query still covers it, and no longer once a later query has seen it —
// so a quiet org costs one query page per object — while a change made later is still read. The emulated
// org's clock is moved forward instead of waiting (its SystemModstamps and Date header follow it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { insertOrganization, openSyncEnv, type SyncEnv } from '../helpers/sync-env.ts';
import type { CycleSummary } from '../../middleware/sync/cycle.ts';

const OVERLAP_MS = 60_000;
let clockOffsetMs = 0;
let env: SyncEnv;
before(async () => {
  env = await openSyncEnv({ plan: { overlapMs: OVERLAP_MS }, emulator: { now: () => Date.now() + clockOffsetMs } });
});
after(() => env.close());

const queryCalls = (summary: CycleSummary) => Object.entries(summary.apiCallsByEndpoint).filter(([label]) => label.startsWith('query')).reduce((sum, [, n]) => sum + n, 0);

async function cycle(): Promise<CycleSummary> {
  const summary = await env.cycle();
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  return summary;
}

test('with a 60 s overlap, a quiet cycle re-reads a burst only until a query a minute later has seen it', async () => {
  // 2,500 accounts (two query pages) created in the PRM and pushed, then their echoes read back.
  const rows = Array.from({ length: 2500 }, (_, i) => ({ kind: 'partner', status: 'active', name: `Window Partner ${i}`, billing_city: 'Graz' }));
  for (let start = 0; start < rows.length; start += 1000) await env.database.db('organizations').insert(rows.slice(start, start + 1000));
  await cycle();
  const echoes = await cycle();
  assert.ok(echoes.counts.sfRead >= 2500, `the echoes of the push are read back: ${echoes.counts.sfRead}`);

  // Right after the burst, the overlap window behind the last query still covers it.
  const soon = await cycle();
  assert.ok(soon.counts.sfRead >= 2500, `read ${soon.counts.sfRead}`);
  assert.equal(soon.counts.toPrm + soon.counts.toSalesforce, 0);

  // A minute later (the scheduled interval is five): the cycle then still re-reads the window behind the
  // previous query, once; the one after it reads only what changed — nothing — in one call per object.
  clockOffsetMs += 5 * 60_000;
  const later = await cycle();
  assert.ok(later.counts.sfRead >= 2500, `the window behind the previous query is re-read once: ${later.counts.sfRead}`);
  clockOffsetMs += 5 * 60_000;
  const quiet = await cycle();
  assert.equal(quiet.counts.sfRead, 0);
  assert.equal(quiet.apiCalls, 2, JSON.stringify(quiet.apiCallsByEndpoint));
  assert.equal(queryCalls(quiet), 2);

  // A change made now is read by the next cycle, and the one after is quiet again.
  const [account] = env.emulator.org.query("SELECT Id FROM Account WHERE Name = 'Window Partner 7'").records as Array<{ Id: string }>;
  env.emulator.org.update('Account', account?.Id as string, { Phone: '+43 316 000' });
  const changed = await cycle();
  assert.equal(changed.counts.toPrm, 1);
  assert.equal((await env.database.db('organizations').where({ name: 'Window Partner 7' }).first()).phone, '+43 316 000');
  clockOffsetMs += 5 * 60_000;
  await cycle();
  clockOffsetMs += 5 * 60_000;
  assert.equal((await cycle()).apiCalls, 2);
});

test('the bound never passes a change stamped inside the overlap before the last query', async () => {
  const orgId = await insertOrganization(env, { name: 'Late Committer' });
  await cycle();
  clockOffsetMs += 5 * 60_000;
  await cycle();
  const link = await env.database.db('sync_links').where({ object: 'organization', prm_id: orgId }).first();
  // A change Salesforce stamps 30 s before the org's clock (a long transaction committing late) is inside
  // the overlap behind the query that ran just before it became visible, so the next cycle reads it.
  const cursor = await env.database.db('sync_cursors').where({ object: 'organization' }).first();
  const seenUntil = new Date(cursor.sf_seen_until).getTime();
  const queriedAt = seenUntil + 1000 + OVERLAP_MS;
  assert.ok(queriedAt <= Date.now() + clockOffsetMs, 'the stored bound is the overlap before a query that ran');
  clockOffsetMs -= 30_000; // the late transaction's stamp
  env.emulator.org.update('Account', link.sf_id, { Website: 'https://late.example' });
  clockOffsetMs += 30_000;
  const summary = await cycle();
  assert.equal(summary.counts.toPrm, 1);
  assert.equal((await env.database.db('organizations').where({ id: orgId }).first()).website, 'https://late.example');
});
