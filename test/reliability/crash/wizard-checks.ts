// What must hold once the wizard's Apply got through after its kills: every decision applied exactly once
// (one link per decision, of the right kind, nothing pending; one history row per link), nothing twice on
// either side, the wizard marked complete only after all of it; then the first sync cycles find nothing to
// write back, and undoing every link gives both sides back exactly what they held before Apply.
import type { Knex } from 'knex';
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../../middleware/salesforce/adapter.ts';
import { createSettingsService } from '../../../middleware/settings/service.ts';
import { runSyncCycle, type CycleSummary } from '../../../middleware/sync/cycle.ts';
import { syncPlanFromSettings } from '../../../middleware/sync/plan-from-settings.ts';
import { integrationState, STATE_KEYS } from '../../../middleware/sync/state.ts';
import { comparable } from '../../../middleware/wizard/history.ts';
import { undoLink } from '../../../middleware/wizard/undo.ts';
import type { RunningEmulator } from '../../sf-emulator/index.ts';
import { PRM_BOOKKEEPING, SF_SYSTEM_FIELDS, type BeforeApply, type RecordImage, type WizardWorld } from './wizard-world.ts';

type SyncObject = 'organization' | 'contact';
interface LinkRow {
  id: number;
  object: SyncObject;
  prm_id: string | null;
  sf_id: string | null;
  state: string;
  needs_retry: boolean;
  pending: unknown;
}
interface Expected {
  object: SyncObject;
  label: string;
  prmId?: string;
  sfId?: string;
  state: 'linked' | 'excluded';
  action: 'link' | 'create_in_salesforce' | 'create_in_prm' | 'exclude';
}

const SF_OBJECT = { organization: 'Account', contact: 'Contact' } as const;

/** One decision per record the wizard decided on, with the link and history row it must end as. */
function expectations(world: WizardWorld): Expected[] {
  const out: Expected[] = [];
  for (const [i, pair] of world.pairs.entries()) {
    out.push({ object: 'organization', label: `pair ${i + 1}`, prmId: pair.orgId, sfId: pair.accountId, state: 'linked', action: 'link' });
    for (const m of pair.matches) out.push({ object: 'contact', label: `pair ${i + 1} email match`, prmId: m.prmId, sfId: m.sfId, state: 'linked', action: 'link' });
    for (const id of pair.prmOnly) out.push({ object: 'contact', label: `pair ${i + 1} PRM-only contact`, prmId: id, state: 'linked', action: 'create_in_salesforce' });
    for (const id of pair.sfOnly) out.push({ object: 'contact', label: `pair ${i + 1} Salesforce-only contact`, sfId: id, state: 'linked', action: 'create_in_prm' });
    for (const id of pair.prmKeptOut) out.push({ object: 'contact', label: `pair ${i + 1} PRM contact kept out`, prmId: id, state: 'excluded', action: 'exclude' });
    for (const id of pair.sfKeptOut) out.push({ object: 'contact', label: `pair ${i + 1} Salesforce contact kept out`, sfId: id, state: 'excluded', action: 'exclude' });
  }
  for (const [i, c] of world.createNew.entries()) out.push({ object: 'organization', label: `create-new ${i + 1}`, prmId: c.orgId, state: 'linked', action: 'create_in_salesforce' });
  for (const [i, c] of world.createInPrm.entries()) out.push({ object: 'organization', label: `create-in-PRM ${i + 1}`, sfId: c.accountId, state: 'linked', action: 'create_in_prm' });
  for (const id of world.orgKeptOut) out.push({ object: 'organization', label: 'organization kept out', prmId: id, state: 'excluded', action: 'exclude' });
  for (const id of world.accountKeptOut) out.push({ object: 'organization', label: 'account kept out', sfId: id, state: 'excluded', action: 'exclude' });
  return out;
}

function sfRecords(emulator: RunningEmulator, object: SyncObject): Array<Record<string, unknown>> {
  return emulator.org.query(`SELECT Id, PRM_Id__c FROM ${SF_OBJECT[object]}`).records;
}

