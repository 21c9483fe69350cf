// Record-level actions of the record pages: Sync Now, Unlink and relink, against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, updatePrm, linkFor, type SyncEnv } from '../helpers/sync-env.ts';
import { createSalesforceAdapter } from '../../middleware/salesforce/adapter.ts';
import { connectSalesforce } from '../../middleware/salesforce/connection.ts';
import { relinkRecord, syncRecordNow, unlinkRecord, RecordSyncError } from '../../middleware/sync/record.ts';

let env: SyncEnv;
before(async () => {
  env = await openSyncEnv();
});
after(() => env.close());

async function crm() {
  const session = await connectSalesforce({ loginUrl: env.emulator.url, instanceUrl: env.emulator.url, accessToken: env.emulator.accessToken });
  return createSalesforceAdapter(session, { bulkThreshold: 2000 });
}
const sfAccount = (id: string) => env.emulator.org.retrieve('Account', id) as Record<string, unknown>;

test('Sync Now creates an unlinked record in Salesforce, then merges a linked one in two calls', async () => {
  const orgId = await insertOrganization(env, { name: 'Sync Now GmbH' });
  const created = await syncRecordNow(env.database.db, await crm(), env.plan, 'organization', orgId);
  assert.equal(created.counts.createdInSalesforce, 1);
  const { sf_id: sfId } = await linkFor(env, 'organization', orgId);
  assert.equal(sfAccount(sfId).Name, 'Sync Now GmbH');

  await updatePrm(env, 'organizations', orgId, { phone: '+49 89 1' });
  const adapter = await crm();
  const merged = await syncRecordNow(env.database.db, adapter, env.plan, 'organization', orgId);
  assert.equal(merged.counts.toSalesforce, 1);
  assert.equal(sfAccount(sfId).Phone, '+49 89 1');
  assert.equal(adapter.apiCalls(), 2, JSON.stringify(adapter.apiCallsByEndpoint()));
});

test('Unlink keeps both records, clears the PRM id in Salesforce; relink merges with another record', async () => {
  const orgId = await insertOrganization(env, { name: 'Unlink Me Ltd', website: 'unlink.example' });
  await syncRecordNow(env.database.db, await crm(), env.plan, 'organization', orgId);
  const { sf_id: oldSfId } = await linkFor(env, 'organization', orgId);
  await unlinkRecord(env.database.db, await crm(), env.plan, 'organization', orgId);
  assert.equal(await linkFor(env, 'organization', orgId), undefined);
  assert.equal(sfAccount(oldSfId).PRM_Id__c ?? null, null);
  assert.equal(sfAccount(oldSfId).Name, 'Unlink Me Ltd', 'Salesforce record kept');
  assert.ok(await env.database.db('organizations').where({ id: orgId }).first(), 'PRM record kept');

  const other = env.emulator.org.create('Account', { Name: 'Unlink Me Limited', PRM_Sync__c: true, Phone: '+44 20 1', PRM_Partner_Status__c: 'Reseller, Active' });
  const result = await relinkRecord(env.database.db, await crm(), env.plan, 'organization', orgId, other.id as string);
  assert.deepEqual(result.errors, []);
  const link = await linkFor(env, 'organization', orgId);
  assert.equal(link.sf_id, other.id);
  const relinked = sfAccount(other.id as string);
  assert.equal(relinked.PRM_Id__c, orgId);
  // First-sync rules: non-empty wins; both non-empty → the master system (Salesforce) wins.
  assert.equal(relinked.Website, 'unlink.example');
  const prm = await env.database.db('organizations').where({ id: orgId }).first();
  assert.equal(prm.phone, '+44 20 1');
  assert.equal(prm.name, 'Unlink Me Limited');
});

test('relink refuses a malformed id and a record linked elsewhere, with a clear message', async () => {
  const a = await insertOrganization(env, { name: 'Relink A' });
  const b = await insertOrganization(env, { name: 'Relink B' });
  await syncRecordNow(env.database.db, await crm(), env.plan, 'organization', a);
  const { sf_id: aSfId } = await linkFor(env, 'organization', a);
  await assert.rejects(relinkRecord(env.database.db, await crm(), env.plan, 'organization', b, "001' OR 1=1"), (error: Error) => error instanceof RecordSyncError && /is not a Salesforce record id/.test(error.message));
  await assert.rejects(relinkRecord(env.database.db, await crm(), env.plan, 'organization', b, aSfId), /already linked to another PRM record/);
});
