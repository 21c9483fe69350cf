import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import { syncPlanFromSettings } from '../../middleware/sync/plan-from-settings.ts';
import { prmValues, sfValues } from '../../middleware/sync/fields.ts';

test('default settings become a plan: bookkeeping fields are left to the engine, status and entity type are computed', () => {
  const plan = syncPlanFromSettings(defaultSettings(), { wizardCompleted: true, publicUrl: 'https://prm.example.com' });
  const keys = plan.organizations.fields.map((f) => f.key);
  assert.ok(keys.includes('name') && keys.includes('billing_city') && keys.includes('partner_status') && keys.includes('entity_type'));
  assert.ok(!keys.includes('id') && !keys.includes('record_url') && !keys.includes('last_synced_at'));
  assert.equal(plan.includeInactive, false);
  assert.equal(plan.recordTypes.partnerAccount, 'Partner_Account');
  const values = prmValues(plan.organizations.fields, { kind: 'distributor', status: 'active', name: 'Acme' });
  assert.equal(values.partner_status, 'distributor:active');
  assert.equal(values.entity_type, 'Active Distributor');
  assert.equal(sfValues(plan.organizations.fields, { PRM_Partner_Status__c: 'Distributor, Active' }).partner_status, 'distributor:active');
});

test('settings directions, master system and conflict policy reach the plan', () => {
  const settings = defaultSettings();
  settings.enabled = false;
  settings.contacts.direction = 'pull';
  settings.organizations.masterSystem = 'prm';
  settings.organizations.conflictPolicy = 'last_modified_wins';
  settings.contacts.mappings[2]!.direction = 'to_prm';
  const plan = syncPlanFromSettings(settings, { wizardCompleted: false, publicUrl: 'https://x.example' });
  assert.equal(plan.enabled, false);
  assert.equal(plan.wizardCompleted, false);
  assert.equal(plan.contacts.direction, 'pull');
  assert.deepEqual(plan.organizations.policy, { kind: 'last_modified_wins', master: 'prm' });
  assert.equal(plan.contacts.fields.find((f) => f.key === 'email')?.direction, 'to_prm');
  assert.equal(plan.contacts.fields.find((f) => f.key === 'email')?.sfType, 'email');
});