/** Nothing twice on either side: one Salesforce record per PRM id, one PRM record per Salesforce record. */
async function duplicates(db: Knex, emulator: RunningEmulator, world: WizardWorld, before: BeforeApply, when: string): Promise<string[]> {
  const problems: string[] = [];
  for (const object of ['organization', 'contact'] as const) {
    const byPrmId = new Map<string, number>();
    for (const record of sfRecords(emulator, object)) if (record.PRM_Id__c) byPrmId.set(String(record.PRM_Id__c), (byPrmId.get(String(record.PRM_Id__c)) ?? 0) + 1);
    for (const [prmId, count] of byPrmId) if (count > 1) problems.push(`${when}: ${count} Salesforce ${SF_OBJECT[object]} records carry PRM id ${prmId}`);
  }
  const contactsOfCreated = (list: Array<{ contacts: string[] }>) => list.reduce((sum, c) => sum + c.contacts.length, 0);
  const afterCycle = when !== 'after Apply';
  const want = {
    prmOrganizations: before.prm.organization.size + world.createInPrm.length,
    prmContacts: before.prm.contact.size + world.pairs.reduce((sum, p) => sum + p.sfOnly.length, 0) + (afterCycle ? contactsOfCreated(world.createInPrm) : 0),
    accounts: before.sf.organization.size + world.createNew.length,
    sfContacts: before.sf.contact.size + world.pairs.reduce((sum, p) => sum + p.prmOnly.length, 0) + (afterCycle ? contactsOfCreated(world.createNew) : 0),
  };
  const count = async (table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: string | number }).n);
  const got = { prmOrganizations: await count('organizations'), prmContacts: await count('contacts'), accounts: sfRecords(emulator, 'organization').length, sfContacts: sfRecords(emulator, 'contact').length };
  for (const key of Object.keys(want) as Array<keyof typeof want>) if (got[key] !== want[key]) problems.push(`${when}: ${got[key]} ${key}, expected ${want[key]}`);
  return problems;
}

export async function checkApplied(db: Knex, emulator: RunningEmulator, world: WizardWorld, before: BeforeApply): Promise<string[]> {
  const problems: string[] = [];
  if (!(await integrationState.wizardCompleted(db))) problems.push('the wizard is not marked complete');
  problems.push(...(await unappliedDecisions(db)));
  const links = (await db('sync_links').select('*')) as LinkRow[];
  const byPrm = new Map<string, LinkRow[]>();
  const bySf = new Map<string, LinkRow[]>();
  for (const link of links) {
    if (link.prm_id) byPrm.set(`${link.object}:${link.prm_id}`, [...(byPrm.get(`${link.object}:${link.prm_id}`) ?? []), link]);
    if (link.sf_id) bySf.set(`${link.object}:${link.sf_id}`, [...(bySf.get(`${link.object}:${link.sf_id}`) ?? []), link]);
    if (link.state === 'linked' && (link.pending !== null || link.needs_retry || !link.prm_id || !link.sf_id)) problems.push(`link ${link.id} (${link.object}) is unfinished: ${JSON.stringify({ prm: link.prm_id, sf: link.sf_id, needsRetry: link.needs_retry, pending: link.pending })}`);
  }
  for (const [key, list] of [...byPrm, ...bySf]) if (list.length > 1) problems.push(`${list.length} links for ${key}`);
  const history = (await db('wizard_link_history').select('id', 'link_id', 'action', 'undone_at')) as Array<{ id: number; link_id: number | null; action: string; undone_at: Date | null }>;
  const historyOf = new Map<number, typeof history>();
  for (const row of history) {
    if (row.link_id === null) problems.push(`history row ${row.id} (${row.action}) belongs to no link`);
    else historyOf.set(Number(row.link_id), [...(historyOf.get(Number(row.link_id)) ?? []), row]);
  }
  const expected = expectations(world);
  for (const want of expected) {
    const found = want.prmId ? byPrm.get(`${want.object}:${want.prmId}`) : bySf.get(`${want.object}:${want.sfId}`);
    const link = found?.[0];
    if (!link) {
      problems.push(`${want.label}: no link`);
      continue;
    }
    if (link.state !== want.state || (want.prmId && want.sfId && link.sf_id !== want.sfId)) problems.push(`${want.label}: link ${JSON.stringify({ state: link.state, sf: link.sf_id })}, expected ${want.state} to ${want.sfId ?? 'a new record'}`);
    const rows = historyOf.get(Number(link.id)) ?? []; // bigint: a string from pg, a number from PGlite
    if (rows.length !== 1 || rows[0]?.action !== want.action || rows[0]?.undone_at) problems.push(`${want.label}: history ${JSON.stringify(rows.map((r) => r.action))}, expected one ${want.action}`);
    if (link.state === 'linked') problems.push(...(await crossReference(db, emulator, world, want, link)));
  }
  if (links.length !== expected.length) problems.push(`${links.length} links, expected ${expected.length} (one per decision)`);
  for (const id of [...world.untouchedOrgs, ...world.pairs.flatMap((p) => p.sfWithoutEmail)]) if (byPrm.has(`organization:${id}`) || bySf.has(`contact:${id}`)) problems.push(`${id} is out of the wizard's reach but got a link`);
  problems.push(...(await duplicates(db, emulator, world, before, 'after Apply')));
  return problems;
}

