// Crash recovery for the opportunity → deal import: a linked partner with a deal-registration user, a few
// hundred opportunities (most eligible, some not) over several query pages; the import runs in a child
// process killed at the scenario's points and restarted until it finishes, once for the first import and
// once after opportunities changed. Afterwards: one deal per eligible opportunity with its current values,
// the deal id written back exactly onto it, nothing pending, the cursor inside the data, and a further
// run with nothing to do.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { defaultDealImportPlan } from '../../../middleware/deals/plan.ts';
import { runDealImport } from '../../../middleware/jobs/deal-import.ts';
import { startEmulator, type RunningEmulator } from '../../sf-emulator/index.ts';
import { resetDatabase } from '../harness/env.ts';
import type { SharedDatabase } from './database.ts';
import type { CrashReport } from './sync-workload.ts';
import { describeKillPoint, runChild, type KillPoint } from './supervisor.ts';

export interface DealCrashScenario {
  name: string;
  seed: number;
  /** Kill points of the first import, then of the import after the opportunities changed. */
  kills: KillPoint[];
  updateKills: KillPoint[];
}

const STAGES = [
  { sf: 'Prospecting', prm: 'New' },
  { sf: 'Qualification', prm: 'Qualified' },
];
const OPPORTUNITIES = 450;
const USER_EMAIL = 'jane@partner.example';

function created(result: { success: boolean; id: string | null; errors: unknown[] }): string {
  if (!result.success || !result.id) throw new Error(`emulator refused a seed record: ${JSON.stringify(result.errors)}`);
  return result.id;
}

