// Bad Salesforce data arriving through a sync cycle: text the PRM's columns cannot hold (too long, NUL),
// Unicode that must arrive intact, picklist values the settings do not map, malformed emails, and two
// records carrying one PRM id. Each case prepares the org (and what is linked), runs one cycle, and
// expects the record created exactly, or not created / kept as it was with a log row saying why and what
// to do. Every cycle succeeds, nothing else changes on either side, and a following cycle is quiet.
import assert from 'node:assert/strict';
import type { LogCode } from '../../../middleware/log/catalogue.ts';
import { linkFor, writeCalls } from '../../helpers/sync-env.ts';
import { assertUnchanged, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';
import { flaggedAccount, openSyncWorld, SYNC_TABLES, type SyncWorld } from './sync-world.ts';

type SyncObject = 'organization' | 'contact';
/** The Salesforce record a case is about, and the PRM record it is linked to, if any. */
interface Subject {
  object: SyncObject;
  sfId: string;
  prmId?: string;
}
type LogExpectation = { code: LogCode; message: RegExp };
type Expectation =
  | { created: Record<string, unknown>; log?: LogExpectation }
  | { notCreated: LogExpectation }
  | { kept: Record<string, unknown>; log: LogExpectation; retriedLater?: true };

export interface SyncCase extends NamedCase {
  /** Prepares the org (running set-up cycles where the case needs a linked record) and names the subject. */
  input: (world: SyncWorld) => Promise<Subject>;
  expect: Expectation;
}

const account = (object: SyncObject, sfId: string, prmId?: string): Subject => ({ object, sfId, prmId });
const newAccount = async (world: SyncWorld, values: Record<string, unknown>) => account('organization', flaggedAccount(world, values));
const newContact = async (world: SyncWorld, values: Record<string, unknown>) => account('contact', world.create('Contact', { AccountId: world.home.account, LastName: 'Lee', ...values }));
const forcedContact = async (world: SyncWorld, values: Record<string, unknown>) => {
  const subject = await newContact(world, { Email: `forced.${Date.now()}@acme.example` });
  world.force('Contact', subject.sfId, values);
  return subject;
};
/** A flagged account the PRM already holds (one set-up cycle), then changed in Salesforce. */
async function linkedAccount(world: SyncWorld, values: Record<string, unknown>, change: (sfId: string) => void): Promise<Subject> {
  const sfId = flaggedAccount(world, values);
  assert.equal((await world.env.cycle()).status, 'succeeded');
  const prmId = String((await world.env.database.db('sync_links').where({ object: 'organization', sf_id: sfId }).first()).prm_id);
  await world.env.cycle(); // the echo of the write-back
  change(sfId);
  return account('organization', sfId, prmId);
}

const RTL = '🚀 شركة الاختبار ‏(القاهرة)‏ Ünïcødé 𝔘';
const SCRIPT = '<script>alert(1)</script> {{constructor}} & Co';
const LONG_NAME = `Long ${'n'.repeat(295)}`;
const tooLong = (field: string, length: number, limit: number): LogExpectation => ({ code: 'VALUE_TOO_LONG', message: new RegExp(`The Salesforce value of ${field.replace('.', '\\.')} has ${length} characters, more than the ${limit} the PRM's \\w+ holds; it was not taken`) });

export const SYNC_CASES: readonly SyncCase[] = [
  // Text that must arrive exactly.
  { name: 'emojis and right-to-left text in an account name', input: (w) => newAccount(w, { Name: RTL, BillingCity: 'القاهرة' }), expect: { created: { name: RTL, billing_city: 'القاهرة' } } },
  { name: 'control characters (BEL, US, DEL) in an account name', input: (w) => newAccount(w, { Name: 'Ctl\u0007\u001f\u007f Corp' }), expect: { created: { name: 'Ctl\u0007\u001f\u007f Corp' } } },
  { name: '<script> and {{ }} in an account name', input: (w) => newAccount(w, { Name: SCRIPT }), expect: { created: { name: SCRIPT } } },
  // NUL: PostgreSQL cannot store it. It used to fail the log insert and with it every run, forever.
  { name: 'NUL in an account name: created without it', input: (w) => newAccount(w, { Name: 'Nul\u0000 Corp', Phone: '+1\u0000 555' }), expect: { created: { name: 'Nul Corp', phone: '+1 555' } } },
  { name: 'NUL in a contact first name: created without it', input: (w) => newContact(w, { FirstName: 'A\u0000nn', Email: 'ann.nul@acme.example' }), expect: { created: { first_name: 'Ann', email: 'ann.nul@acme.example' } } },
  // Longer than the PRM column (the org's validation bypassed: no API accepts it, the sync must survive it).
  { name: 'account name of 300 characters: not created, logged', input: async (w) => { const subject = await newAccount(w, { Name: 'Short' }); w.force('Account', subject.sfId, { Name: LONG_NAME }); return subject; }, expect: { notCreated: tooLong('Account.Name', 300, 255) } },
  { name: 'linked account renamed to 300 characters: name kept, the phone changed with it syncs', input: (w) => linkedAccount(w, { Name: 'Rename Me Ltd', Phone: '1' }, (sfId) => w.force('Account', sfId, { Name: LONG_NAME, Phone: '+44 20 7946 0000' })), expect: { kept: { name: 'Rename Me Ltd', phone: '+44 20 7946 0000' }, log: tooLong('Account.Name', 300, 255) } },
  { name: 'contact first name of 150 characters: created without it, logged', input: (w) => forcedContact(w, { FirstName: 'F'.repeat(150) }), expect: { created: { first_name: null, last_name: 'Lee' }, log: tooLong('Contact.FirstName', 150, 100) } },
  { name: 'contact last name of 150 characters: not created (never replaced by the email), logged', input: (w) => forcedContact(w, { LastName: 'L'.repeat(150) }), expect: { notCreated: tooLong('Contact.LastName', 150, 100) } },
  // Picklist values the settings do not map.
  { name: 'unknown PRM_Partner_Status__c value on a new account', input: async (w) => { const subject = await newAccount(w, { Name: 'Gold Tier Inc' }); w.force('Account', subject.sfId, { PRM_Partner_Status__c: 'Reseller, Gold' }); return subject; }, expect: { notCreated: { code: 'ACCOUNT_NOT_CATEGORIZED', message: /"Gold Tier Inc" is flagged "Sync with PRM" but its partner status "Reseller, Gold" does not say whether it is a reseller or a distributor/ } } },
  { name: 'wrong-case PRM_Partner_Status__c value on a new account', input: async (w) => { const subject = await newAccount(w, { Name: 'Lower Case Inc' }); w.force('Account', subject.sfId, { PRM_Partner_Status__c: 'reseller, active' }); return subject; }, expect: { notCreated: { code: 'ACCOUNT_NOT_CATEGORIZED', message: /partner status "reseller, active"/ } } },
  { name: 'linked account given an unknown status value: kind and status kept', input: (w) => linkedAccount(w, { Name: 'Platinum Partners', PRM_Partner_Status__c: 'Distributor, Active' }, (sfId) => w.force('Account', sfId, { PRM_Partner_Status__c: 'Reseller, Platinum' })), expect: { kept: { kind: 'distributor', status: 'active' }, log: { code: 'PICKLIST_VALUE_UNMAPPED', message: /The Salesforce value "Reseller, Platinum" of PRM_Partner_Status__c has no counterpart in the picklist value map/ } } },
  // Emails on contacts.
  { name: 'contact email in mixed case: stored lower-cased, nothing written back', input: (w) => newContact(w, { Email: 'MiXed.Case@Acme.Example' }), expect: { created: { email: 'mixed.case@acme.example' } } },
  { name: 'contact email Salesforce accepts but the PRM API would refuse (double dot)', input: (w) => newContact(w, { Email: 'jane..doe@acme.example' }), expect: { created: { email: 'jane..doe@acme.example' } } },
  { name: 'malformed contact email held by Salesforce: stored exactly', input: (w) => forcedContact(w, { Email: 'not an email' }), expect: { created: { email: 'not an email' } } },
  { name: 'contact without an email: not created, logged', input: (w) => newContact(w, { LastName: 'Nomail' }), expect: { notCreated: { code: 'CONTACT_NO_EMAIL', message: /Salesforce contact "Nomail" has no email address and cannot sync/ } } },
  // Two Salesforce records carrying one PRM id (the unique index bypassed, as after a data load).
  {
    name: 'a second account carrying a linked PRM id: left alone, logged',
    input: async (w) => {
      const original = await linkedAccount(w, { Name: 'Original Twin' }, () => undefined);
      const twin = flaggedAccount(w, { Name: 'Copied Twin' });
      w.force('Account', twin, { PRM_Id__c: original.prmId });
      return account('organization', twin);
    },
    expect: { notCreated: { code: 'DUPLICATE_PRM_ID', message: /The Salesforce Account "Copied Twin" carries the PRM id [0-9a-f-]{36}, which belongs to the linked Account \w{18}; it was left alone/ } },
  },
  {
    name: 'a PRM edit of a record whose PRM id two accounts carry: kept in the PRM, refused by Salesforce, logged',
    input: async (w) => {
      const original = await linkedAccount(w, { Name: 'Edited Twin' }, () => undefined);
      w.force('Account', flaggedAccount(w, { Name: 'Edited Twin (copy)' }), { PRM_Id__c: original.prmId });
      await w.env.cycle(); // the copy is seen (and left alone)
      await w.app.prm.organizations.update(String(original.prmId), { website: 'https://twin.example' });
      return original;
    },
    expect: { kept: { website: 'https://twin.example', name: 'Edited Twin' }, log: { code: 'SF_WRITE_FAILED', message: /DUPLICATE_EXTERNAL_ID — PRM_Id__c: more than one record found/ }, retriedLater: true },
  },
];

const pick = (row: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, row[key] ?? null]));
const TABLE = { organization: 'organizations', contact: 'contacts' } as const;

