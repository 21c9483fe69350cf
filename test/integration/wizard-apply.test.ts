// The matching wizard end to end without the web layer, against the emulated org over HTTP (real jsforce)
// and a real database: Refresh Data fills the cache and pre-selects matches, decisions keep the result
// one-to-one, apply links (first-sync merge), creates on both sides and excludes, both sides then hold
// the merged values, the next sync cycle finds nothing to fix, and undo restores both sides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSyncEnv, insertOrganization, insertContact, linkFor, writeCalls, type SyncEnv } from '../helpers/sync-env.ts';
import { databaseLabel } from '../helpers/db.ts';
import { createSettingsService } from '../../middleware/settings/service.ts';
import { createSalesforceAdapter } from '../../middleware/salesforce/adapter.ts';
import { refreshWizardData } from '../../middleware/wizard/refresh.ts';
import { applyWizard } from '../../middleware/wizard/apply.ts';
import { decideAccount, decideOrganization, DecisionRefused } from '../../middleware/wizard/decisions.ts';
import { decideContact } from '../../middleware/wizard/contacts.ts';
import { undoLink, UndoRefused } from '../../middleware/wizard/undo.ts';
import { linkHistory } from '../../middleware/wizard/history.ts';
import { integrationState } from '../../middleware/sync/state.ts';
import type { WizardEnvironment } from '../../middleware/wizard/environment.ts';
import type { TaskProgress } from '../../middleware/wizard/tasks.ts';

let env: SyncEnv;
let wizard: WizardEnvironment;
const quiet: TaskProgress = { phase: () => undefined, advance: () => undefined };
type Key = 'acme' | 'beta' | 'gamma' | 'dormant' | 'jane' | 'max' | 'acmeAccount' | 'betaAccount' | 'epsilonAccount' | 'zetaAccount' | 'unflagged' | 'janeContact' | 'noEmailContact' | 'sfOnlyContact' | 'epsilonContact';
const ids = {} as Record<Key, string>;
const STATUSES = ['active', 'prospective'];

const account = (id: string) => env.emulator.org.retrieve('Account', id) as Record<string, unknown>;
const contact = (id: string) => env.emulator.org.retrieve('Contact', id) as Record<string, unknown>;
const create = (object: string, values: Record<string, unknown>) => {
  const result = env.emulator.org.create(object, values);
  assert.ok(result.success, JSON.stringify(result.errors));
  return result.id as string;
};
const organization = (id: string) => env.database.db('organizations').where({ id }).first();

