import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planWrite, type WritePlanContext } from '../../middleware/sync/write-plan.ts';
import { defaultSyncPlan } from '../../middleware/sync/plan.ts';
import type { Link } from '../../middleware/sync/links.ts';
import type { PrmRow } from '../../middleware/sync/prm-access.ts';
import type { CrmRecord } from '../../middleware/sync/crm.ts';

const plan = defaultSyncPlan({ publicUrl: 'https://prm.example.com' });
const ctx: WritePlanContext = { plan, objectPlan: plan.organizations, runId: null, now: new Date('2026-11-22T10:00:00Z') };
const prmId = '3f0c3f5e-0000-4000-8000-000000000001';

const row = (over: Partial<PrmRow> = {}): PrmRow => ({
  id: prmId,
  kind: 'partner',
  status: 'active',
  name: 'Acme',
  website: 'acme.example',
  phone: null,
  billing_street: null,
  billing_city: 'Berlin',
  billing_state: null,
  billing_postal_code: null,
  billing_country: null,
  custom: {},
  change_seq: 5,
  updated_at: new Date('2026-11-22T09:00:00Z'),
  deleted_at: null,
  ...over,
});

const sfRecord = (fields: Record<string, unknown>): CrmRecord => ({
  id: '001000000000001AAA',
  modstamp: new Date('2026-11-22T09:30:00Z'),
  lastModified: new Date('2026-11-22T09:30:00Z'),
  isDeleted: false,
  fields: { Id: '001000000000001AAA', PRM_Id__c: prmId, PRM_Sync__c: true, Name: 'Acme', Website: 'acme.example', BillingCity: 'Berlin', PRM_Partner_Status__c: 'Reseller, Active', PRM_Sys_EntityType__c: 'Active Partner', ...fields },
});

const agreed = { name: 'Acme', website: 'acme.example', phone: null, billing_street: null, billing_city: 'Berlin', billing_state: null, billing_postal_code: null, billing_country: null, partner_status: 'partner:active', entity_type: 'Active Partner' };
const link = (over: Partial<Link> = {}): Link => ({ id: 7, object: 'organization', prm_id: prmId, sf_id: '001000000000001AAA', state: 'linked', snapshot: agreed, sf_modstamp: null, prm_change_seq: 4, last_synced_at: null, needs_retry: false, last_error: null, ...over });

test('a new PRM organization becomes an upsert by PRM id with flag, status, entity type and link back', () => {
  const write = planWrite(ctx, { kind: 'create_in_salesforce', prmRow: row({ kind: 'distributor', status: 'prospective' }) });
  assert.equal(write.sf?.mode, 'upsert');
  assert.equal(write.sf?.externalId, prmId);
  assert.equal(write.sf?.values.PRM_Sync__c, true);
  assert.equal(write.sf?.values.PRM_Partner_Status__c, 'Distributor, Prospective');
  assert.equal(write.sf?.values.PRM_Sys_EntityType__c, 'Prospective Distributor');
  assert.equal(write.sf?.values.PRM_Sys_URL__c, `https://prm.example.com/records/organizations/${prmId}`);
  assert.equal(write.sf?.values.Name, 'Acme');
  assert.equal(write.link.snapshot.partner_status, 'distributor:prospective');
});

test('a Salesforce name change becomes a PRM update and nothing goes back', () => {
  const write = planWrite(ctx, { kind: 'merge', link: link(), prmRow: row(), sfRecord: sfRecord({ Name: 'Acme GmbH' }) });
  assert.equal(write.sf, null);
  assert.deepEqual(write.prm?.columns, { name: 'Acme GmbH' });
  assert.equal(write.link.snapshot.name, 'Acme GmbH');
});

test('the status picklist maps both PRM columns at once', () => {
  const write = planWrite(ctx, { kind: 'merge', link: link(), prmRow: row(), sfRecord: sfRecord({ PRM_Partner_Status__c: 'Distributor, Inactive' }) });
  assert.deepEqual(write.prm?.columns, { kind: 'distributor', status: 'inactive' });
  // The entity type (PRM → Salesforce only) follows in the same write: the PRM update itself is echo-suppressed.
  assert.equal(write.sf?.values.PRM_Sys_EntityType__c, 'Inactive Distributor');
  assert.equal(write.link.snapshot.entity_type, 'Inactive Distributor');
});

test('an unmapped Salesforce picklist value is logged and never read as "cleared"', () => {
  const write = planWrite(ctx, { kind: 'merge', link: link(), prmRow: row(), sfRecord: sfRecord({ PRM_Partner_Status__c: 'reseller, active' }) });
  assert.equal(write.prm, null);
  assert.equal(write.sf, null);
  assert.equal(write.log[0]?.code, 'PICKLIST_VALUE_UNMAPPED');
  assert.match(write.log[0]?.message ?? '', /"reseller, active"/);
  assert.equal(write.link.snapshot.partner_status, 'partner:active');
});

test('a Salesforce record linked by the wizard without PRM id is updated by Id and gets the PRM id', () => {
  const write = planWrite(ctx, { kind: 'merge', link: link(), prmRow: row(), sfRecord: sfRecord({ PRM_Id__c: null }) });
  assert.equal(write.sf?.mode, 'update');
  assert.equal(write.sf?.values.PRM_Id__c, prmId);
});

test('a PRM deletion keeps the Salesforce record, marks it "(Deleted)" and clears the flag', () => {
  const write = planWrite(ctx, { kind: 'mark_deleted', link: link(), prmRow: row({ deleted_at: new Date() }) });
  assert.equal(write.sf?.values.PRM_Sys_EntityType__c, 'Active Partner (Deleted)');
  assert.equal(write.sf?.values.PRM_Sync__c, false);
  assert.equal(write.link.state, 'deleted');
  assert.equal(write.log[0]?.code, 'RECORD_DELETED_IN_PRM');
});

test('a conflict is resolved by the master system and logged with both values', () => {
  const write = planWrite(ctx, { kind: 'merge', link: link(), prmRow: row({ name: 'Acme PRM' }), sfRecord: sfRecord({ Name: 'Acme SF' }) });
  assert.deepEqual(write.prm?.columns, { name: 'Acme SF' });
  assert.equal(write.conflicts, 1);
  const conflictLog = write.log.find((l) => l.code === 'CONFLICT_RESOLVED');
  assert.deepEqual(conflictLog?.details, { prm: 'Acme PRM', salesforce: 'Acme SF', base: 'Acme' });
});
