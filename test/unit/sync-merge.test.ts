import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merge, mergeIsNoop, type MergeField, type MergeInput } from '../../middleware/sync/merge.ts';
import { effectiveFlow } from '../../middleware/sync/strategy.ts';

const field = (key: string, extra: Partial<MergeField> = {}): MergeField => ({ key, direction: 'both', firstSyncOnly: false, ...extra });
const base = (over: Partial<MergeInput>): MergeInput => ({
  snapshot: { name: 'Acme', phone: '1' },
  prm: { name: 'Acme', phone: '1' },
  sf: { name: 'Acme', phone: '1' },
  fields: [field('name'), field('phone')],
  objectDirection: 'push_and_pull',
  policy: { kind: 'master_system', master: 'salesforce' },
  ...over,
});

test('nothing changed: no write either way and the snapshot is kept', () => {
  const result = merge(base({}));
  assert.ok(mergeIsNoop(result));
  assert.deepEqual(result.snapshot, { name: 'Acme', phone: '1' });
  assert.deepEqual(result.conflicts, []);
});

test('only one side changed: that side flows to the other', () => {
  const fromPrm = merge(base({ prm: { name: 'Acme Corp', phone: '1' } }));
  assert.deepEqual(fromPrm.toSalesforce, { name: 'Acme Corp' });
  assert.deepEqual(fromPrm.toPrm, {});
  assert.equal(fromPrm.snapshot.name, 'Acme Corp');

  const fromSf = merge(base({ sf: { name: 'Acme', phone: '2' } }));
  assert.deepEqual(fromSf.toPrm, { phone: '2' });
  assert.deepEqual(fromSf.toSalesforce, {});
  assert.equal(fromSf.snapshot.phone, '2');
});

test('different fields changed on each side both survive', () => {
  const result = merge(base({ prm: { name: 'Acme Corp', phone: '1' }, sf: { name: 'Acme', phone: '2' } }));
  assert.deepEqual(result.toSalesforce, { name: 'Acme Corp' });
  assert.deepEqual(result.toPrm, { phone: '2' });
  assert.deepEqual(result.conflicts, []);
  assert.deepEqual(result.snapshot, { name: 'Acme Corp', phone: '2' });
});

test('the same field changed on both sides: the master system wins', () => {
  const input = base({ prm: { name: 'From PRM', phone: '1' }, sf: { name: 'From SF', phone: '1' } });
  const sfMaster = merge(input);
  assert.deepEqual(sfMaster.toPrm, { name: 'From SF' });
  assert.equal(sfMaster.conflicts[0]?.winner, 'salesforce');
  assert.equal(sfMaster.conflicts[0]?.rule, 'master_system');
  const prmMaster = merge({ ...input, policy: { kind: 'master_system', master: 'prm' } });
  assert.deepEqual(prmMaster.toSalesforce, { name: 'From PRM' });
  assert.equal(prmMaster.snapshot.name, 'From PRM');
});

test('last-modified-wins picks the later edit, and the master breaks ties', () => {
  const input = base({
    prm: { name: 'From PRM', phone: '1' },
    sf: { name: 'From SF', phone: '1' },
    policy: { kind: 'last_modified_wins', master: 'salesforce' },
  });
  const prmLater = merge({ ...input, prmModifiedAt: new Date('2026-01-02'), sfModifiedAt: new Date('2026-01-01') });
  assert.deepEqual(prmLater.toSalesforce, { name: 'From PRM' });
  assert.equal(prmLater.conflicts[0]?.rule, 'last_modified');
  const sfLater = merge({ ...input, prmModifiedAt: new Date('2026-01-01'), sfModifiedAt: new Date('2026-01-02') });
  assert.deepEqual(sfLater.toPrm, { name: 'From SF' });
  const tie = merge({ ...input, prmModifiedAt: new Date('2026-01-01'), sfModifiedAt: new Date('2026-01-01') });
  assert.deepEqual(tie.toPrm, { name: 'From SF' });
  assert.equal(tie.conflicts[0]?.rule, 'master_system');
});

test('both changed to the same value: no write, no conflict', () => {
  const result = merge(base({ prm: { name: 'Same', phone: '1' }, sf: { name: 'Same', phone: '1' } }));
  assert.ok(mergeIsNoop(result));
  assert.deepEqual(result.conflicts, []);
  assert.equal(result.snapshot.name, 'Same');
});

