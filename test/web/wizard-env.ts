// The matching wizard under test: the console on a test database, connected to an emulated org over HTTP
// (stored the way the OAuth flow stores it), with demo-like data on both sides — PRM partners from the
// seed generator and Salesforce accounts that resemble two thirds of them (scripts/demo/seed-org.ts) —
// and the wizard NOT completed yet. Helpers wait for the wizard's background tasks through its own
// progress endpoint, as a browser would.
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { startEmulator } from '../sf-emulator/index.ts';
import { seedDemoOrg, type DemoOrgCounts } from '../../scripts/demo/seed-org.ts';
import { insertPrmSeed } from '../../scripts/seed/insert.ts';
import { generatePrmData, type PrmSeedData } from '../../scripts/seed/prm-generator.ts';
import { Client, openConsole, type ConsoleUnderTest } from './helpers.ts';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface WizardUnderTest extends ConsoleUnderTest {
  emulator: Emulator;
  prm: PrmSeedData;
  org: DemoOrgCounts;
  client: Client;
  /** Polls /wizard/progress.json until no wizard task runs. */
  waitForTasks(timeoutMs?: number): Promise<void>;
}

export async function openWizard(options: { size?: number; seed?: string; listen?: boolean; prepare?: (under: ConsoleUnderTest, prm: PrmSeedData) => Promise<void> } = {}): Promise<WizardUnderTest & { baseUrl: string | null }> {
  const emulator = await startEmulator({ port: 0, size: 0, seed: options.seed ?? 'wizard' });
  const under = await openConsole({ env: { PORT: '0' } });
  const db = under.database.db;
  await createConnectionStore(db, under.app.config).saveConnection(
    { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'prm-sync-wizard-test', username: emulator.integrationUser.username, orgId: emulator.org.orgId, connectedAt: new Date().toISOString(), connectedBy: 'test' },
    emulator.refreshToken,
  );
  const prm = generatePrmData({ size: options.size ?? 30, seed: options.seed ?? 'wizard' });
  await insertPrmSeed(db, prm);
  const org = seedDemoOrg(emulator, prm, options.seed ?? 'wizard');
  await options.prepare?.(under, prm);
  const baseUrl = options.listen ? await under.app.listen({ host: '127.0.0.1', port: 0 }) : null;
  const client = new Client(under.app);
  await client.login();
  return {
    ...under,
    emulator,
    prm,
    org,
    client,
    baseUrl,
    async waitForTasks(timeoutMs = 60_000) {
      const started = Date.now();
      for (;;) {
        const state = JSON.parse((await client.get('/wizard/progress.json')).body) as { running: boolean };
        if (!state.running) return;
        if (Date.now() - started > timeoutMs) throw new Error('the wizard task did not finish in time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await under.close();
      await emulator.close();
    },
  };
}
