// A complete sync environment for one test file: the emulated org over HTTP, a migrated database, and a
// real jsforce session with its call ledger, plus small helpers to make changes on either side.
import { startEmulator } from '../sf-emulator/index.ts';
import { openTestDatabase, type TestDatabase } from './db.ts';
import { connectSalesforce, type SalesforceSession } from '../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../middleware/salesforce/adapter.ts';
import { runSyncCycle, type CycleOptions, type CycleSummary } from '../../middleware/sync/cycle.ts';
import { defaultSyncPlan, type SyncPlan } from '../../middleware/sync/plan.ts';
import type { CrmAdapter } from '../../middleware/sync/crm.ts';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface SyncEnv {
  emulator: Emulator;
  database: TestDatabase;
  session: SalesforceSession;
  plan: SyncPlan;
  /** Runs one cycle with a fresh ledger; `wrap` lets a test interpose on the adapter (crash simulation). */
  cycle(options?: Partial<CycleOptions>, wrap?: (crm: CrmAdapter) => CrmAdapter): Promise<CycleSummary>;
  close(): Promise<void>;
}

export async function openSyncEnv(options: { plan?: Partial<SyncPlan>; emulator?: Parameters<typeof startEmulator>[0] } = {}): Promise<SyncEnv> {
  const emulator = await startEmulator({ port: 0, size: 0, ...options.emulator });
  const database = await openTestDatabase();
  const plan = defaultSyncPlan({ publicUrl: 'https://prm.example.com', overlapMs: 0, ...options.plan });
  const connect = () => connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
  const session = await connect();
  return {
    emulator,
    database,
    session,
    plan,
    async cycle(cycleOptions = {}, wrap) {
      const fresh = await connect();
      const adapter = createSalesforceAdapter(fresh, { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: 50 });
      return runSyncCycle(database.db, async () => (wrap ? wrap(adapter) : adapter), plan, { mode: 'incremental', ...cycleOptions });
    },
    async close() {
      await database.close();
      await emulator.close();
    },
  };
}

let counter = 0;
/** Inserts a PRM organization the way the REST API would (change_seq from the sequence default). */
export async function insertOrganization(env: SyncEnv, values: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const [row] = await env.database.db('organizations')
    .insert({ kind: 'partner', status: 'active', name: `Partner ${counter}`, billing_city: 'Berlin', ...values })
    .returning('id');
  return row.id as string;
}

export async function insertContact(env: SyncEnv, organizationId: string, values: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const [row] = await env.database.db('contacts')
    .insert({ organization_id: organizationId, first_name: 'Pat', last_name: `Lee ${counter}`, email: `pat${counter}@partner.example`, ...values })
    .returning('id');
  return row.id as string;
}

/** Updates a PRM row as the REST API does: new change_seq, version and updated_at. */
export async function updatePrm(env: SyncEnv, table: 'organizations' | 'contacts', id: string, values: Record<string, unknown>): Promise<void> {
  const db = env.database.db;
  await db(table)
    .where({ id })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), change_seq: db.raw("nextval('prm_change_seq')") });
}

export async function linkFor(env: SyncEnv, object: 'organization' | 'contact', prmId: string) {
  return env.database.db('sync_links').where({ object, prm_id: prmId }).first();
}

/** Salesforce writes made by the sync (collections and bulk), from the emulator's ledger. */
export function writeCalls(summary: CycleSummary): number {
  return Object.entries(summary.apiCallsByEndpoint)
    .filter(([label]) => label.startsWith('collections.') && label !== 'collections.retrieve')
    .reduce((sum, [, n]) => sum + n, 0) + Object.entries(summary.apiCallsByEndpoint).filter(([label]) => label === 'bulk2.ingest.POST').reduce((s, [, n]) => s + n, 0);
}