/** Every decision carries applied_at, no error, and the wizard's completion (when set) is not older than any. */
export async function unappliedDecisions(db: Knex): Promise<string[]> {
  const problems: string[] = [];
  const completedAt = await integrationState.get<string>(db, STATE_KEYS.wizardCompletedAt);
  for (const [table, key] of [['wizard_org_decisions', 'prm_id'], ['wizard_account_decisions', 'sf_id'], ['wizard_contact_decisions', 'record_id']] as const) {
    const query = db(table).select(key, 'decision', 'applied_at');
    if (table !== 'wizard_contact_decisions') query.select('apply_error');
    for (const row of (await query) as Array<Record<string, unknown>>) {
      if (!row.applied_at || row.apply_error) problems.push(`${table} ${String(row[key])} (${String(row.decision)}) not applied${row.apply_error ? `: ${String(row.apply_error)}` : ''}`);
      else if (completedAt && new Date(row.applied_at as string) > new Date(completedAt)) problems.push(`${table} ${String(row[key])} was applied after the wizard was marked complete`);
    }
  }
  return problems;
}

/** A created record carries the other side's id and values, under the right parent. */
async function crossReference(db: Knex, emulator: RunningEmulator, world: WizardWorld, want: Expected, link: LinkRow): Promise<string[]> {
  const sf = emulator.org.retrieve(SF_OBJECT[want.object], String(link.sf_id));
  const prm = await db(want.object === 'organization' ? 'organizations' : 'contacts').where({ id: link.prm_id }).first();
  if (!sf || !prm) return [`${want.label}: a linked record is missing (PRM ${String(link.prm_id)}, Salesforce ${String(link.sf_id)})`];
  const problems: string[] = [];
  if (sf.PRM_Id__c !== link.prm_id) problems.push(`${want.label}: Salesforce carries PRM id ${String(sf.PRM_Id__c)}, the link ${String(link.prm_id)}`);
  if (want.object === 'organization' && (sf.Name !== prm.name || sf.PRM_Sync__c !== true)) problems.push(`${want.label}: account ${JSON.stringify([sf.Name, sf.PRM_Sync__c])}, organization ${JSON.stringify(prm.name)}`);
  if (want.object === 'contact') {
    const pair = world.pairs.find((p) => p.orgId === prm.organization_id);
    if (!pair || sf.AccountId !== pair.accountId) problems.push(`${want.label}: the contacts sit under organization ${String(prm.organization_id)} and account ${String(sf.AccountId)}`);
    if (String(sf.Email).toLowerCase() !== String(prm.email).toLowerCase()) problems.push(`${want.label}: emails ${String(sf.Email)} / ${String(prm.email)}`);
  }
  return problems;
}

