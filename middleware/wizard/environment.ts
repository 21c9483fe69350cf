// What every wizard step needs from the rest of the app: the database, the settings (resolved into the
// sync plan the apply step writes with), and a Salesforce session. Passed in, so the web routes, the
// integration tests and a CLI can all drive the same wizard code.
import type { Db } from '../db/knex.ts';
import { createSalesforceAdapter } from '../salesforce/adapter.ts';
import type { SalesforceSession } from '../salesforce/connection.ts';
import type { IntegrationSettings } from '../settings/model.ts';
import type { CrmAdapter } from '../sync/crm.ts';
import { syncPlanFromSettings } from '../sync/plan-from-settings.ts';
import type { SyncPlan } from '../sync/plan.ts';
import { integrationState } from '../sync/state.ts';
import { DEFAULT_MATCH_SETTINGS, type MatchSettings } from '../matching/score.ts';

export interface WizardEnvironment {
  db: Db;
  loadSettings(): Promise<IntegrationSettings>;
  /** A Salesforce session; throws NotConnectedError when there is no connection. */
  session(): Promise<SalesforceSession>;
  /** Base URL of the PRM (record links written to Salesforce). */
  publicUrl: string;
  /** Threshold and weights; the defaults of middleware/matching unless given. */
  matchSettings?: MatchSettings;
  /** Poll interval of Bulk API jobs (tests shorten it). */
  bulkPollIntervalMs?: number;
}

export async function loadPlan(env: WizardEnvironment): Promise<SyncPlan> {
  return syncPlanFromSettings(await env.loadSettings(), { wizardCompleted: await integrationState.wizardCompleted(env.db), publicUrl: env.publicUrl });
}

export async function openCrm(env: WizardEnvironment, plan: SyncPlan): Promise<{ crm: CrmAdapter; session: SalesforceSession }> {
  const session = await env.session();
  return { session, crm: createSalesforceAdapter(session, { bulkThreshold: plan.bulkThreshold, bulkPollIntervalMs: env.bulkPollIntervalMs }) };
}

export function matchSettingsOf(env: WizardEnvironment): MatchSettings {
  return env.matchSettings ?? DEFAULT_MATCH_SETTINGS;
}

/** Which PRM organization statuses the settings sync (the wizard only offers those). */
export function eligibleStatuses(plan: Pick<SyncPlan, 'includeProspective' | 'includeInactive'>): string[] {
  return ['active', ...(plan.includeProspective ? ['prospective'] : []), ...(plan.includeInactive ? ['inactive'] : [])];
}
