// Merges' Salesforce updates wait for the end of the PRM step and go out with its writes, in one call set;
// the PRM side commits first, so a crash or a refused write in between must lose nothing on either side.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, updatePrm, linkFor, type SyncEnv } from '../helpers/sync-env.ts';
import type { CrmAdapter } from '../../middleware/sync/crm.ts';

const envs: SyncEnv[] = [];
after(async () => {
  for (const env of envs) await env.close();
});
async function open(): Promise<SyncEnv> {
  const env = await openSyncEnv();
  envs.push(env);
  return env;
}

const account = (env: SyncEnv, id: string) => env.emulator.org.retrieve('Account', id) as Record<string, unknown>;
const prmRow = (env: SyncEnv, id: string) => env.database.db('organizations').where({ id }).first();

/** Organizations in sync, with their Salesforce ids. */
async function inSync(env: SyncEnv, count: number, prefix: string): Promise<Array<{ prmId: string; sfId: string }>> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await insertOrganization(env, { name: `${prefix} ${i}`, phone: 'old', website: 'old.example' }));
  const first = await env.cycle({ objects: ['organization'] });
  assert.equal(first.status, 'succeeded', first.error ?? '');
  return Promise.all(ids.map(async (prmId) => ({ prmId, sfId: (await linkFor(env, 'organization', prmId)).sf_id as string })));
}

test('records changed on both sides go out with the PRM-only changes: one collections call for the pass', async () => {
  const env = await open();
  const records = await inSync(env, 30, 'Together');
  const both = records.slice(0, 10);
  const prmOnly = records.slice(10);
  for (const { sfId } of both) env.emulator.org.update('Account', sfId, { Phone: 'from Salesforce' });
  for (const { prmId } of records) await updatePrm(env, 'organizations', prmId, { website: 'prm.example' });

  const run = await env.cycle({ objects: ['organization'] });
  assert.equal(run.status, 'succeeded', run.error ?? '');
  assert.equal(run.apiCallsByEndpoint['collections.upsert'], 1, JSON.stringify(run.apiCallsByEndpoint));
  assert.equal(run.counts.toSalesforce, 30);
  assert.equal(run.counts.toPrm, 10);
  for (const { prmId, sfId } of both) {
    assert.equal(account(env, sfId).Website, 'prm.example');
    assert.equal((await prmRow(env, prmId)).phone, 'from Salesforce');
  }
  for (const { sfId } of prmOnly) assert.equal(account(env, sfId).Website, 'prm.example');
  for (const { prmId } of records) {
    const link = await linkFor(env, 'organization', prmId);
    assert.equal(link.needs_retry, false);
    assert.equal(link.snapshot.website, 'prm.example');
  }
  const quiet = await env.cycle({ objects: ['organization'] });
  assert.equal(quiet.counts.toPrm + quiet.counts.toSalesforce, 0, 'the echo writes nothing');
});

test('a crash after the PRM side of a merge committed, before its Salesforce update went: the next run sends it, and both edits survive', async () => {
  const env = await open();
  const [record] = await inSync(env, 1, 'Interrupted');
  const { prmId, sfId } = record!;
  env.emulator.org.update('Account', sfId, { Phone: 'from Salesforce' });
  await updatePrm(env, 'organizations', prmId, { website: 'prm.example' });
  const crashBeforeSending = (crm: CrmAdapter): CrmAdapter => ({
    ...crm,
    upsertByExternalId: async () => {
      throw new Error('simulated crash before the Salesforce write');
    },
    updateByIds: async () => {
      throw new Error('simulated crash before the Salesforce write');
    },
  });
  const crashed = await env.cycle({ objects: ['organization'] }, crashBeforeSending);
  assert.equal(crashed.status, 'failed');
  assert.equal((await prmRow(env, prmId)).phone, 'from Salesforce', 'the PRM side committed');
  assert.equal(account(env, sfId).Website, 'old.example', 'Salesforce has not got the PRM edit yet');
  const waiting = await linkFor(env, 'organization', prmId);
  assert.equal(waiting.needs_retry, true);
  assert.equal(waiting.snapshot.website, 'old.example', 'the unsent field keeps its agreed value');
  assert.equal(waiting.snapshot.phone, 'from Salesforce');

  const resumed = await env.cycle({ objects: ['organization'] });
  assert.equal(resumed.status, 'succeeded', resumed.error ?? '');
  assert.equal(account(env, sfId).Website, 'prm.example', 'the PRM edit reached Salesforce');
  assert.equal(account(env, sfId).Phone, 'from Salesforce');
  const prm = await prmRow(env, prmId);
  assert.equal(prm.website, 'prm.example', 'not overwritten by the old Salesforce value');
  assert.equal(prm.phone, 'from Salesforce');
  const link = await linkFor(env, 'organization', prmId);
  assert.equal(link.needs_retry, false);
  assert.deepEqual([link.snapshot.website, link.snapshot.phone], ['prm.example', 'from Salesforce']);
});

test('a deferred merge Salesforce refuses is logged, keeps the PRM edit, and goes again next run', async () => {
  const env = await open();
  const [record] = await inSync(env, 1, 'Refused');
  const { prmId, sfId } = record!;
  env.emulator.org.update('Account', sfId, { Phone: 'from Salesforce' });
  await updatePrm(env, 'organizations', prmId, { website: 'prm.example' });
  const fault = env.emulator.faults.failRecords({ object: 'Account', error: { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Blocked by a validation rule', fields: [] } });
  const refused = await env.cycle({ objects: ['organization'] });
  fault.remove();
  assert.equal(refused.counts.errors, 1);
  assert.equal(refused.counts.toSalesforce, 0);
  const logged = await env.database.db('integration_log').where({ run_id: refused.runId, code: 'SF_WRITE_FAILED' });
  assert.deepEqual(logged.map((row: { prm_id: string; sf_id: string }) => [row.prm_id, row.sf_id]), [[prmId, sfId]], 'logged against both records');
  assert.equal((await linkFor(env, 'organization', prmId)).needs_retry, true);

  const again = await env.cycle({ objects: ['organization'] });
  assert.equal(again.counts.errors, 0);
  assert.equal(account(env, sfId).Website, 'prm.example');
  assert.equal((await prmRow(env, prmId)).website, 'prm.example');
  assert.equal((await linkFor(env, 'organization', prmId)).needs_retry, false);
});
