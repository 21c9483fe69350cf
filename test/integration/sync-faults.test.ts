// Faults a Salesforce integration meets: per-record failures, a crash between the Salesforce write and
// the local commit, expired sessions and the daily API limit. Nothing may be lost or duplicated.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, updatePrm, linkFor, type SyncEnv } from '../helpers/sync-env.ts';
import { connectSalesforce } from '../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../middleware/salesforce/adapter.ts';
import { runSyncCycle } from '../../middleware/sync/cycle.ts';

const envs: SyncEnv[] = [];
after(async () => {
  for (const env of envs) await env.close();
});
async function open(plan: NonNullable<Parameters<typeof openSyncEnv>[0]>['plan'] = {}) {
  const env = await openSyncEnv({ plan });
  envs.push(env);
  return env;
}

const accountsWithPrmId = (env: SyncEnv, prmId: string) => env.emulator.org.query(`SELECT Id FROM Account WHERE PRM_Id__c = '${prmId}'`).totalSize;

test('a partial failure in a collections upsert logs exactly the failed records and retries them next cycle', async () => {
  const env = await open();
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await insertOrganization(env, { name: i % 10 === 0 ? `Locked Partner ${i}` : `Fine Partner ${i}` }));
  const fault = env.emulator.faults.failRecords({ object: 'Account', when: (values) => String(values?.Name ?? '').startsWith('Locked'), error: { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Blocked by a validation rule', fields: [] } });
  const first = await env.cycle();
  assert.equal(first.counts.createdInSalesforce, 27);
  assert.equal(first.counts.errors, 3);
  const logged = await env.database.db('integration_log').where({ run_id: first.runId, code: 'SF_WRITE_FAILED' });
  assert.deepEqual(logged.map((r: { prm_id: string }) => r.prm_id).sort(), [ids[0], ids[10], ids[20]].sort());
  assert.match(logged[0].suggestion, /validation rule/);
  fault.remove();
  const second = await env.cycle();
  assert.equal(second.counts.createdInSalesforce, 3);
  for (const id of ids) assert.equal(accountsWithPrmId(env, id), 1);
  const third = await env.cycle();
  assert.equal(third.counts.createdInSalesforce + third.counts.toSalesforce, 0);
});

test('a partial failure inside a Bulk API 2.0 job logs exactly the failed records and retries them', async () => {
  const env = await open({ bulkThreshold: 100 });
  const rows = Array.from({ length: 250 }, (_, i) => ({ kind: 'partner', status: 'active', name: `Bulk Fault ${i}` }));
  const inserted = await env.database.db('organizations').insert(rows).returning(['id', 'name']);
  const fault = env.emulator.faults.failRecords({
    object: 'Account',
    api: 'bulk2',
    when: (values) => /Bulk Fault \d*7$/.test(String(values?.Name)),
    error: { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Blocked by a validation rule', fields: [] },
  });
  const first = await env.cycle({ objects: ['organization'] });
  assert.equal(first.apiCallsByEndpoint['bulk2.ingest.POST'], 1);
  const failedNames = inserted.filter((r: { name: string }) => /7$/.test(r.name)).map((r: { id: string }) => r.id).sort();
  const logged = await env.database.db('integration_log').where({ run_id: first.runId, code: 'SF_WRITE_FAILED' });
  assert.deepEqual(logged.map((r: { prm_id: string }) => r.prm_id).sort(), failedNames);
  assert.match(logged[0].message, /FIELD_CUSTOM_VALIDATION_EXCEPTION/);
  fault.remove();
  await env.cycle({ objects: ['organization'] });
  for (const row of inserted) assert.equal(accountsWithPrmId(env, row.id), 1, row.name);
});

test('rows a Bulk API 2.0 job could not lock are written again in the same run with one collections call', async () => {
  const env = await open({ bulkThreshold: 100 });
  const rows = Array.from({ length: 250 }, (_, i) => ({ kind: 'partner', status: 'active', name: `Busy Partner ${i}` }));
  const inserted = await env.database.db('organizations').insert(rows).returning(['id', 'name']);
  // Another transaction holds 25 of the rows while the job runs; a moment later the lock is gone.
  const fault = env.emulator.faults.failRecords({ object: 'Account', api: 'bulk2', when: (values) => /Busy Partner \d*7$/.test(String(values?.Name)) });
  const first = await env.cycle({ objects: ['organization'] });
  fault.remove();
  assert.equal(first.status, 'succeeded');
  assert.equal(first.counts.errors, 0);
  assert.equal(first.counts.createdInSalesforce, 250);
  assert.equal(first.apiCallsByEndpoint['bulk2.ingest.POST'], 1);
  assert.equal(first.apiCallsByEndpoint['collections.upsert'], 1, 'the 25 locked rows go in one collections call');
  assert.deepEqual(await env.database.db('integration_log').where({ run_id: first.runId, code: 'SF_WRITE_FAILED' }), [], 'nothing is logged as failed');
  for (const row of inserted) assert.equal(accountsWithPrmId(env, row.id), 1, row.name);
});

test('a Bulk API job whose results download fails (503, dropped connection, expired session) reads them again, without a second job', async () => {
  const env = await open({ bulkThreshold: 100 });
  const rows = Array.from({ length: 250 }, (_, i) => ({ kind: 'partner', status: 'active', name: `Download Partner ${i}` }));
  const inserted = await env.database.db('organizations').insert(rows).returning(['id']);
  // One fault per download attempt, in this order: the rules are tried in turn and each fires once.
  const results = { path: '/successfulResults' };
  const faults = [env.emulator.faults.status(503, { ...results, times: 1 }), env.emulator.faults.drop({ ...results, times: 1 }), env.emulator.faults.expireSession({ ...results, times: 1 })];
  const { url, refreshToken } = env.emulator;
  const session = await connectSalesforce({ loginUrl: url, instanceUrl: url, clientId: 'prm-sync-test', clientSecret: 'secret', accessToken: env.emulator.issueAccessToken(), refreshToken });
  const adapter = createSalesforceAdapter(session, { bulkThreshold: 100, bulkPollIntervalMs: 20 });
  const run = await runSyncCycle(env.database.db, async () => adapter, env.plan, { mode: 'incremental', objects: ['organization'] });
  for (const fault of faults) fault?.remove();
  assert.equal(run.status, 'succeeded', run.error ?? '');
  assert.deepEqual(faults.map((fault) => fault?.hits), [1, 1, 1]);
  assert.equal(run.counts.createdInSalesforce, 250);
  assert.equal(run.apiCallsByEndpoint['bulk2.ingest.POST'], 1, 'one job: only its results were read again');
  assert.equal(run.apiCallsByEndpoint['oauth.token'], 1, 'the expired session was refreshed once');
  const links = await env.database.db('sync_links').where({ object: 'organization' }).whereNotNull('sf_id').where({ needs_retry: false });
  assert.equal(links.length, 250, 'every creation confirmed with its Salesforce Id');
  for (const row of inserted) assert.equal(accountsWithPrmId(env, row.id), 1);
});

test('a lock that outlasts the retries is logged for exactly the rows it held, and nothing else is lost', async () => {
  const env = await open();
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await insertOrganization(env, { name: i < 2 ? `Held Partner ${i}` : `Free Partner ${i}` }));
  const fault = env.emulator.faults.failRecords({ object: 'Account', when: (values) => String(values?.Name ?? '').startsWith('Held') });
  const first = await env.cycle({ objects: ['organization'] });
  assert.equal(first.counts.createdInSalesforce, 10);
  assert.equal(fault.hits, 6, 'two rows, tried once and retried twice');
  const logged = await env.database.db('integration_log').where({ run_id: first.runId, code: 'SF_WRITE_FAILED' });
  assert.deepEqual(logged.map((r: { prm_id: string }) => r.prm_id).sort(), ids.slice(0, 2).sort());
  assert.match(logged[0].message, /UNABLE_TO_LOCK_ROW/);
  fault.remove();
  await env.cycle({ objects: ['organization'] });
  for (const id of ids) assert.equal(accountsWithPrmId(env, id), 1);
});

test('a crash between the Salesforce write and the local commit: the re-run duplicates nothing and loses nothing', async () => {
  const env = await open();
  const orgId = await insertOrganization(env, { name: 'Crash Test Dummies Inc' });
  const crashAfterWrite = (crm: Parameters<NonNullable<Parameters<SyncEnv['cycle']>[1]>>[0]) => ({
    ...crm,
    async upsertByExternalId(...args: Parameters<typeof crm.upsertByExternalId>) {
      await crm.upsertByExternalId(...args);
      throw new Error('simulated crash after the Salesforce write');
    },
    async updateByIds(...args: Parameters<typeof crm.updateByIds>) {
      await crm.updateByIds(...args);
      throw new Error('simulated crash after the Salesforce write');
    },
  });
  const crashed = await env.cycle({}, crashAfterWrite);
  assert.equal(crashed.status, 'failed');
  assert.equal(accountsWithPrmId(env, orgId), 1, 'the account was written');
  const unconfirmed = await linkFor(env, 'organization', orgId);
  assert.ok(!unconfirmed || (unconfirmed.sf_id === null && unconfirmed.last_synced_at === null), 'but nothing was committed locally (at most the write-ahead row)');
  await env.cycle();
  assert.equal(accountsWithPrmId(env, orgId), 1, 'no duplicate');
  const link = await linkFor(env, 'organization', orgId);
  assert.equal(link.state, 'linked');

  // The same for an update: the PRM edit survives the crash and is not written twice.
  await updatePrm(env, 'organizations', orgId, { phone: '+1 555 0100' });
  const crashedUpdate = await env.cycle({}, crashAfterWrite);
  assert.equal(crashedUpdate.status, 'failed');
  const rerun = await env.cycle();
  assert.equal(rerun.status, 'succeeded');
  assert.equal((env.emulator.org.retrieve('Account', link.sf_id) as Record<string, unknown>).Phone, '+1 555 0100');
  assert.equal((await linkFor(env, 'organization', orgId)).snapshot.phone, '+1 555 0100');
  const quiet = await env.cycle();
  assert.equal(quiet.counts.toSalesforce + quiet.counts.toPrm, 0);
});

test('an account flagged in Salesforce brings its contacts even when the run that linked it died before its contact pass', async () => {
  const env = await open();
  const org = env.emulator.org;
  const status = { PRM_Partner_Status__c: 'Reseller, Active' };
  // One synced contact already, so the contact cursor is set and later pulls are incremental.
  const first = org.create('Account', { Name: 'Early Partner', PRM_Sync__c: true, ...status });
  org.create('Contact', { AccountId: first.id, LastName: 'Early', Email: 'early@partner.example' });
  const late = org.create('Account', { Name: 'Late Partner', PRM_Sync__c: false, ...status });
  for (const name of ['Ada', 'Grace']) org.create('Contact', { AccountId: late.id, LastName: name, Email: `${name.toLowerCase()}@late.example` });
  assert.equal((await env.cycle()).status, 'succeeded');
  org.update('Account', late.id as string, { PRM_Sync__c: true });

  const crashBeforeContacts = (crm: Parameters<NonNullable<Parameters<SyncEnv['cycle']>[1]>>[0]) => ({
    ...crm,
    changedSince: (query: Parameters<typeof crm.changedSince>[0]) => {
      if (query.object !== 'Contact') return crm.changedSince(query);
      return (async function* () {
        yield* [];
        throw new Error('simulated crash before the contact pass');
      })();
    },
  });
  const crashed = await env.cycle({}, crashBeforeContacts);
  assert.equal(crashed.status, 'failed');
  const lateOrg = await env.database.db('organizations').where({ name: 'Late Partner' }).first();
  assert.ok(lateOrg, 'the account was created in the PRM before the crash');

  // The contacts did not change in Salesforce, so no incremental pull sees them: the stored lookup does.
  const next = await env.cycle();
  assert.equal(next.status, 'succeeded', next.error ?? '');
  const contacts = await env.database.db('contacts').where({ organization_id: lateOrg.id }).orderBy('last_name').pluck('last_name');
  assert.deepEqual(contacts, ['Ada', 'Grace']);
  assert.deepEqual(await env.database.db('sync_contact_lookups').select('*'), [], 'the lookup is done and forgotten');
  const quiet = await env.cycle();
  assert.equal(quiet.counts.createdInPrm + quiet.counts.toPrm + quiet.counts.toSalesforce, 0);
});

test('REQUEST_LIMIT_EXCEEDED pauses the run and loses nothing', async () => {
  const env = await open();
  const orgId = await insertOrganization(env, { name: 'Over The Limit Ltd' });
  const limit = env.emulator.faults.apiLimit({ label: 'collections.upsert' });
  const paused = await env.cycle();
  assert.equal(paused.status, 'paused');
  const row = await env.database.db('integration_log').where({ run_id: paused.runId, code: 'API_LIMIT_EXCEEDED' }).first();
  assert.ok(row, 'logged');
  limit?.remove();
  const resumed = await env.cycle();
  assert.equal(resumed.status, 'succeeded');
  assert.equal(accountsWithPrmId(env, orgId), 1);
});

test('an expired session is refreshed once and the run continues; a persistent 401 fails clearly without a retry storm', async () => {
  const env = await open();
  const orgId = await insertOrganization(env, { name: 'Session Expired Corp' });
  const { url } = env.emulator;
  const { refreshToken } = env.emulator;
  const session = await connectSalesforce({ loginUrl: url, instanceUrl: url, clientId: 'prm-sync-test', clientSecret: 'secret', accessToken: env.emulator.issueAccessToken(), refreshToken });
  env.emulator.faults.expireSession();
  const adapter = createSalesforceAdapter(session, { bulkThreshold: 2000 });
  const refreshed = await runSyncCycle(env.database.db, async () => adapter, env.plan, { mode: 'incremental' });
  assert.equal(refreshed.status, 'succeeded', refreshed.error ?? '');
  assert.equal(accountsWithPrmId(env, orgId), 1);
  assert.equal(session.ledger.counts()['oauth.token'], 1, 'exactly one refresh');

  const stubborn = env.emulator.faults.expireSession({ label: /.*/ });
  await updatePrm(env, 'organizations', orgId, { phone: '42' });
  const session2 = await connectSalesforce({ loginUrl: url, instanceUrl: url, clientId: 'prm-sync-test', clientSecret: 'secret', accessToken: session.conn.accessToken ?? '', refreshToken });
  const failed = await runSyncCycle(env.database.db, async () => createSalesforceAdapter(session2, { bulkThreshold: 2000 }), env.plan, { mode: 'incremental' });
  stubborn?.remove();
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /refused the session again right after a token refresh/);
  assert.ok((session2.ledger.counts()['oauth.token'] ?? 0) <= 2, JSON.stringify(session2.ledger.counts()));
  assert.ok(session2.ledger.apiCalls <= 4, `no retry storm: ${JSON.stringify(session2.ledger.counts())}`);
  const log = await env.database.db('integration_log').where({ run_id: failed.runId, code: 'SESSION_REFRESH_FAILED' }).first();
  assert.match(log.suggestion, /Reconnect the integration/);
});
