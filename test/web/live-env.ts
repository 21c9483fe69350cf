// A running console wired to the emulated Salesforce org: the emulator over HTTP, a migrated database,
// the Salesforce connection stored the way the OAuth flow stores it (refresh token, encrypted), the wizard
// marked complete and a few PRM partners (one with a name that must be escaped, one whose city is too
// long for Salesforce's BillingCity so the first sync logs an error). The app listens on a real port for
// the browser test.
import { startEmulator } from '../sf-emulator/index.ts';
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { integrationState, STATE_KEYS } from '../../middleware/sync/state.ts';
import { openConsole, type ConsoleUnderTest } from './helpers.ts';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface LiveConsole extends ConsoleUnderTest {
  emulator: Emulator;
  baseUrl: string;
  partnerIds: { escaped: string; tooLong: string; plain: string };
}

export const SCRIPT_NAME = '<script>alert("pwned")</script> Partners';

export async function openLiveConsole(options: { size?: number } = {}): Promise<LiveConsole> {
  const emulator = await startEmulator({ port: 0, size: options.size ?? 20, seed: 'console' });
  const under = await openConsole({ env: { PORT: '0' } });
  const db = under.database.db;
  await createConnectionStore(db, under.app.config).saveConnection(
    { loginUrl: emulator.url, instanceUrl: emulator.url, clientId: 'prm-sync-console-test', username: emulator.integrationUser.username, orgId: emulator.org.orgId, connectedAt: new Date().toISOString(), connectedBy: 'test' },
    emulator.refreshToken,
  );
  // Stored JSON-encoded once more: integrationState.get JSON.parses string values that jsonb already
  // decoded (reported to the lead); this form reads back under either behaviour.
  await integrationState.set(db, STATE_KEYS.wizardCompletedAt, new Date().toISOString());
  const insert = async (values: Record<string, unknown>) => ((await db('organizations').insert({ kind: 'partner', status: 'active', ...values }).returning('id')) as Array<{ id: string }>)[0]?.id as string;
  const escaped = await insert({ name: SCRIPT_NAME, billing_city: 'Lyon', website: 'https://script.example' });
  const tooLong = await insert({ name: 'Longcity Distribution GmbH', billing_city: 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Nord', kind: 'distributor' });
  const plain = await insert({ name: 'Northwind Partners Ltd', billing_city: 'Leeds', phone: '+44 113 496 0000' });
  await db('contacts').insert({ organization_id: plain, first_name: 'Ada', last_name: 'Moss', email: 'ada.moss@northwind.example' });
  const baseUrl = await under.app.listen({ host: '127.0.0.1', port: 0 });
  await under.app.scheduler.start();
  return {
    ...under,
    emulator,
    baseUrl,
    partnerIds: { escaped, tooLong, plain },
    async close() {
      await under.close();
      await emulator.close();
    },
  };
}
