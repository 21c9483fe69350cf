// API economy at volume: collections of 200, one Bulk API 2.0 job above the threshold, and query pages
// of 2,000 — counted by the emulator's ledger, which sees every HTTP request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, type SyncEnv } from '../helpers/sync-env.ts';

let env: SyncEnv;
before(async () => {
  env = await openSyncEnv();
});
after(() => env.close());

async function insertOrganizations(count: number, prefix: string): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ kind: 'partner', status: 'active', name: `${prefix} ${i}`, billing_city: 'Lyon' }));
  for (let start = 0; start < rows.length; start += 1000) await env.database.db('organizations').insert(rows.slice(start, start + 1000));
}

test('450 new PRM organizations are pushed in 3 collection calls', async () => {
  await insertOrganizations(450, 'Collections Partner');
  env.emulator.ledger.reset();
  const summary = await env.cycle({ objects: ['organization'] });
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  assert.equal(summary.counts.createdInSalesforce, 450);
  assert.equal(env.emulator.ledger.of('collections.upsert'), 3, JSON.stringify(env.emulator.ledger.counts()));
  assert.equal(env.emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Collections Partner%'").totalSize, 450);
});

test('5,000 new PRM organizations go through one Bulk API 2.0 ingest job', async () => {
  await insertOrganizations(5000, 'Bulk Partner');
  const summary = await env.cycle({ objects: ['organization'] });
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  assert.equal(summary.counts.createdInSalesforce, 5000);
  assert.equal(summary.apiCallsByEndpoint['bulk2.ingest.POST'], 1, JSON.stringify(summary.apiCallsByEndpoint));
  assert.equal(summary.apiCallsByEndpoint['collections.upsert'] ?? 0, 0);
  assert.equal(env.emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk Partner%'").totalSize, 5000);
  const links = await env.database.db('sync_links').where({ object: 'organization', state: 'linked' }).whereNotNull('sf_id').count({ n: '*' }).first();
  assert.equal(Number(links?.n), 5450);
});

test('after 10,000 Salesforce changes a cycle reads them in ceil(10000/2000) = 5 query pages', async () => {
  const linked = await env.database.db('sync_links').where({ object: 'organization' }).select('sf_id').limit(10_000);
  assert.ok(linked.length >= 5450);
  // Change every linked account plus new unflagged ones, in Salesforce only (in-process, not counted).
  const ids = linked.map((l: { sf_id: string }) => l.sf_id);
  for (const id of ids) env.emulator.org.update('Account', id, { Phone: '+33 4 00 00 00' });
  for (let i = ids.length; i < 10_000; i++) env.emulator.org.create('Account', { Name: `Flagged Later ${i}`, PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
  env.emulator.ledger.reset();
  const summary = await env.cycle({ objects: ['organization'] });
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  assert.equal(summary.counts.sfRead, 10_000);
  const pages = (summary.apiCallsByEndpoint.queryAll ?? 0) + (summary.apiCallsByEndpoint.query ?? 0) + (summary.apiCallsByEndpoint['query.more'] ?? 0);
  assert.equal(pages, 5, JSON.stringify(summary.apiCallsByEndpoint));
  const phone = await env.database.db('organizations').where({ phone: '+33 4 00 00 00' }).count({ n: '*' }).first();
  assert.equal(Number(phone?.n), ids.length);
  // The accounts new to the PRM get their PRM ids back in one Bulk API update job, not a collection call a page.
  assert.equal(summary.counts.createdInPrm, 10_000 - ids.length);
  assert.equal(summary.apiCallsByEndpoint['bulk2.ingest.POST'], 1, JSON.stringify(summary.apiCallsByEndpoint));
  assert.equal(summary.apiCallsByEndpoint['collections.update'] ?? 0, 0);
  // An update job the job info shows fully done is not asked for its successful results (only our own Ids).
  const ledger = env.emulator.ledger.counts();
  assert.ok(Object.keys(ledger).some((label) => label.startsWith('bulk2.ingest')), JSON.stringify(ledger));
  assert.deepEqual(Object.keys(ledger).filter((label) => /successful|failed/i.test(label)), [], JSON.stringify(ledger));
  const waiting = await env.database.db('sync_links').where({ object: 'organization', needs_retry: true }).count({ n: '*' }).first();
  assert.equal(Number(waiting?.n), 0, 'every write-back was confirmed');
  assert.equal(env.emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Flagged Later%' AND PRM_Id__c != null").totalSize, 10_000 - ids.length);
});

test('12,000 new PRM organizations, read in two PRM pages, are created by one Bulk API job; the next cycle writes nothing', async () => {
  await insertOrganizations(12_000, 'Two Pages Partner');
  const summary = await env.cycle({ objects: ['organization'] });
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  assert.equal(summary.counts.createdInSalesforce, 12_000);
  assert.equal(summary.apiCallsByEndpoint['bulk2.ingest.POST'], 1, JSON.stringify(summary.apiCallsByEndpoint));
  assert.equal(env.emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Two Pages Partner%' AND PRM_Id__c != null").totalSize, 12_000);
  const unconfirmed = await env.database.db('sync_links').where({ object: 'organization' }).andWhere((q) => q.where({ needs_retry: true }).orWhereNotNull('pending')).count({ n: '*' }).first();
  assert.equal(Number(unconfirmed?.n), 0, 'every creation was confirmed and its write-ahead values cleared');
  const echo = await env.cycle({ objects: ['organization'] });
  assert.equal(echo.status, 'succeeded', echo.error ?? '');
  assert.deepEqual([echo.counts.toSalesforce, echo.counts.toPrm, echo.counts.createdInSalesforce, echo.counts.createdInPrm], [0, 0, 0, 0]);
});