function writes(summary: CycleSummary): number {
  return Object.entries(summary.apiCallsByEndpoint)
    .filter(([label]) => /^(collections\.(create|update|upsert|delete)|bulk2\.ingest\.POST)$/.test(label))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** The scheduled sync after the wizard: the first cycle only adds the contacts of organizations created on one side; then nothing. */
export async function checkFollowingCycles(db: Knex, emulator: RunningEmulator, world: WizardWorld, before: BeforeApply): Promise<string[]> {
  const problems: string[] = [];
  const plan = syncPlanFromSettings((await createSettingsService(db).load()).settings, { wizardCompleted: await integrationState.wizardCompleted(db), publicUrl: 'https://prm.example.com' });
  const cycle = async (mode: 'incremental' | 'full') => {
    const session = await connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
    const adapter = createSalesforceAdapter(session, { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: 20 });
    return runSyncCycle(db, async () => adapter, plan, { mode });
  };
  const first = await cycle('incremental');
  const c = first.counts;
  const want = { createdInSalesforce: world.createNew.reduce((s, x) => s + x.contacts.length, 0), createdInPrm: world.createInPrm.reduce((s, x) => s + x.contacts.length, 0) };
  if (first.status !== 'succeeded' || c.toSalesforce + c.toPrm + c.errors + c.disconnected > 0 || c.createdInSalesforce !== want.createdInSalesforce || c.createdInPrm !== want.createdInPrm) {
    problems.push(`the first sync cycle after the wizard: ${first.status} ${JSON.stringify(c)} (expected only ${JSON.stringify(want)}) ${first.error ?? ''}`);
  }
  for (const mode of ['incremental', 'full'] as const) {
    const next = await cycle(mode);
    const n = next.counts;
    if (next.status !== 'succeeded' || writes(next) + n.toSalesforce + n.toPrm + n.createdInPrm + n.createdInSalesforce + n.errors > 0) problems.push(`a further ${mode} cycle still had work: ${next.status} ${JSON.stringify(n)} ${JSON.stringify(next.apiCallsByEndpoint)}`);
  }
  problems.push(...(await duplicates(db, emulator, world, before, 'after the sync cycles')));
  return problems;
}

function differences(label: string, beforeImage: RecordImage | undefined, now: RecordImage | undefined, ignore: ReadonlySet<string>): string[] {
  if (!beforeImage || !now) return [`${label}: missing ${beforeImage ? 'now' : 'before Apply'}`];
  const out: string[] = [];
  for (const field of new Set([...Object.keys(beforeImage), ...Object.keys(now)])) {
    if (ignore.has(field)) continue;
    const [was, is] = field === 'custom' ? [JSON.stringify(beforeImage[field] ?? {}), JSON.stringify(now[field] ?? {})] : [comparable(beforeImage[field]), comparable(now[field])];
    if (was !== is) out.push(`${label}.${field}: ${JSON.stringify(is)} after undo, ${JSON.stringify(was)} before Apply`);
  }
  return out;
}

/** Undo every link the wizard made by linking (contacts first): both records return to what they held before Apply. */
export async function checkUndo(db: Knex, emulator: RunningEmulator, before: BeforeApply): Promise<string[]> {
  const problems: string[] = [];
  const session = await connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
  const crm = createSalesforceAdapter(session, { bulkThreshold: 2000 });
  const rows = (await db('wizard_link_history').where({ action: 'link' }).whereNull('undone_at').orderBy([{ column: 'object', order: 'asc' }, { column: 'id' }])) as Array<{ link_id: number; object: SyncObject; prm_id: string; sf_id: string }>;
  for (const row of rows) {
    try {
      await undoLink(db, crm, Number(row.link_id), 'admin@crash.test');
    } catch (error) {
      problems.push(`undo of ${row.object} link ${row.link_id} refused: ${(error as Error).message}`);
      continue;
    }
    const table = row.object === 'organization' ? 'organizations' : 'contacts';
    problems.push(...differences(`PRM ${row.object} ${row.prm_id}`, before.prm[row.object].get(row.prm_id), await db(table).where({ id: row.prm_id }).first(), PRM_BOOKKEEPING));
    problems.push(...differences(`Salesforce ${SF_OBJECT[row.object]} ${row.sf_id}`, before.sf[row.object].get(row.sf_id), emulator.org.retrieve(SF_OBJECT[row.object], row.sf_id), SF_SYSTEM_FIELDS));
  }
  if (rows.length === 0) problems.push('no link to undo');
  return problems;
}
