// The minimal schedules that made the convergence property fail, one per product bug it found, kept so the
// bug stays fixed. Each runs through the same harness (fresh emulated org, emptied database, every check)
// and must come out without a single violation. README.md lists the bugs and their fixes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { openWorkerEnv, type WorkerEnv } from './harness/env.ts';
import { runSchedule } from './harness/run-schedule.ts';
import type { Schedule, Step } from './schedule/steps.ts';

let worker: WorkerEnv;
before(async () => {
  worker = await openWorkerEnv();
});
after(() => worker.close());

const quiet: Step = { op: 'cycle', faults: [] };

async function holds(steps: Step[], settings: Partial<Omit<Schedule, 'steps'>> = {}): Promise<void> {
  const schedule: Schedule = { policy: { kind: 'master_system', master: 'salesforce' }, bulkThreshold: 2000, overlapMs: 0, clockOffsetMs: 0, steps, ...settings };
  const report = await runSchedule(worker.db, schedule, { seed: 'regression', fastBackoff: true, maxQuietCycles: 5 });
  assert.deepEqual(report.violations, [], report.trace.join('\n'));
}

test(`a partner status changed in Salesforce also updates the entity type written back to Salesforce (${databaseLabel()})`, () =>
  holds([
    { op: 'prm.createOrg', kind: 'distributor', status: 'active', values: { name: 'Org 0' } },
    quiet,
    { op: 'sf.updateAccount', org: 0, field: 'partner_status', value: 'distributor:prospective' },
    quiet,
  ]));

test('a PRM deletion marks the Salesforce record with the status the record had when it was deleted', () =>
  holds([
    { op: 'prm.createOrg', kind: 'partner', status: 'inactive', values: { name: 'Org 1' } },
    quiet,
    { op: 'prm.updateOrg', org: 0, field: 'partner_status', value: 'partner:prospective' },
    { op: 'prm.deleteOrg', org: 0 },
  ]));

test('a Salesforce contact whose write-back fails is still created in the PRM, and the write-back is retried', () =>
  holds([
    {
      op: 'sf.createAccount',
      flagged: true,
      status: 'Reseller, Active',
      values: { name: 'Org 4' },
      contacts: [
        { values: { last_name: 'Last1' }, email: 'fresh' },
        { values: { last_name: 'Last2' }, email: 'fresh' },
      ],
    },
    { op: 'cycle', faults: [{ kind: 'recordFailures', object: 'Contact', api: 'collections', every: 1, times: 1, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }] },
  ]));

test('a Bulk API upsert leaves alone the fields a row does not change (empty cell, not #N/A)', () =>
  holds(
    [
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 1', phone: '+1 555 0101', website: 'w1.example', billing_city: 'City 1' } },
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 2', phone: '+1 555 0102', website: 'w2.example', billing_city: 'City 2' } },
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 3', phone: '+1 555 0103', website: 'w3.example', billing_city: 'City 3' } },
      quiet,
      { op: 'prm.updateOrg', org: 0, field: 'phone', value: '+1 555 0109' },
      { op: 'prm.updateOrg', org: 1, field: 'website', value: 'w9.example' },
      { op: 'prm.updateOrg', org: 2, field: 'billing_city', value: 'City 9' },
      quiet,
    ],
    { bulkThreshold: 2 },
  ));

test('unflagging an account disconnects its contacts too (a full reconcile finds nothing left to do)', () =>
  holds([
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 0' } },
    { op: 'prm.createContact', org: 0, values: { last_name: 'Last0' } },
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 1' } },
    { op: 'prm.createContact', org: 1, values: { last_name: 'Last1' } }, // newest contact: the cursor's re-read is this one
    quiet,
    quiet, // the Salesforce cursor now sits past both contacts
    { op: 'sf.unflag', org: 0 },
    quiet,
  ]));

test('a Salesforce record left by an interrupted run, whose PRM record was then deleted, is marked deleted (no endless retry)', () =>
  holds([
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 1' } },
    quiet,
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 2' } },
    { op: 'prm.deleteOrg', org: 0 },
    // The new account's upsert succeeds; the deletion mark's update then fails for good: the run stops before committing.
    { op: 'cycle', faults: [{ kind: 'http', status: 503, target: 'collections.update', times: 8, after: 0 }] },
    { op: 'prm.deleteOrg', org: 0 },
  ]));