async function runSyncCase(world: SyncWorld, testCase: SyncCase): Promise<void> {
  const db = world.env.database.db;
  const subject = await testCase.input(world);
  const before = await snapshot(db, SYNC_TABLES);
  const bystander = [world.record('Account', world.bystander.account), world.record('Contact', world.bystander.contact)];
  const summary = await world.env.cycle();
  assert.equal(summary.status, 'succeeded', summary.error ?? '');
  const runLog = await db('integration_log').where({ run_id: summary.runId });
  assert.deepEqual(runLog.filter((row) => ['RUN_FAILED', 'PRM_WRITE_FAILED'].includes(row.code)), [], 'no failed run, no refused PRM write');
  const expect = testCase.expect;
  const logged = 'notCreated' in expect ? expect.notCreated : expect.log;
  if (logged) {
    const rows = runLog.filter((row) => row.code === logged.code && row.sf_id === subject.sfId);
    assert.equal(rows.length, 1, `one ${logged.code} row: ${JSON.stringify(runLog.map((r) => `${r.code} ${r.message}`))}`);
    assert.match(rows[0].message, logged.message);
    assert.ok(rows[0].suggestion, 'the row says what to do');
  }

  const link = await db('sync_links').where({ object: subject.object, sf_id: subject.sfId }).first();
  const except = new Set<string>();
  if ('notCreated' in expect) assert.equal(link, undefined, 'no PRM record is linked to it');
  else {
    const prmId = subject.prmId ?? link?.prm_id;
    assert.ok(prmId, 'linked to a PRM record');
    const row = await db(TABLE[subject.object]).where({ id: prmId }).first();
    const wanted = 'created' in expect ? expect.created : expect.kept;
    assert.deepEqual(pick(row, Object.keys(wanted)), wanted, 'the PRM record holds exactly this');
    const read = await world.app.inject({ method: 'GET', url: `/api/v1/${TABLE[subject.object]}/${prmId}`, headers: { authorization: `Bearer ${world.app.config.apiToken}` } });
    assert.deepEqual(pick(read.json(), Object.keys(wanted)), wanted, 'and the API reads it back the same');
    except.add(String(prmId));
    for (const row of await db('sync_links').where({ prm_id: prmId })) except.add(String(row.id));
  }
  assertUnchanged(before, await snapshot(db, SYNC_TABLES), testCase.name, { except, allowNew: 'created' in expect });
  assert.deepEqual([world.record('Account', world.bystander.account), world.record('Contact', world.bystander.contact)], bystander, 'the bystander was not written to in Salesforce');
  if ('kept' in expect && expect.retriedLater) return;
  const quiet = await world.env.cycle();
  assert.equal(writeCalls(quiet) + quiet.counts.toPrm + quiet.counts.createdInPrm, 0, `the next cycle is quiet: ${JSON.stringify(quiet.counts)}`);
  if ('created' in expect) assert.equal((await linkFor(world.env, subject.object, String(link?.prm_id))).needs_retry, false);
}

export const syncGroup: CaseGroup<SyncWorld, SyncCase> = {
  area: 'Salesforce data through a sync cycle',
  cases: SYNC_CASES,
  open: openSyncWorld,
  run: runSyncCase,
  app: (world) => world.app,
  close: (world) => world.close(),
};