async function seed(db: Knex, emulator: RunningEmulator): Promise<{ eligible: Set<string> }> {
  const org = emulator.org;
  const organizationId = randomUUID();
  await db('organizations').insert({ id: organizationId, kind: 'partner', status: 'active', name: 'Deal Partner' });
  const accountId = created(org.create('Account', { Name: 'Deal Partner', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active', PRM_Id__c: organizationId }));
  await db('sync_links').insert({ object: 'organization', prm_id: organizationId, sf_id: accountId, state: 'linked', snapshot: '{}' });
  const userId = randomUUID();
  await db('contacts').insert({ id: userId, organization_id: organizationId, last_name: 'Jane', email: USER_EMAIL, is_user: true, user_active: true });
  const groupId = randomUUID();
  await db('groups').insert({ id: groupId, name: 'Partners with deals', kind: 'partner', modules: db.raw("'{deal_registration}'::text[]") });
  await db('group_members').insert({ group_id: groupId, contact_id: userId });
  const buyers: string[] = [];
  for (let n = 0; n < 3; n++) {
    const contactId = randomUUID();
    await db('contacts').insert({ id: contactId, organization_id: organizationId, last_name: `Buyer ${n}`, email: `buyer${n}@customer.example` });
    const sfContact = created(org.create('Contact', { AccountId: accountId, LastName: `Buyer ${n}`, Email: `buyer${n}@customer.example`, PRM_Id__c: contactId }));
    await db('sync_links').insert({ object: 'contact', prm_id: contactId, sf_id: sfContact, state: 'linked', snapshot: '{}' });
    buyers.push(sfContact);
  }
  const eligible = new Set<string>();
  for (let index = 0; index < OPPORTUNITIES; index++) {
    const exported = index % 9 !== 4; // every ninth is not ticked for export: logged, not imported
    const id = created(
      org.create('Opportunity', {
        Name: `Opp ${String(index).padStart(3, '0')}`,
        StageName: (STAGES[index % 2] as { sf: string }).sf,
        CloseDate: '2026-06-30',
        Amount: 1000 + index,
        AccountId: accountId,
        PRM_Sync__c: true,
        PRM_Export_Deal__c: exported,
        PRM_Partner_Email__c: USER_EMAIL,
      }),
    );
    created(org.create('OpportunityContactRole', { OpportunityId: id, ContactId: buyers[index % 3], IsPrimary: true, Role: 'Decision Maker' }));
    if (exported) eligible.add(id);
  }
  return { eligible };
}

export async function runDealCrashScenario(shared: SharedDatabase, scenario: DealCrashScenario): Promise<CrashReport> {
  const violations: string[] = [];
  const trace: string[] = [];
  let db = await shared.db();
  await resetDatabase(db);
  const emulator = await startEmulator({ port: 0, size: 0, users: 0, seed: `deals-${scenario.seed}` });
  let kills = 0;
  let childRuns = 0;
  try {
    const { eligible } = await seed(db, emulator);
    const settings = {
      job: 'deals' as const,
      database: shared.config,
      salesforce: { url: emulator.url, accessToken: emulator.accessToken, refreshToken: emulator.refreshToken },
      bulkThreshold: 2000,
      maxCycles: 1,
      dealStageMap: STAGES,
    };
    const importUntilDone = async (phase: string, points: readonly KillPoint[]) => {
      await shared.release();
      let finished = false;
      for (const point of [...points, { kind: 'none' } as const, { kind: 'none' } as const]) {
        if (finished) break;
        const outcome = await runChild(settings, point, emulator);
        childRuns += 1;
        if (outcome.killed) kills += 1;
        finished = outcome.done;
        trace.push(`  ${phase} child run (${describeKillPoint(point)}): ${outcome.killed ? 'killed' : outcome.done ? 'finished' : 'stopped'} after ${outcome.durationMs} ms`);
        if (!outcome.killed && !outcome.done) violations.push(`${phase}: a child run neither finished nor was killed: ${outcome.stderr.slice(-800)} ${JSON.stringify(outcome.events.at(-1))}`);
      }
      if (!finished) violations.push(`${phase}: the deal import did not finish after the kills`);
      db = await shared.db();
      violations.push(...(await checkDeals(db, emulator, eligible, phase)));
    };

    await importUntilDone('first import', scenario.kills);
    // Opportunities change after the first import: new amounts, some a new stage.
    const ids = [...eligible];
    for (const [n, id] of ids.slice(0, 40).entries()) emulator.org.update('Opportunity', id, n % 5 === 0 ? { StageName: 'Qualification', Amount: 5 + n } : { Amount: 5 + n });
    await importUntilDone('after changes', scenario.updateKills);

    // A further run finds nothing to do.
    const again = await runDealImport(db, () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken }), planFor(), { mode: 'incremental', batchSize: 200 });
    const c = again.counts;
    if (again.status !== 'succeeded' || c.created + c.updated + c.writeBacks + c.writeBackFailures > 0) violations.push(`a further import still had work: ${again.status} ${JSON.stringify(c)}`);
    const unfinished = await db('sync_runs').where({ status: 'running' }).count({ n: '*' }).first();
    return { violations: [...new Set(violations)], trace, kills, childRuns, unfinishedRuns: Number(unfinished?.n ?? 0) };
  } finally {
    await emulator.close();
  }
}

function planFor() {
  return defaultDealImportPlan({
    publicUrl: 'https://prm.example.com',
    overlapMs: 0,
    mappings: defaultDealImportPlan().mappings.map((m) => (m.prmField === 'stage' ? { ...m, valueMap: STAGES } : m)),
  });
}

async function checkDeals(db: Knex, emulator: RunningEmulator, eligible: ReadonlySet<string>, phase: string): Promise<string[]> {
  const problems: string[] = [];
  const deals = await db('deal_registrations').select('id', 'sf_opportunity_id', 'name', 'stage', 'amount', db.raw("to_char(close_date, 'YYYY-MM-DD') as close_date"));
  const byOpportunity = new Map<string, Array<Record<string, unknown>>>();
  for (const deal of deals) byOpportunity.set(deal.sf_opportunity_id, [...(byOpportunity.get(deal.sf_opportunity_id) ?? []), deal]);
  const { records } = emulator.org.query('SELECT Id, Name, StageName, Amount, CloseDate, PRM_Deal_Id__c, PRM_Sys_URL__c, SystemModstamp FROM Opportunity');
  let newest = 0;
  for (const opportunity of records) {
    const id = String(opportunity.Id);
    newest = Math.max(newest, new Date(String(opportunity.SystemModstamp).replace(/\+0000$/, 'Z')).getTime());
    const found = byOpportunity.get(id) ?? [];
    if (!eligible.has(id)) {
      if (found.length > 0) problems.push(`${phase}: ineligible ${String(opportunity.Name)} became a deal`);
      continue;
    }
    if (found.length !== 1) {
      problems.push(`${phase}: ${String(opportunity.Name)} has ${found.length} deals`);
      continue;
    }
    const deal = found[0] as Record<string, unknown>;
    const stage = STAGES.find((s) => s.sf === opportunity.StageName)?.prm;
    if (deal.name !== opportunity.Name || deal.stage !== stage || Number(deal.amount) !== Number(opportunity.Amount) || deal.close_date !== opportunity.CloseDate) {
      problems.push(`${phase}: the deal of ${String(opportunity.Name)} holds ${JSON.stringify([deal.name, deal.stage, deal.amount, deal.close_date])}, the opportunity ${JSON.stringify([opportunity.Name, stage, opportunity.Amount, opportunity.CloseDate])}`);
    }
    if (opportunity.PRM_Deal_Id__c !== deal.id || opportunity.PRM_Sys_URL__c !== `https://prm.example.com/records/deals/${String(deal.id)}`) {
      problems.push(`${phase}: ${String(opportunity.Name)} carries deal id ${String(opportunity.PRM_Deal_Id__c)}, not ${String(deal.id)}`);
    }
  }
  const pending = await db('sync_links').where({ object: 'deal', needs_retry: true }).count({ n: '*' }).first();
  if (Number(pending?.n ?? 0) > 0) problems.push(`${phase}: ${String(pending?.n)} write-backs still pending`);
  const cursor = await db('sync_cursors').where({ object: 'deal' }).first();
  if (cursor?.sf_modstamp && new Date(cursor.sf_modstamp).getTime() > newest) problems.push(`${phase}: the deal cursor is past the newest opportunity change`);
  return problems;
}
