// Refresh Data: reload the flagged Salesforce accounts and contacts into the cache, then recompute the
// suggestions. Decisions already made are kept (see suggest.ts).
import { eligibleStatuses, loadPlan, matchSettingsOf, type WizardEnvironment } from './environment.ts';
import { refreshSalesforceCache } from './sf-cache.ts';
import { recomputeSuggestions } from './suggest.ts';
import type { TaskProgress } from './tasks.ts';

export async function refreshWizardData(env: WizardEnvironment, progress: TaskProgress, counts: Record<string, number>): Promise<void> {
  const plan = await loadPlan(env);
  const session = await env.session();
  const callsBefore = session.ledger.apiCalls;
  const cache = await refreshSalesforceCache(env.db, session, plan, progress);
  counts.accounts = cache.accounts;
  counts.contacts = cache.contacts;
  const matched = await recomputeSuggestions(env.db, matchSettingsOf(env), eligibleStatuses(plan), progress);
  counts.organizations = matched.organizations;
  counts.unlinkedAccounts = matched.accounts;
  counts.suggestions = matched.suggestions;
  counts.preselected = matched.preselected;
  counts.apiCalls = session.ledger.apiCalls - callsBefore;
}
