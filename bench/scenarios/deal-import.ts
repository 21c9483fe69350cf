// Scenario 7 — deal import of 10k eligible opportunities (linked account, linked primary contact, both PRM
// boxes ticked, an active partner user with deal registration): one run as the scheduler runs it. Calls
// against the floor (query pages + write-back of the deal ids) and wall time.
import { withEnvironment, withWorker, type ScenarioContext } from '../lib/context.ts';
import { callTarget, dealImportFloor } from '../lib/floors.ts';
import { loadNow } from '../lib/machine.ts';
import type { DatabaseKind } from '../lib/options.ts';
import type { Org } from '../lib/org.ts';
import type { ScenarioReport } from '../lib/results.ts';
import { formatCount, formatEndpoints, formatMb, formatMs, formatRatio, ratio } from '../lib/stats.ts';
import { DEAL_PARTNER_EMAIL } from '../worker/deals.ts';
import type { DealWorldAccount } from '../worker/protocol.ts';
import { explainCalls } from './initial-sync.ts';

const ACCOUNTS = 200;
const CONTACTS_PER_ACCOUNT = 3;
const TARGET_OPPORTUNITIES = 10_000;
const TARGET_MS = 20_000;

export interface DealImportData {
  opportunities: number;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  apiCalls: number;
  byEndpoint: Record<string, number>;
  floor: number;
  collectionsFloor: number;
  wallMs: number;
  peakRssMb: number | null;
  imported: number;
}

function create(org: Org, object: string, values: Record<string, unknown>): string {
  const result = org.org.create(object, values);
  if (!result.success || !result.id) throw new Error(`The emulated org refused a ${object}: ${JSON.stringify(result.errors)}`);
  return result.id;
}

/** Linked accounts with contacts, and `opportunities` eligible opportunities with a primary contact role each. */
function seedOrg(org: Org, opportunities: number): DealWorldAccount[] {
  const accounts: DealWorldAccount[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const sfId = create(org, 'Account', { Name: `Deal Partner ${a}`, PRM_Sync__c: true });
    const contactSfIds = Array.from({ length: CONTACTS_PER_ACCOUNT }, (_, c) => create(org, 'Contact', { LastName: `Buyer ${a}-${c}`, AccountId: sfId, Email: `buyer${a}.${c}@customer.example` }));
    accounts.push({ sfId, contactSfIds });
  }
  for (let i = 0; i < opportunities; i++) {
    const home = accounts[i % ACCOUNTS] as DealWorldAccount;
    const opportunityId = create(org, 'Opportunity', {
      Name: `Bench Opportunity ${String(i).padStart(5, '0')}`,
      StageName: i % 2 === 0 ? 'Prospecting' : 'Qualification',
      CloseDate: '2026-06-30',
      Amount: 1000 + i,
      AccountId: home.sfId,
      PRM_Sync__c: true,
      PRM_Export_Deal__c: true,
      PRM_Partner_Email__c: DEAL_PARTNER_EMAIL,
    });
    create(org, 'OpportunityContactRole', { OpportunityId: opportunityId, ContactId: home.contactSfIds[i % CONTACTS_PER_ACCOUNT], IsPrimary: true, Role: 'Decision Maker' });
  }
  return accounts;
}

export async function dealImportReport(ctx: ScenarioContext, kind: DatabaseKind): Promise<ScenarioReport> {
  const started = { at: Date.now(), load: loadNow() };
  const opportunities = ctx.sizes.dealOpportunities;
  ctx.log(`scenario 7 (${kind}): deal import of ${formatCount(opportunities)} opportunities`);
  const data = await withEnvironment(ctx, kind, async (env) => {
    const accounts = seedOrg(env.org, opportunities);
    await withWorker(ctx, `deals-seed-${kind}`, { database: env.database, org: null }, (seeder) => seeder.run({ op: 'seedDealWorld', accounts }));
    return withWorker(ctx, `deals-${kind}`, env, async (worker) => {
      const { result, measured } = await worker.run({ op: 'dealImport' });
      const imported = env.org.org.query('SELECT COUNT() FROM Opportunity WHERE PRM_Deal_Id__c != null').totalSize;
      return {
        opportunities,
        status: result.status,
        error: result.error,
        counts: result.counts,
        apiCalls: result.apiCalls,
        byEndpoint: result.apiCallsByEndpoint,
        floor: dealImportFloor(opportunities, opportunities),
        collectionsFloor: Math.ceil(opportunities / 2000) + Math.ceil(opportunities / 200),
        wallMs: measured.wallMs,
        peakRssMb: measured.peakRssMb,
        imported,
      } satisfies DealImportData;
    });
  });
  const full = ctx.options.profile !== 'quick';
  const atSize = full && opportunities === TARGET_OPPORTUNITIES;
  return {
    id: 7,
    title: `Deal import of ${formatCount(opportunities)} opportunities`,
    database: kind,
    tables: [
      {
        title: `Deal import on ${kind}`,
        columns: ['opportunities', 'imported (deal id written back)', 'API calls', 'floor (bulk write-back)', 'floor (collections write-back)', 'calls / floor', 'wall', 'peak RSS', 'calls by endpoint', 'status'],
        rows: [[
          formatCount(data.opportunities),
          formatCount(data.imported),
          formatCount(data.apiCalls),
          formatCount(data.floor),
          formatCount(data.collectionsFloor),
          formatRatio(ratio(data.apiCalls, data.floor)),
          formatMs(data.wallMs),
          formatMb(data.peakRssMb),
          formatEndpoints(data.byEndpoint),
          `${data.status}${data.error ? `: ${data.error}` : ''}`,
        ]],
      },
    ],
    targets: [
      { scenario: 7, database: kind, name: `deal import of ${formatCount(opportunities)}: wall time`, target: '≤ 20 s', measured: formatMs(data.wallMs), met: atSize ? data.wallMs <= TARGET_MS && data.imported === opportunities : null },
      { scenario: 7, database: kind, name: `deal import of ${formatCount(opportunities)}: API calls ≤ 1.2 × floor + 2`, target: `≤ ${callTarget(data.floor)} (floor ${data.floor})`, measured: String(data.apiCalls), met: atSize ? data.apiCalls <= callTarget(data.floor) : null, note: data.apiCalls > callTarget(data.floor) ? explainCalls(data.byEndpoint) : undefined },
    ],
    notes: [
      `${ACCOUNTS} linked accounts with ${CONTACTS_PER_ACCOUNT} linked contacts each; every opportunity is eligible (primary contact role on a linked contact, both PRM boxes ticked, partner user ${DEAL_PARTNER_EMAIL} active with deal registration).`,
      'Floor = ceil(n/2000) query pages + the write-back of every deal id: min(ceil(n/200) collection calls, 5 calls of one Bulk API 2.0 job); the collections-only floor is shown too.',
    ],
    data,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
