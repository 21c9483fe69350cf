// The deal import scenario's PRM side: organizations and contacts linked to the Salesforce accounts and
// contacts the orchestrator created, and one active partner user in a group with deal registration — then
// the import itself, run as the scheduler runs it (middleware/jobs/deal-import.ts).
import { defaultDealImportPlan } from '../../middleware/deals/plan.ts';
import { runDealImport } from '../../middleware/jobs/deal-import.ts';
import { PrmSeeder } from '../../test/integration/deals-fixtures.ts';
import type { DealImportResult, DealWorldAccount } from './protocol.ts';
import { databaseOf, openSession, PUBLIC_URL, type WorkerState } from './state.ts';

export const DEAL_PARTNER_EMAIL = 'jane@partner.example';

export async function seedDealWorld(state: WorkerState, accounts: readonly DealWorldAccount[]): Promise<null> {
  const seed = new PrmSeeder(databaseOf(state));
  for (const [index, account] of accounts.entries()) {
    const organization = await seed.organization({ name: `Deal Partner ${index}` });
    await seed.links('organization', [{ prmId: organization, sfId: account.sfId }]);
    const contacts = await seed.contacts(organization, account.contactSfIds.length);
    await seed.links('contact', contacts.map((prmId, n) => ({ prmId, sfId: account.contactSfIds[n] as string })));
    if (index === 0) await seed.users(organization, 'partner', [{ email: DEAL_PARTNER_EMAIL }]);
  }
  return null;
}

export async function dealImport(state: WorkerState): Promise<DealImportResult> {
  const summary = await runDealImport(databaseOf(state), () => openSession(state), defaultDealImportPlan({ publicUrl: PUBLIC_URL }), { mode: 'incremental' });
  const counts = Object.fromEntries(Object.entries(summary.counts).filter(([, value]) => value !== 0));
  return { status: summary.status, error: summary.error, counts, apiCalls: summary.apiCalls, apiCallsByEndpoint: summary.apiCallsByEndpoint };
}
