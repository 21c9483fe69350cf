// The world a wizard crash scenario applies: PRM organizations and Salesforce accounts that the admin links
// (with values that differ on both sides, so the first-sync merge writes both), creates on the other side
// or keeps out, their contacts (email matches, one-sided ones, ones kept out, one without email), and
// records the settings leave alone. Refresh Data runs in-process, then every decision is made explicitly,
// as an admin would on the pages. What both sides held before Apply is kept, for the undo check.
import type { Knex } from 'knex';
import fc from 'fast-check';
import { createSettingsService } from '../../../middleware/settings/service.ts';
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { categorizingValues, decideAccount, decideOrganization } from '../../../middleware/wizard/decisions.ts';
import { decideContact } from '../../../middleware/wizard/contacts.ts';
import { eligibleStatuses, loadPlan, type WizardEnvironment } from '../../../middleware/wizard/environment.ts';
import { refreshWizardData } from '../../../middleware/wizard/refresh.ts';
import type { RunningEmulator } from '../../sf-emulator/index.ts';

export interface WizardPair {
  orgId: string;
  accountId: string;
  /** PRM contact id → Salesforce contact id (same email, other case). */
  matches: Array<{ prmId: string; sfId: string }>;
  prmOnly: string[];
  sfOnly: string[];
  prmKeptOut: string[];
  sfKeptOut: string[];
  sfWithoutEmail: string[];
}

export interface WizardWorld {
  pairs: WizardPair[];
  /** PRM organizations created in Salesforce, with the PRM contacts the first sync cycle then creates. */
  createNew: Array<{ orgId: string; contacts: string[] }>;
  /** Salesforce accounts created in the PRM, with the Salesforce contacts the first sync cycle then creates. */
  createInPrm: Array<{ accountId: string; contacts: string[] }>;
  orgKeptOut: string[];
  accountKeptOut: string[];
  /** Out of the wizard's reach: an inactive organization (the settings do not sync it), an unflagged account. */
  untouchedOrgs: string[];
  untouchedAccounts: string[];
}

export type RecordImage = Record<string, unknown>;

/** Both sides as they were before Apply, by id. */
export interface BeforeApply {
  prm: { organization: Map<string, RecordImage>; contact: Map<string, RecordImage> };
  sf: { organization: Map<string, RecordImage>; contact: Map<string, RecordImage> };
}

const ACTOR = 'admin@crash.test';
const WORDS = ['Harbor', 'Summit', 'Juniper', 'Cobalt', 'Meridian', 'Falcon', 'Orchid', 'Granite', 'Lantern', 'Willow', 'Quartz', 'Beacon'];

function created(result: { success: boolean; id: string | null; errors: unknown[] }): string {
  if (!result.success || !result.id) throw new Error(`emulator refused a seed record: ${JSON.stringify(result.errors)}`);
  return result.id;
}

const shape = fc.record({ pairs: fc.integer({ min: 2, max: 4 }), createNew: fc.integer({ min: 2, max: 3 }), createInPrm: fc.integer({ min: 2, max: 3 }), offset: fc.nat({ max: WORDS.length - 1 }) });

