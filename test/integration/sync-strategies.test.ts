// Directions, the global toggle, the wizard gate and last-modified-wins, each against the emulator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, updatePrm, linkFor, type SyncEnv } from '../helpers/sync-env.ts';

const envs: SyncEnv[] = [];
after(async () => {
  for (const env of envs) await env.close();
});
async function env(plan: NonNullable<Parameters<typeof openSyncEnv>[0]>['plan'] = {}): Promise<SyncEnv> {
  const created = await openSyncEnv({ plan });
  envs.push(created);
  return created;
}

test('global toggle off: the run is skipped without a single API call', async () => {
  const e = await env({ enabled: false });
  await insertOrganization(e, { name: 'Paused Inc' });
  e.emulator.ledger.reset();
  const summary = await e.cycle();
  assert.equal(summary.status, 'skipped');
  assert.equal(e.emulator.ledger.total(), 0);
  const log = await e.database.db('integration_log').where({ run_id: summary.runId }).first();
  assert.equal(log.code, 'SYNC_DISABLED');
});

test('nothing syncs before the matching wizard is completed', async () => {
  const e = await env({ wizardCompleted: false });
  await insertOrganization(e, { name: 'Early Bird Ltd' });
  e.emulator.ledger.reset();
  const summary = await e.cycle();
  assert.equal(summary.status, 'skipped');
  assert.equal(e.emulator.ledger.total(), 0);
  assert.equal(e.emulator.org.query('SELECT COUNT() FROM Account').totalSize, 0);
});

