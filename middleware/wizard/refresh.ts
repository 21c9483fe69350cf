// Refresh Data: reload the flagged Salesforce accounts and contacts into the cache, then recompute the
// suggestions. Decisions already made are kept (see suggest.ts). Then the planner learns what was written,
// so the pages that read it next are planned for its real size.
import { refreshPlannerStatistics } from '../db/statistics.ts';
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
  await refreshPlannerStatistics(env.db, REWRITTEN_TABLES);
}

/** What Refresh Data writes, and the PRM tables its pages join, which an import may just have filled. */
const REWRITTEN_TABLES = ['wizard_sf_accounts', 'wizard_sf_contacts', 'wizard_suggestions', 'wizard_org_decisions', 'organizations', 'contacts'];