export async function seedWizardWorld(db: Knex, emulator: RunningEmulator, seed: number): Promise<WizardWorld> {
  const [drawn] = fc.sample(shape, { seed, numRuns: 1 });
  if (!drawn) throw new Error('no world drawn');
  const org = emulator.org;
  let n = drawn.offset;
  const word = () => `${WORDS[n % WORDS.length]} ${Math.floor(n++ / WORDS.length) + 1}`;
  const insertOrg = async (values: Record<string, unknown>) => String((await db('organizations').insert({ kind: 'partner', status: 'active', ...values }).returning('id'))[0].id);
  const insertContact = async (organizationId: string, values: Record<string, unknown>) => String((await db('contacts').insert({ organization_id: organizationId, ...values }).returning('id'))[0].id);
  const account = (values: Record<string, unknown>) => created(org.create('Account', { PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active', ...values }));
  const contact = (accountId: string, values: Record<string, unknown>) => created(org.create('Contact', { AccountId: accountId, ...values }));

  const world: WizardWorld = { pairs: [], createNew: [], createInPrm: [], orgKeptOut: [], accountKeptOut: [], untouchedOrgs: [], untouchedAccounts: [] };
  for (let i = 0; i < drawn.pairs; i++) {
    const name = word();
    const domain = `${name.toLowerCase().replace(/\W+/g, '-')}.example`;
    // Salesforce is the master: its name and phone win; the PRM's website and postal code fill its gaps,
    // its city fills the PRM's. Both sides change.
    const orgId = await insertOrg({ name: `${name} GmbH`, website: `https://www.${domain}`, phone: `+49 30 55${i}00`, billing_postal_code: `1011${i}` });
    const accountId = account({ Name: name.toUpperCase(), Phone: `030 55${i}00`, BillingCity: 'Berlin', Description: 'not mapped: left alone' });
    const pair: WizardPair = { orgId, accountId, matches: [], prmOnly: [], sfOnly: [], prmKeptOut: [], sfKeptOut: [], sfWithoutEmail: [] };
    const prmJane = await insertContact(orgId, { first_name: 'Jane', last_name: `Roe ${i}`, email: `jane@${domain}` });
    pair.matches.push({ prmId: prmJane, sfId: contact(accountId, { FirstName: 'Jane', LastName: `Roe ${i}`, Email: `JANE@${domain.toUpperCase()}`, Title: 'CEO' }) });
    pair.prmOnly.push(await insertContact(orgId, { first_name: 'Max', last_name: `Moe ${i}`, email: `max@${domain}`, phone: '+49 30 1' }));
    pair.sfOnly.push(contact(accountId, { FirstName: 'Sam', LastName: `Field ${i}`, Email: `sam@${domain}`, Title: 'CTO' }));
    if (i === 0) pair.prmKeptOut.push(await insertContact(orgId, { first_name: 'Kim', last_name: 'Out', email: `kim@${domain}` }));
    if (i === 1) pair.sfKeptOut.push(contact(accountId, { FirstName: 'Lou', LastName: 'Out', Email: `lou@${domain}` }));
    if (i === 1) pair.sfWithoutEmail.push(contact(accountId, { FirstName: 'No', LastName: 'Mail' }));
    world.pairs.push(pair);
  }
  for (let i = 0; i < drawn.createNew; i++) {
    const orgId = await insertOrg({ name: `${word()} Consulting Ltd`, billing_city: 'Leeds', kind: i === 0 ? 'distributor' : 'partner' });
    world.createNew.push({ orgId, contacts: i === 0 ? [await insertContact(orgId, { first_name: 'Ada', last_name: 'New', email: `ada${i}@new.example` })] : [] });
  }
  for (let i = 0; i < drawn.createInPrm; i++) {
    const accountId = account({ Name: `${word()} Networks LLC`, BillingCity: 'Denver', PRM_Partner_Status__c: i === 0 ? 'Distributor, Active' : 'Reseller, Prospective' });
    world.createInPrm.push({ accountId, contacts: i === 0 ? [contact(accountId, { FirstName: 'Eve', LastName: 'Ops', Email: `eve${i}@networks.example` })] : [] });
  }
  world.orgKeptOut.push(await insertOrg({ name: `${word()} Kept Out`, billing_city: 'Paris' }));
  world.accountKeptOut.push(account({ Name: `${word()} Not Synced`, BillingCity: 'Lyon' }));
  world.untouchedOrgs.push(await insertOrg({ name: `${word()} Dormant`, status: 'inactive' }));
  world.untouchedAccounts.push(account({ Name: `${word()} Unflagged`, PRM_Sync__c: false }));
  return world;
}

export function wizardEnvironment(db: Knex, emulator: RunningEmulator): WizardEnvironment {
  const settings = createSettingsService(db);
  return {
    db,
    loadSettings: async () => (await settings.load()).settings,
    session: () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken }),
    publicUrl: 'https://prm.example.com',
  };
}

/** Refresh Data, then every decision made explicitly (organizations before accounts: a link reserves its account). */
export async function decideEverything(env: WizardEnvironment, world: WizardWorld): Promise<void> {
  const quiet = { phase: () => undefined, advance: () => undefined };
  await refreshWizardData(env, quiet, {});
  const plan = await loadPlan(env);
  const statuses = eligibleStatuses(plan);
  const { db } = env;
  for (const pair of world.pairs) await decideOrganization(db, { prmId: pair.orgId, decision: 'link', sfId: pair.accountId, statuses, actor: ACTOR });
  for (const { orgId } of world.createNew) await decideOrganization(db, { prmId: orgId, decision: 'create_new', statuses, actor: ACTOR });
  for (const orgId of world.orgKeptOut) await decideOrganization(db, { prmId: orgId, decision: 'dont_sync', statuses, actor: ACTOR });
  const statusField = plan.organizations.fields.find((f) => f.key === 'partner_status')?.sfField ?? 'PRM_Partner_Status__c';
  const categorizing = categorizingValues(Object.values((await env.loadSettings()).organizations.statusValues).flatMap((values) => Object.values(values).map((sf) => ({ sf }))));
  for (const { accountId } of world.createInPrm) await decideAccount(db, { sfId: accountId, decision: 'create_in_prm', categorizing, statusField, actor: ACTOR });
  for (const accountId of world.accountKeptOut) await decideAccount(db, { sfId: accountId, decision: 'dont_sync', categorizing, statusField, actor: ACTOR });
  for (const pair of world.pairs) {
    // One match is confirmed by hand (an admin decision, marked applied), the rest keep their defaults.
    const first = pair.matches[0];
    if (first) await decideContact(db, { side: 'prm', recordId: first.prmId, decision: 'link', actor: ACTOR });
    for (const id of pair.prmKeptOut) await decideContact(db, { side: 'prm', recordId: id, decision: 'dont_sync', actor: ACTOR });
    for (const id of pair.sfKeptOut) await decideContact(db, { side: 'salesforce', recordId: id, decision: 'dont_sync', actor: ACTOR });
  }
}

/** Salesforce fields that are the org's bookkeeping, not values anyone (or the wizard) sets. */
export const SF_SYSTEM_FIELDS = new Set(['Id', 'attributes', 'IsDeleted', 'SystemModstamp', 'LastModifiedDate', 'LastModifiedById', 'CreatedDate', 'CreatedById', 'LastActivityDate', 'LastViewedDate', 'LastReferencedDate', 'PhotoUrl']);
/** PRM columns the writes themselves bump. */
export const PRM_BOOKKEEPING = new Set(['version', 'created_at', 'updated_at', 'change_seq']);

export async function captureBefore(db: Knex, emulator: RunningEmulator): Promise<BeforeApply> {
  const before: BeforeApply = { prm: { organization: new Map(), contact: new Map() }, sf: { organization: new Map(), contact: new Map() } };
  for (const row of await db('organizations').select('*')) before.prm.organization.set(String(row.id), row);
  for (const row of await db('contacts').select('*')) before.prm.contact.set(String(row.id), row);
  for (const [object, sfObject] of [['organization', 'Account'], ['contact', 'Contact']] as const) {
    for (const { Id } of emulator.org.query(`SELECT Id FROM ${sfObject}`).records) {
      const record = emulator.org.retrieve(sfObject, String(Id));
      if (record) before.sf[object].set(String(Id), record);
    }
  }
  return before;
}
