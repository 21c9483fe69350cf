// Scenario 6 through the real admin console: the app built as middleware/server.ts builds it (on the
// worker's database), connected to the emulated org the way the OAuth flow stores a connection, an admin
// logged in, "Refresh Data" run as the button runs it (Salesforce cache + suggestions for every
// organization), then GET /wizard/organizations?page=N served by fastify.inject — routing, session, the
// SQL of the page, and the Handlebars render: the server time of a page.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../middleware/app.ts';
import { createConnectionStore } from '../../middleware/auth/salesforce-connection.ts';
import { loadConfig } from '../../middleware/config.ts';
import { insertPrmSeed } from '../../scripts/seed/insert.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, SECRET_KEY_HEX } from '../../test/web/helpers.ts';
import { benchChunks } from '../lib/prm-data.ts';
import type { WizardPagesResult, WizardSetupResult } from './protocol.ts';
import { databaseOf, salesforceOf, type WorkerState } from './state.ts';

const PAGE_SIZE = 50;
const REFRESH_TIMEOUT_MS = 60 * 60_000;

let app: FastifyInstance | null = null;
let client: Client | null = null;

export async function wizardSetup(state: WorkerState, records: number, seed: string): Promise<WizardSetupResult> {
  const db = databaseOf(state);
  const salesforce = salesforceOf(state);
  if (!salesforce.refreshToken || !salesforce.username) throw new Error('The wizard scenario needs the org\'s refresh token and user name.');
  if (!state.handle) throw new Error('No database open.');

  const seeded = performance.now();
  let organizations = 0;
  for (const chunk of benchChunks(records, seed)) {
    await insertPrmSeed(db, { organizations: chunk.organizations, contacts: [], groups: [], memberships: [] });
    organizations += chunk.organizations.length;
  }
  const seedMs = performance.now() - seeded;

  const config = loadConfig({ LOG_LEVEL: 'warn', PRM_SYNC_ADMIN_EMAIL: ADMIN_EMAIL, PRM_SYNC_ADMIN_PASSWORD: ADMIN_PASSWORD, PRM_SYNC_SECRET_KEY: SECRET_KEY_HEX, PRM_SYNC_PUBLIC_URL: 'https://prm.example.com' });
  app = await buildApp({ config, database: state.handle });
  await app.ready();
  await createConnectionStore(db, app.config).saveConnection(
    { loginUrl: salesforce.url, instanceUrl: salesforce.url, clientId: 'prm-sync-bench', username: salesforce.username, orgId: salesforce.orgId ?? '', connectedAt: new Date().toISOString(), connectedBy: 'bench' },
    salesforce.refreshToken,
  );
  client = new Client(app);
  const login = await client.login();
  if (login.statusCode !== 302 && login.statusCode !== 303) throw new Error(`The admin login answered ${login.statusCode}.`);

  const refreshed = performance.now();
  const started = await client.post('/wizard/refresh', { return: '/wizard/organizations' }, { csrfFrom: '/wizard' });
  if (started.statusCode !== 302 && started.statusCode !== 303) throw new Error(`Refresh Data answered ${started.statusCode}: ${started.body.slice(0, 300)}`);
  for (;;) {
    const progress = JSON.parse((await client.get('/wizard/progress.json')).body) as { running: boolean };
    if (!progress.running) break;
    if (performance.now() - refreshed > REFRESH_TIMEOUT_MS) throw new Error('Refresh Data did not finish within an hour.');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const refreshMs = performance.now() - refreshed;
  const task = await db('wizard_tasks').orderBy('started_at', 'desc').first();
  if (task?.status !== 'succeeded') throw new Error(`Refresh Data ended ${String(task?.status)}: ${String(task?.error ?? '')}`);
  const counts = typeof task.counts === 'string' ? JSON.parse(task.counts) : (task.counts ?? {});
  return { organizations, accounts: Number(counts.accounts ?? 0), suggestions: Number(counts.suggestions ?? 0), refreshApiCalls: Number(counts.apiCalls ?? 0), seedMs, refreshMs };
}

/** Server time of `pages` organization pages spread over the whole list (the last ones included). */
export async function wizardPages(pages: number): Promise<WizardPagesResult> {
  if (!client) throw new Error('wizardPages needs wizardSetup first.');
  const first = await client.get('/wizard/organizations');
  if (first.statusCode !== 200) throw new Error(`/wizard/organizations answered ${first.statusCode}: ${first.body.slice(0, 300)}`);
  const total = totalFromPager(first.body);
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const result: WizardPagesResult = { pagesMs: [], bytes: [], total, lastPage, rowsPerPage: PAGE_SIZE };
  for (let i = 0; i < pages; i++) {
    const page = pages === 1 ? 1 : 1 + Math.round((i * (lastPage - 1)) / (pages - 1));
    const started = performance.now();
    const response = await client.get(`/wizard/organizations?page=${page}`);
    result.pagesMs.push(performance.now() - started);
    if (response.statusCode !== 200) throw new Error(`/wizard/organizations?page=${page} answered ${response.statusCode}`);
    result.bytes.push(response.body.length);
  }
  return result;
}

/** The list's total from the pager's "1–50 of 100,000". */
function totalFromPager(html: string): number {
  const match = /\d[\d,.\s]*–\s*\d[\d,.\s]*\s+of\s+(\d[\d,.\s]*)</.exec(html);
  if (!match) throw new Error('The organizations page shows no pager ("1–50 of N").');
  return Number((match[1] ?? '').replace(/\D/g, ''));
}

export async function closeConsole(): Promise<void> {
  await app?.close();
  app = null;
  client = null;
}