test('a PRM record deleted while its creation in Salesforce waits for a retry leaves no retry behind', () =>
  holds([
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 0' } },
    { op: 'prm.createContact', org: 0, values: { last_name: 'Last0' } },
    { op: 'cycle', faults: [{ kind: 'recordFailures', object: 'Contact', api: 'collections', every: 1, times: 1, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }] },
    { op: 'prm.deleteContact', contact: 0 },
  ]));

test('PRM contacts skipped while their organization had no account sync once it gets one, even if that run stops early', () =>
  holds(
    [
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 0' } },
      { op: 'prm.createContact', org: 0, values: { last_name: 'Last0' } },
      // The organization's creation fails: its contact is skipped, and the PRM cursor passes it.
      { op: 'cycle', faults: [{ kind: 'recordFailures', object: 'Account', api: 'collections', every: 1, times: 1, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }] },
      // The retry creates the account; the run then stops at the contacts' first query.
      { op: 'cycle', faults: [{ kind: 'apiLimit', target: 'query', after: 1 }] },
    ],
    { clockOffsetMs: 3_600_000 },
  ));

test('a PRM edit made after a run wrote to Salesforce but died before committing is not lost (write-ahead)', () =>
  holds([
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 1', phone: '+1 555 0100' } },
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 2' } },
    quiet,
    quiet, // the Salesforce cursor now sits past Org 1: its next write goes through the PRM pass
    { op: 'prm.updateOrg', org: 0, field: 'phone', value: '+1 555 0101' },
    { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 3', phone: '+1 555 0103' } },
    { op: 'prm.deleteOrg', org: 1 },
    // The upserts (the phone, the new account) reach Salesforce; the deletion mark's update then fails for
    // good and the run stops before its commit, like a crash in between.
    { op: 'cycle', faults: [{ kind: 'http', status: 503, target: 'collections.update', times: 8, after: 0 }] },
    { op: 'prm.updateOrg', org: 0, field: 'phone', value: '+1 555 0102' },
    { op: 'prm.updateOrg', org: 1, field: 'phone', value: '+1 555 0104' },
  ]));

test('re-flagging an account relinks its contacts (the relink is not lost between planning and writing)', () =>
  holds(
    [
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 3' } },
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 4' } },
      { op: 'prm.createContact', org: 0, values: { last_name: 'Last3' } },
      { op: 'prm.createContact', org: 1, values: { last_name: 'Last0' } },
      quiet,
      { op: 'sf.unflag', org: 0 },
      quiet,
      { op: 'sf.flag', org: 0 },
    ],
    { clockOffsetMs: 3_600_000 },
  ));

test('contacts a Bulk API write-back could not lock are written again in the same run', () =>
  holds(
    [
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 0' } },
      quiet,
      { op: 'sf.createContact', org: 0, values: { last_name: 'Last0' }, email: 'fresh' },
      {
        op: 'sf.createAccount',
        flagged: true,
        status: 'Reseller, Active',
        values: { name: 'Org 1' },
        contacts: [
          { values: { last_name: 'Last1' }, email: 'fresh' },
          { values: { last_name: 'Last2' }, email: 'fresh' },
        ],
      },
      // The three PRM-id write-backs go as one Bulk job; the first row is locked.
      { op: 'cycle', faults: [{ kind: 'recordFailures', object: 'Contact', api: 'any', every: 1, times: 1, code: 'UNABLE_TO_LOCK_ROW' }] },
    ],
    { bulkThreshold: 2 },
  ));

test('a contact whose creation waits for a retry is created once its deleted account is undeleted', () =>
  holds(
    [
      { op: 'prm.createOrg', kind: 'partner', status: 'active', values: { name: 'Org 0' } },
      { op: 'prm.createContact', org: 0, values: { last_name: 'Last0' } },
      { op: 'cycle', faults: [{ kind: 'recordFailures', object: 'Contact', api: 'collections', every: 1, times: 1, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }] },
      { op: 'sf.deleteAccount', org: 0 },
      quiet,
      { op: 'sf.undeleteAccount', org: 0 },
      { op: 'prm.createContact', org: 0, values: { last_name: 'Last0' } },
    ],
    { policy: { kind: 'last_modified_wins', master: 'salesforce' } },
  ));