before(async () => {
  env = await openSyncEnv();
  env.plan.includeInactive = false;
  const settings = createSettingsService(env.database.db);
  wizard = { db: env.database.db, loadSettings: async () => (await settings.load()).settings, session: async () => env.session, publicUrl: 'https://prm.example.com' };

  // PRM side: two partners Salesforce knows under other spellings, one it does not know, one inactive.
  ids.acme = await insertOrganization(env, { name: 'Acme Widgets GmbH', website: 'https://www.acme-widgets.de', phone: '+49 30 1234567', billing_street: 'Hauptstraße 5', billing_city: 'Berlin', billing_postal_code: '10115', billing_country: 'Germany' });
  ids.beta = await insertOrganization(env, { name: 'Beta Systems Inc.', billing_city: 'Austin', phone: '+1 512 555 0100' });
  ids.gamma = await insertOrganization(env, { name: 'Gamma Consulting Ltd', billing_city: 'Leeds' });
  ids.dormant = await insertOrganization(env, { name: 'Dormant Partners', status: 'inactive' });
  ids.jane = await insertContact(env, ids.acme, { first_name: 'Jane', last_name: 'Roe', email: 'jane@acme-widgets.de', title: null });
  ids.max = await insertContact(env, ids.acme, { first_name: 'Max', last_name: 'Mustermann', email: 'max@acme-widgets.de' });

  // Salesforce side.
  ids.acmeAccount = create('Account', { Name: 'ACME Widgets', Phone: '030 1234567', BillingStreet: 'Hauptstr. 5', BillingCity: 'Berlin', BillingCountry: 'Germany', Description: 'keeps', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
  ids.betaAccount = create('Account', { Name: 'Beta Systems', BillingCity: 'Austin', Phone: '(512) 555-0100', Website: 'beta-systems.example', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
  ids.epsilonAccount = create('Account', { Name: 'Epsilon Networks LLC', BillingCity: 'Denver', Phone: '+1 303 555 0199', PRM_Sync__c: true, PRM_Partner_Status__c: 'Distributor, Active' });
  ids.zetaAccount = create('Account', { Name: 'Zeta Unsorted', BillingCity: 'Lyon', PRM_Sync__c: true });
  ids.unflagged = create('Account', { Name: 'Gamma Consulting', BillingCity: 'Leeds', PRM_Sync__c: false });
  ids.janeContact = create('Contact', { AccountId: ids.acmeAccount, FirstName: 'Jane', LastName: 'Roe', Email: 'JANE@Acme-Widgets.de', Title: 'CEO' });
  ids.noEmailContact = create('Contact', { AccountId: ids.acmeAccount, FirstName: 'Nomail', LastName: 'Person' });
  ids.sfOnlyContact = create('Contact', { AccountId: ids.acmeAccount, FirstName: 'Sam', LastName: 'Field', Email: 'sam@acme-widgets.de' });
  ids.epsilonContact = create('Contact', { AccountId: ids.epsilonAccount, FirstName: 'Eve', LastName: 'Ops', Email: 'eve@epsilon.example' });
});
after(() => env.close());

test(`Refresh Data caches flagged accounts and their contacts and pre-selects the clear matches (${databaseLabel()})`, async () => {
  const counts: Record<string, number> = {};
  await refreshWizardData(wizard, quiet, counts);
  assert.equal(counts.accounts, 4, 'flagged accounts only');
  assert.equal(counts.contacts, 4);
  assert.equal(counts.organizations, 3, 'the inactive organization is not offered (settings do not sync it)');
  assert.ok((counts.apiCalls ?? 0) <= 2, `one streamed query each: ${counts.apiCalls}`);
  const db = env.database.db;
  assert.equal(await db('wizard_sf_accounts').where({ sf_id: ids.unflagged }).first(), undefined);
  const cached = await db('wizard_sf_accounts').where({ sf_id: ids.acmeAccount }).first();
  assert.equal(cached.norm_name, 'acme widgets');
  assert.equal(cached.norm_phone, '301234567');
  assert.equal(cached.status_value, 'Reseller, Active');
  const acme = await db('wizard_org_decisions').where({ prm_id: ids.acme }).first();
  assert.deepEqual([acme.decision, acme.sf_id, acme.origin], ['link', ids.acmeAccount, 'preselected']);
  const [top] = await db('wizard_suggestions').where({ prm_id: ids.acme }).orderBy('rank');
  assert.equal(top.sf_id, ids.acmeAccount);
  assert.ok(top.score >= 0.7, `score ${top.score}`);
  const features = typeof top.features === 'string' ? JSON.parse(top.features) : top.features;
  assert.ok(features.some((f: { feature: string; agreed: boolean; explanation: string }) => f.feature === 'phone' && f.agreed && /Same phone/.test(f.explanation)));
  const gamma = await db('wizard_org_decisions').where({ prm_id: ids.gamma }).first();
  assert.equal(gamma?.decision ?? 'undecided', 'undecided', 'no counterpart among flagged accounts');
});

test('decisions stay one-to-one and are refused with a reason', async () => {
  const db = env.database.db;
  const actor = 'admin@test';
  // Beta is linked by the admin; Epsilon is taken by no one.
  await decideOrganization(db, { prmId: ids.beta, decision: 'link', sfId: ids.betaAccount, statuses: STATUSES, actor });
  await assert.rejects(decideOrganization(db, { prmId: ids.gamma, decision: 'link', sfId: ids.betaAccount, statuses: STATUSES, actor }), (error: unknown) => error instanceof DecisionRefused && /already chosen for “Beta Systems Inc\.”/.test(error.message));
  // An admin's link takes a pre-selected account away from the organization that had it.
  const moved = await decideOrganization(db, { prmId: ids.gamma, decision: 'link', sfId: ids.acmeAccount, statuses: STATUSES, actor });
  assert.equal(moved.released, 'Acme Widgets GmbH');
  assert.equal((await db('wizard_org_decisions').where({ prm_id: ids.acme }).first()).decision, 'undecided');
  // …and back.
  await decideOrganization(db, { prmId: ids.gamma, decision: 'create_new', statuses: STATUSES, actor });
  await decideOrganization(db, { prmId: ids.acme, decision: 'link', sfId: ids.acmeAccount, statuses: STATUSES, actor });
  await assert.rejects(decideOrganization(db, { prmId: ids.dormant, decision: 'create_new', statuses: STATUSES, actor }), /does not sync|do not sync/);
  await assert.rejects(decideAccount(db, { sfId: ids.acmeAccount, decision: 'create_in_prm', categorizing: new Set(['Reseller, Active', 'Distributor, Active']), statusField: 'PRM_Partner_Status__c', actor }), /counterpart of “Acme Widgets GmbH”/);
  await assert.rejects(decideAccount(db, { sfId: ids.zetaAccount, decision: 'create_in_prm', categorizing: new Set(['Reseller, Active', 'Distributor, Active']), statusField: 'PRM_Partner_Status__c', actor }), /not categorized/);
  await decideAccount(db, { sfId: ids.epsilonAccount, decision: 'create_in_prm', categorizing: new Set(['Reseller, Active', 'Distributor, Active']), statusField: 'PRM_Partner_Status__c', actor });
  await decideAccount(db, { sfId: ids.zetaAccount, decision: 'dont_sync', categorizing: new Set(), statusField: 'PRM_Partner_Status__c', actor });
  // Contacts: Max exists only in the PRM and is kept out; the email match and Sam keep their defaults.
  await decideContact(db, { side: 'prm', recordId: ids.max, decision: 'dont_sync', actor });
  await assert.rejects(decideContact(db, { side: 'salesforce', recordId: ids.noEmailContact, decision: 'create', actor }), /cannot be synced/);
  await assert.rejects(decideContact(db, { side: 'prm', recordId: ids.jane, decision: 'create', actor }), /not a choice/);
});

test('apply links with the first-sync merge, creates on both sides, excludes, and completes the wizard', async () => {
  const db = env.database.db;
  const counts: Record<string, number> = {};
  await applyWizard(wizard, { undecidedOrganizations: 'dont_sync', undecidedAccounts: 'dont_sync', actor: 'admin@test' }, quiet, counts);
  assert.deepEqual(
    { linked: counts.organizationsLinked, created: counts.organizationsCreatedInSalesforce, inPrm: counts.accountsCreatedInPrm, excluded: counts.accountsExcluded, contactsLinked: counts.contactsLinked, contactsInPrm: counts.contactsCreatedInPrm, contactsExcluded: counts.contactsExcluded },
    { linked: 2, created: 1, inPrm: 1, excluded: 1, contactsLinked: 1, contactsInPrm: 1, contactsExcluded: 1 },
  );
  assert.equal((counts.organizationsErrors ?? 0) + (counts.accountsErrors ?? 0) + (counts.contactsErrors ?? 0), 0);
  assert.ok(await integrationState.wizardCompleted(db), 'wizard_completed_at is set');

  // Acme: both sides hold the merged values. Salesforce is master: its name and phone win where both have
  // one; the PRM's website and postal code fill Salesforce's gaps (non-empty wins).
  const acme = await organization(ids.acme);
  const acmeAccount = account(ids.acmeAccount);
  assert.equal(acme.name, 'ACME Widgets');
  assert.equal(acmeAccount.Name, 'ACME Widgets');
  assert.equal(acme.phone, '030 1234567');
  assert.equal(acmeAccount.Website, 'https://www.acme-widgets.de');
  assert.equal(acmeAccount.BillingPostalCode, '10115');
  assert.equal(acme.billing_street, 'Hauptstr. 5');
  assert.equal(acmeAccount.PRM_Id__c, ids.acme);
  assert.equal(acmeAccount.Description, 'keeps', 'unmapped fields are untouched');
  assert.equal(acmeAccount.PRM_Sys_URL__c, `https://prm.example.com/records/organizations/${ids.acme}`);
  const acmeLink = await linkFor(env, 'organization', ids.acme);
  assert.equal(acmeLink.state, 'linked');
  assert.equal(acmeLink.sf_id, ids.acmeAccount);

  // Gamma was created in Salesforce; Epsilon in the PRM; Zeta excluded; the inactive one untouched.
  const gammaLink = await linkFor(env, 'organization', ids.gamma);
  assert.equal(account(gammaLink.sf_id).Name, 'Gamma Consulting Ltd');
  assert.equal(account(gammaLink.sf_id).PRM_Sync__c, true);
  const epsilonLink = await db('sync_links').where({ object: 'organization', sf_id: ids.epsilonAccount }).first();
  const epsilon = await organization(epsilonLink.prm_id);
  assert.deepEqual([epsilon.name, epsilon.kind, epsilon.status, epsilon.billing_city], ['Epsilon Networks LLC', 'distributor', 'active', 'Denver']);
  assert.equal(account(ids.epsilonAccount).PRM_Id__c, epsilon.id);
  assert.equal((await db('sync_links').where({ object: 'organization', sf_id: ids.zetaAccount }).first()).state, 'excluded');
  assert.equal(await linkFor(env, 'organization', ids.dormant), undefined);

  // Contacts: the email match is linked (title flowed from Salesforce), Sam created in the PRM, Max excluded.
  const janeLink = await linkFor(env, 'contact', ids.jane);
  assert.equal(janeLink.sf_id, ids.janeContact);
  assert.equal((await env.database.db('contacts').where({ id: ids.jane }).first()).title, 'CEO');
  assert.equal(contact(ids.janeContact).PRM_Id__c, ids.jane);
  const sam = await db('contacts').where({ organization_id: ids.acme, email: 'sam@acme-widgets.de' }).first();
  assert.ok(sam, 'Sam was created in the PRM under Acme');
  assert.equal((await linkFor(env, 'contact', ids.max)).state, 'excluded');
  assert.equal(await db('sync_links').where({ object: 'contact', sf_id: ids.noEmailContact }).first(), undefined, 'a contact without email is not linked');

  const history = await linkHistory.forRecord(db, 'organization', ids.acme);
  assert.equal(history[0]?.action, 'link');
  assert.deepEqual(history[0]?.prmChanges.name, { before: 'Acme Widgets GmbH', after: 'ACME Widgets' });
  assert.deepEqual(history[0]?.sfChanges.Website, { before: null, after: 'https://www.acme-widgets.de' });
});

test('the first scheduled cycle after the wizard writes nothing back and creates no duplicates', async () => {
  const db = env.database.db;
  const organizationsBefore = Number((await db('organizations').count({ n: '*' }).first())?.n);
  const accountsBefore = env.emulator.org.query('SELECT Id FROM Account').totalSize;
  const first = await env.cycle();
  assert.equal(first.status, 'succeeded', first.error ?? '');
  // Epsilon's contact follows its organization (created in the PRM by the wizard) on this first run.
  assert.equal(first.counts.createdInPrm, 1, JSON.stringify(first.counts));
  assert.equal(first.counts.createdInSalesforce, 0, JSON.stringify(first.counts));
  assert.equal(first.counts.toSalesforce + first.counts.toPrm, 0, JSON.stringify(first.counts));
  assert.equal(Number((await db('organizations').count({ n: '*' }).first())?.n), organizationsBefore);
  assert.equal(env.emulator.org.query('SELECT Id FROM Account').totalSize, accountsBefore);
  const second = await env.cycle();
  assert.equal(writeCalls(second), 0, JSON.stringify(second.apiCallsByEndpoint));
});

test('undo restores both sides where nothing changed since, and removes the link', async () => {
  const db = env.database.db;
  const link = await linkFor(env, 'organization', ids.acme);
  const crm = createSalesforceAdapter(env.session, { bulkThreshold: 2000 });
  // An edit after the wizard: the phone is kept by undo, everything else goes back.
  env.emulator.org.update('Account', ids.acmeAccount, { Website: 'https://acme.example' });
  const result = await undoLink(db, crm, Number(link.id), 'admin@test');
  assert.ok(result.restoredPrm.includes('name'));
  assert.ok(result.keptSalesforce.includes('Website'), JSON.stringify(result));
  const acme = await organization(ids.acme);
  assert.equal(acme.name, 'Acme Widgets GmbH');
  assert.equal(acme.phone, '+49 30 1234567');
  const restored = account(ids.acmeAccount);
  assert.equal(restored.PRM_Id__c, null);
  assert.equal(restored.PRM_Sys_URL__c, null);
  assert.equal(restored.BillingPostalCode, null);
  assert.equal(restored.Website, 'https://acme.example', 'a later edit is kept');
  assert.equal(await linkFor(env, 'organization', ids.acme), undefined);
  assert.equal((await db('wizard_org_decisions').where({ prm_id: ids.acme }).first()).decision, 'undecided');
  assert.ok((await linkHistory.forRecord(db, 'organization', ids.acme))[0]?.undoneAt);

  const created = await linkFor(env, 'organization', ids.gamma);
  await assert.rejects(undoLink(db, crm, Number(created.id)), (error: unknown) => error instanceof UndoRefused && /deleting that record/.test(error.message));
  await assert.rejects(undoLink(db, crm, Number(link.id)), /no link/);
});