test('direction push: PRM changes reach Salesforce, Salesforce changes stay there', async () => {
  const e = await env();
  e.plan.organizations.direction = 'push';
  const orgId = await insertOrganization(e, { name: 'Push Only' });
  await e.cycle();
  const { sf_id: sfId } = await linkFor(e, 'organization', orgId);
  e.emulator.org.update('Account', sfId, { Phone: '999' });
  await updatePrm(e, 'organizations', orgId, { website: 'push.example' });
  await e.cycle();
  const prm = await e.database.db('organizations').where({ id: orgId }).first();
  assert.equal(prm.phone, null);
  assert.equal((e.emulator.org.retrieve('Account', sfId) as Record<string, unknown>).Website, 'push.example');
  const flagged = e.emulator.org.create('Account', { Name: 'Not Pulled', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
  await e.cycle();
  assert.equal(await e.database.db('sync_links').where({ sf_id: flagged.id }).first(), undefined);
});

test('direction pull: Salesforce changes reach the PRM, PRM changes and new PRM records stay there', async () => {
  const e = await env();
  const orgId = await insertOrganization(e, { name: 'Pull Only' });
  await e.cycle();
  e.plan.organizations.direction = 'pull';
  const { sf_id: sfId } = await linkFor(e, 'organization', orgId);
  e.emulator.org.update('Account', sfId, { Phone: '777' });
  await updatePrm(e, 'organizations', orgId, { website: 'pull.example' });
  const newOrg = await insertOrganization(e, { name: 'Stays In PRM' });
  await e.cycle();
  assert.equal((await e.database.db('organizations').where({ id: orgId }).first()).phone, '777');
  assert.equal((e.emulator.org.retrieve('Account', sfId) as Record<string, unknown>).Website ?? null, null);
  assert.equal(await linkFor(e, 'organization', newOrg), undefined);
});

test('direction disabled: the object is not touched at all', async () => {
  const e = await env();
  e.plan.organizations.direction = 'disabled';
  e.plan.contacts.direction = 'disabled';
  await insertOrganization(e, { name: 'Disabled Co' });
  const summary = await e.cycle();
  assert.equal(summary.apiCalls, 0);
  assert.equal(e.emulator.org.query('SELECT COUNT() FROM Account').totalSize, 0);
});

test('last-modified-wins: the later edit wins a conflict', async () => {
  const e = await env();
  e.plan.organizations.policy = { kind: 'last_modified_wins', master: 'salesforce' };
  const orgId = await insertOrganization(e, { name: 'Timing Matters' });
  await e.cycle();
  const { sf_id: sfId } = await linkFor(e, 'organization', orgId);
  e.emulator.org.update('Account', sfId, { Name: 'Earlier SF edit' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await updatePrm(e, 'organizations', orgId, { name: 'Later PRM edit' });
  const summary = await e.cycle();
  assert.equal(summary.counts.conflicts, 1);
  assert.equal((e.emulator.org.retrieve('Account', sfId) as Record<string, unknown>).Name, 'Later PRM edit');
  assert.equal((await e.database.db('organizations').where({ id: orgId }).first()).name, 'Later PRM edit');
});

test('dry run computes the preview and writes nothing', async () => {
  const e = await env();
  const orgId = await insertOrganization(e, { name: 'Preview Only' });
  const summary = await e.cycle({ dryRun: true });
  assert.equal(summary.planned.length, 1);
  assert.equal(summary.planned[0]?.action, 'create_in_salesforce');
  assert.equal(summary.planned[0]?.toSalesforce.Name, 'Preview Only');
  assert.equal(e.emulator.org.query('SELECT COUNT() FROM Account').totalSize, 0);
  assert.equal(await linkFor(e, 'organization', orgId), undefined);
});

test('full reconcile repairs drift the incremental cursors missed and disconnects records that left scope unseen', async () => {
  const e = await env();
  const kept = await insertOrganization(e, { name: 'Drifted Inc', phone: '1' });
  const purged = await insertOrganization(e, { name: 'Left Scope Ltd' });
  await insertOrganization(e, { name: 'Last Written Filler' }); // the Salesforce cursor ends on this one
  await e.cycle();
  await e.cycle();
  // A PRM edit that bypassed change_seq (e.g. a manual SQL fix) is invisible to the incremental cursor.
  await e.database.db('organizations').where({ id: kept }).update({ phone: '2' });
  const { sf_id: keptSfId } = await linkFor(e, 'organization', kept);
  const { sf_id: purgedSfId } = await linkFor(e, 'organization', purged);
  // Unflagged and its PRM id cleared in one edit: the scoped incremental pull can no longer see it.
  e.emulator.org.update('Account', purgedSfId, { PRM_Sync__c: false, PRM_Id__c: null });
  const incremental = await e.cycle();
  assert.equal(incremental.counts.toSalesforce, 0);
  assert.equal((e.emulator.org.retrieve('Account', keptSfId) as Record<string, unknown>).Phone, '1');
  assert.equal((await linkFor(e, 'organization', purged)).state, 'linked', 'the incremental run cannot know');
  const full = await e.cycle({ mode: 'full' });
  assert.equal(full.status, 'succeeded', full.error ?? '');
  assert.equal((e.emulator.org.retrieve('Account', keptSfId) as Record<string, unknown>).Phone, '2');
  assert.equal((await linkFor(e, 'organization', purged)).state, 'disconnected');
});

test('a full reconcile keeps the records it creates in the same run linked', async () => {
  const e = await env();
  const orgId = await insertOrganization(e, { name: 'Born In A Full Run' });
  const full = await e.cycle({ mode: 'full' });
  assert.equal(full.counts.createdInSalesforce, 1);
  assert.equal(full.counts.disconnected, 0);
  assert.equal((await linkFor(e, 'organization', orgId)).state, 'linked');
});

test('the wizard-completed fact round-trips through integration_state on both databases', async () => {
  const e = await env({ wizardCompleted: false });
  const { integrationState, STATE_KEYS } = await import('../../middleware/sync/state.ts');
  assert.equal(await integrationState.wizardCompleted(e.database.db), false);
  await integrationState.set(e.database.db, STATE_KEYS.wizardCompletedAt, '2026-11-22T10:00:00.000Z');
  assert.equal(await integrationState.get(e.database.db, STATE_KEYS.wizardCompletedAt), '2026-11-22T10:00:00.000Z');
  assert.equal(await integrationState.wizardCompleted(e.database.db), true);
});
