// One test worker's environment: a migrated database reused across schedules (emptied between them) and a
// fresh emulated org per schedule (≈ 15 ms, so nothing leaks from one schedule into the next). Cycles run
// the real engine over HTTP with the real jsforce, a refresh token (so an expired session recovers), and a
// fresh call ledger each time.
import type { Knex } from 'knex';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { startEmulator, type RunningEmulator } from '../../sf-emulator/index.ts';
import { connectSalesforce, type SalesforceSession } from '../../../middleware/salesforce/connection.ts';
import { createSalesforceAdapter } from '../../../middleware/salesforce/adapter.ts';
import { runSyncCycle, type CycleSummary } from '../../../middleware/sync/cycle.ts';
import { defaultSyncPlan, type SyncPlan } from '../../../middleware/sync/plan.ts';
import type { CrmAdapter } from '../../../middleware/sync/crm.ts';
import type { PassMode } from '../../../middleware/sync/object-pass.ts';
import type { Schedule } from '../schedule/steps.ts';

/** Tables a schedule writes; emptied before the next one. */
const STATE_TABLES = ['integration_log', 'sync_runs', 'sync_links', 'sync_cursors', 'sync_contact_lookups', 'group_members', 'deal_registrations', 'contacts', 'groups', 'organizations'];

export interface WorkerEnv {
  database: TestDatabase;
  db: Knex;
  close(): Promise<void>;
}

export async function openWorkerEnv(): Promise<WorkerEnv> {
  const database = await openTestDatabase();
  return { database, db: database.db, close: () => database.close() };
}

export async function resetDatabase(db: Knex): Promise<void> {
  await db.raw(`TRUNCATE ${STATE_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}

export interface ScheduleEnv {
  emulator: RunningEmulator;
  plan: SyncPlan;
  /** Salesforce credentials as they stand (the access token changes when a refresh happens). */
  credentials(): { url: string; accessToken: string; refreshToken: string };
  /** Runs one cycle: a new connection (current token, refresh token), a fresh adapter, the engine. */
  cycle(db: Knex, options?: { mode?: PassMode; wrap?: (crm: CrmAdapter) => CrmAdapter }): Promise<CycleSummary>;
  close(): Promise<void>;
}

/**
 * jsforce waits 0.5 s, 1 s, 2 s … between its own retries of failed GETs. The fast profile shortens that
 * through jsforce's request `retry` option (the same retries, less waiting); the soak keeps real delays.
 */
function shortenJsforceBackoff(session: SalesforceSession): void {
  const transport = (session.conn as unknown as { _transport: { httpRequest: (req: unknown, options?: Record<string, unknown>) => unknown } })._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, options = {}) => send(req, { ...options, retry: { minTimeout: 10, timeoutFactor: 2, ...(options.retry as object | undefined) } });
}

export async function openScheduleEnv(schedule: Pick<Schedule, 'policy' | 'bulkThreshold' | 'overlapMs' | 'clockOffsetMs'>, options: { seed: string; fastBackoff: boolean }): Promise<ScheduleEnv> {
  const emulator = await startEmulator({ port: 0, size: 0, users: 0, seed: options.seed });
  const plan = defaultSyncPlan({ publicUrl: 'https://prm.example.com', overlapMs: schedule.overlapMs, bulkThreshold: schedule.bulkThreshold });
  plan.organizations.policy = schedule.policy;
  plan.contacts.policy = schedule.policy;
  let accessToken = emulator.accessToken;
  const now = () => new Date(Date.now() + schedule.clockOffsetMs);
  return {
    emulator,
    plan,
    credentials: () => ({ url: emulator.url, accessToken, refreshToken: emulator.refreshToken }),
    async cycle(db, { mode = 'incremental', wrap } = {}) {
      const session = await connectSalesforce(
        { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'prm-sync-reliability', clientSecret: 'emulator', accessToken, refreshToken: emulator.refreshToken },
        { onTokens: (tokens) => void (accessToken = tokens.accessToken) },
      );
      if (options.fastBackoff) shortenJsforceBackoff(session);
      const adapter = createSalesforceAdapter(session, { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: 20 });
      return runSyncCycle(db, async () => (wrap ? wrap(adapter) : adapter), plan, { mode, now });
    },
    close: () => emulator.close(),
  };
}
