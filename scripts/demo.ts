// `npm start`: the demo. With no Salesforce variables set it starts the emulated org, seeds both sides
// with sample partners (many deliberately alike, for the matching wizard), points the middleware at the
// emulator and prints where to log in. With SF_* variables set it simply runs the service.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadConfig, ConfigError, type Config } from '../middleware/config.ts';
import { openDatabase } from '../middleware/db/knex.ts';
import { migrateToLatest } from '../middleware/db/migrate.ts';
import { startServer, closeOnSignals } from '../middleware/server.ts';
import { startEmulator } from '../test/sf-emulator/index.ts';
import { insertPrmSeed } from './seed/insert.ts';
import { generatePrmData } from './seed/prm-generator.ts';
import { seedDemoOrg } from './demo/seed-org.ts';

const DEMO_DATA_DIR = '.data/demo-pglite';

async function main(): Promise<void> {
  const base = loadConfig();
  if (base.salesforce !== null) {
    const server = await startServer(base);
    console.log(`prm-sync is running at ${server.url} (database: ${base.database.kind}, Salesforce: ${base.salesforce.loginUrl})`);
    closeOnSignals(server.close);
    return;
  }

  const emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0), size: 0, seed: 'demo' });
  const adminEmail = process.env.PRM_SYNC_ADMIN_EMAIL ?? 'admin@prm-sync.test';
  const adminPassword = process.env.PRM_SYNC_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  const apiToken = process.env.PRM_SYNC_API_TOKEN ?? `demo_${randomBytes(18).toString('hex')}`;
  // The emulated org lives in memory, so the demo's database starts fresh with it (unless told otherwise).
  const pgliteDir = process.env.DATABASE_URL ? undefined : (process.env.PGLITE_DIR ?? DEMO_DATA_DIR);
  if (pgliteDir === DEMO_DATA_DIR) rmSync(DEMO_DATA_DIR, { recursive: true, force: true });
  const config: Config = loadConfig({
    ...process.env,
    PGLITE_DIR: pgliteDir,
    PRM_SYNC_ADMIN_EMAIL: adminEmail,
    PRM_SYNC_ADMIN_PASSWORD: adminPassword,
    PRM_SYNC_API_TOKEN: apiToken,
    PRM_SYNC_SECRET_KEY: process.env.PRM_SYNC_SECRET_KEY ?? randomBytes(32).toString('hex'),
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: 'prm-sync-demo',
    SF_CLIENT_SECRET: 'demo-secret',
    SF_USERNAME: emulator.integrationUser.username,
    SF_PASSWORD: 'emulator',
  });

  const prm = generatePrmData({ size: 30, seed: 'demo' });
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const existing = await database.db('organizations').count({ n: '*' }).first();
    if (Number(existing?.n ?? 0) === 0) await insertPrmSeed(database.db, prm);
  } finally {
    await database.close();
  }
  const org = seedDemoOrg(emulator, prm);

  const server = await startServer(config);
  console.log(`
prm-sync demo is running at ${server.url}

  Admin console   ${server.url}/login   (${adminEmail} / ${adminPassword})
  Start here      ${server.url}/wizard  (link the partners on both sides once; then the sync starts)
  REST API        ${server.url}/docs    (Authorization: Bearer ${apiToken})

  Emulated Salesforce org ${emulator.url}  (integration user ${emulator.integrationUser.username} / emulator)
    ${org.matchingAccounts} accounts resembling PRM organizations, ${org.salesforceOnlyPartners} Salesforce-only partners,
    ${org.customers} customers, ${org.contacts} contacts, ${org.opportunities} opportunities
  PRM: ${prm.organizations.length} organizations, ${prm.contacts.length} contacts (database: ${config.database.kind}${pgliteDir ? `, ${pgliteDir}` : ''})

Stop with Ctrl+C.`);
  closeOnSignals(async () => {
    await server.close();
    await emulator.close();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