test('empty string, null and a missing value are the same "no value"', () => {
  const result = merge(base({ snapshot: { name: 'Acme', phone: null }, prm: { name: 'Acme', phone: '' }, sf: { name: 'Acme' } }));
  assert.ok(mergeIsNoop(result));
});

test('first sync (no snapshot): non-empty wins, both non-empty → master system', () => {
  const result = merge(
    base({
      snapshot: {},
      prm: { name: 'PRM name', phone: null },
      sf: { name: 'SF name', phone: '555' },
      policy: { kind: 'master_system', master: 'prm' },
    }),
  );
  assert.deepEqual(result.toSalesforce, { name: 'PRM name' });
  assert.deepEqual(result.toPrm, { phone: '555' });
  assert.deepEqual(result.snapshot, { name: 'PRM name', phone: '555' });
  assert.equal(result.decisions.find((d) => d.key === 'phone')?.rule, 'non_empty_wins');
  assert.equal(result.decisions.find((d) => d.key === 'name')?.rule, 'first_sync_master');
});

test('field directions: a to_prm field never writes to Salesforce, a to_salesforce field never to PRM', () => {
  const fields = [field('name', { direction: 'to_prm' }), field('phone', { direction: 'to_salesforce' })];
  const prmEdits = merge(base({ fields, prm: { name: 'New', phone: '9' } }));
  assert.deepEqual(prmEdits.toSalesforce, { phone: '9' });
  assert.deepEqual(prmEdits.toPrm, {});
  assert.equal(prmEdits.snapshot.name, 'Acme', 'a change that cannot flow leaves the base unchanged');
  const sfEdits = merge(base({ fields, sf: { name: 'New', phone: '9' } }));
  assert.deepEqual(sfEdits.toPrm, { name: 'New' });
  assert.deepEqual(sfEdits.toSalesforce, {});
});

test('object direction overrides field direction', () => {
  assert.deepEqual(effectiveFlow('push', 'both'), { toPrm: false, toSalesforce: true });
  assert.deepEqual(effectiveFlow('pull', 'to_salesforce'), { toPrm: false, toSalesforce: false });
  assert.deepEqual(effectiveFlow('disabled', 'both'), { toPrm: false, toSalesforce: false });
  const changed = { prm: { name: 'P', phone: '1' }, sf: { name: 'Acme', phone: '2' } };
  assert.deepEqual(merge(base({ ...changed, objectDirection: 'push' })).toPrm, {});
  assert.deepEqual(merge(base({ ...changed, objectDirection: 'push' })).toSalesforce, { name: 'P' });
  assert.deepEqual(merge(base({ ...changed, objectDirection: 'pull' })).toSalesforce, {});
  assert.ok(mergeIsNoop(merge(base({ ...changed, objectDirection: 'disabled' }))));
});

test('a conflict whose winner cannot flow keeps both sides and reports it', () => {
  const result = merge(
    base({
      fields: [field('name', { direction: 'to_prm' })],
      prm: { name: 'P' },
      sf: { name: 'S' },
      policy: { kind: 'master_system', master: 'prm' },
    }),
  );
  assert.ok(mergeIsNoop(result));
  assert.equal(result.conflicts[0]?.blockedByDirection, true);
  assert.equal(result.snapshot.name, 'Acme');
});

test('first-sync-only fields flow once, then never again', () => {
  const fields = [field('name', { firstSyncOnly: true })];
  const first = merge(base({ fields, snapshot: {}, prm: { name: 'P' }, sf: { name: null } }));
  assert.deepEqual(first.toSalesforce, { name: 'P' });
  const later = merge(base({ fields, snapshot: first.snapshot, prm: { name: 'P2' }, sf: { name: 'P' } }));
  assert.ok(mergeIsNoop(later));
  assert.equal(later.snapshot.name, 'P');
});

test('echo: applying a merge and merging again yields no writes', () => {
  const start = base({ prm: { name: 'P', phone: '1' }, sf: { name: 'Acme', phone: '7' } });
  const first = merge(start);
  const prm = { ...start.prm, ...first.toPrm };
  const sf = { ...start.sf, ...first.toSalesforce };
  const second = merge({ ...start, snapshot: first.snapshot, prm, sf });
  assert.ok(mergeIsNoop(second));
  assert.deepEqual(second.snapshot, first.snapshot);
});
