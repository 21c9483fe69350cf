// The Preparation step's checklist: is Salesforce reachable, is the metadata the settings need there, are
// accounts flagged and categorized (from the cache Refresh Data fills), what each side holds, and how far
// the decisions are.
import type { Db } from '../db/knex.ts';
import type { Describes, SObjectDescribe } from '../settings/describe.ts';
import type { IntegrationSettings } from '../settings/model.ts';
import { integrationState, STATE_KEYS } from '../sync/state.ts';
import { checkMetadata, type MetadataFinding } from '../web/metadata-check.ts';
import { cacheRefreshedAt } from './sf-cache.ts';
import { unlinkedOrganizations } from './suggest.ts';

export interface SalesforceProbe {
  isConfigured(): Promise<boolean>;
  describe(objectName: string): Promise<SObjectDescribe>;
}

export type CheckState = 'ok' | 'problem' | 'pending';

export interface ChecklistItem {
  key: string;
  label: string;
  state: CheckState;
  detail: string;
  href?: string;
  action?: string;
}

export interface PreparationFacts {
  checklist: ChecklistItem[];
  ready: boolean;
  refreshedAt: Date | null;
  completedAt: string | null;
  prm: { organizations: number; eligible: number; unlinked: number; contacts: number };
  salesforce: { flagged: number; categorized: number; uncategorized: number; contacts: number; contactsWithoutEmail: number };
  decisions: { link: number; preselected: number; createNew: number; dontSync: number; undecided: number; accountsCreate: number; accountsDontSync: number };
  missing: MetadataFinding[];
}

const n = (row: unknown) => Number((row as { n?: string | number } | undefined)?.n ?? 0);

export async function preparationFacts(db: Db, settings: IntegrationSettings, salesforce: SalesforceProbe, statuses: readonly string[]): Promise<PreparationFacts> {
  const checklist: ChecklistItem[] = [];
  let missing: MetadataFinding[] = [];

  const configured = await salesforce.isConfigured();
  let connected = false;
  const describes: Describes = {};
  if (!configured) {
    checklist.push({ key: 'connection', label: 'Salesforce connection', state: 'problem', detail: 'Not connected yet.', href: '/settings/connection', action: 'Connect Salesforce' });
  } else {
    try {
      for (const objectName of ['Account', 'Contact']) describes[objectName] = await salesforce.describe(objectName);
      connected = true;
      checklist.push({ key: 'connection', label: 'Salesforce connection', state: 'ok', detail: 'Connected; Account and Contact can be described.' });
    } catch (error) {
      checklist.push({ key: 'connection', label: 'Salesforce connection', state: 'problem', detail: `Salesforce could not be reached: ${(error as Error).message}`, href: '/settings/connection', action: 'Check the connection' });
    }
  }
  if (connected) {
    const findings = checkMetadata({ ...settings, deals: { ...settings.deals, direction: 'disabled' } }, describes, null).filter((finding) => finding.kind !== 'permission set');
    missing = findings.filter((finding) => finding.status === 'missing');
    checklist.push(
      missing.length === 0
        ? { key: 'metadata', label: 'Metadata', state: 'ok', detail: `All ${findings.length} fields and record types the settings use for accounts and contacts are present.` }
        : { key: 'metadata', label: 'Metadata', state: 'problem', detail: `${missing.length} missing: ${missing.slice(0, 4).map((f) => `${f.object}.${f.name}`).join(', ')}${missing.length > 4 ? ', …' : ''}`, href: '/settings/metadata', action: 'Open the metadata check' },
    );
  } else {
    checklist.push({ key: 'metadata', label: 'Metadata', state: 'pending', detail: 'Checked once Salesforce is connected.' });
  }

  const statusValues = Object.values(settings.organizations.statusValues).flatMap((values) => Object.values(values));
  const [refreshedAt, completedAt, orgs, eligible, unlinked, contacts, flagged, categorized, sfContacts, noEmail, decisionRows, accountRows] = await Promise.all([
    cacheRefreshedAt(db),
    integrationState.get<string>(db, STATE_KEYS.wizardCompletedAt),
    db('organizations').whereNull('deleted_at').count({ n: '*' }).first(),
    db('organizations').whereNull('deleted_at').whereIn('status', statuses).count({ n: '*' }).first(),
    unlinkedOrganizations(db, statuses).count({ n: '*' }).first(),
    db('contacts').whereNull('deleted_at').count({ n: '*' }).first(),
    db('wizard_sf_accounts').count({ n: '*' }).first(),
    db('wizard_sf_accounts').whereIn('status_value', statusValues).count({ n: '*' }).first(),
    db('wizard_sf_contacts').count({ n: '*' }).first(),
    db('wizard_sf_contacts').where({ norm_email: '' }).count({ n: '*' }).first(),
    db('wizard_org_decisions').whereNull('applied_at').select('decision', 'origin').count({ n: '*' }).groupBy('decision', 'origin') as Promise<Array<{ decision: string; origin: string; n: string | number }>>,
    db('wizard_account_decisions').whereNull('applied_at').select('decision').count({ n: '*' }).groupBy('decision') as Promise<Array<{ decision: string; n: string | number }>>,
  ]);
  const salesforceCounts = { flagged: n(flagged), categorized: n(categorized), uncategorized: n(flagged) - n(categorized), contacts: n(sfContacts), contactsWithoutEmail: n(noEmail) };
  if (!refreshedAt) {
    checklist.push({ key: 'accounts', label: 'Accounts flagged and categorized', state: 'pending', detail: 'Not read yet: Refresh Data reads the flagged accounts and their contacts.' });
  } else if (salesforceCounts.flagged === 0) {
    checklist.push({ key: 'accounts', label: 'Accounts flagged and categorized', state: 'problem', detail: `No account has ${settings.organizations.syncFlagField} checked. Flag the partner accounts in Salesforce, then Refresh Data.` });
  } else {
    checklist.push({
      key: 'accounts',
      label: 'Accounts flagged and categorized',
      state: salesforceCounts.uncategorized === 0 ? 'ok' : 'problem',
      detail:
        salesforceCounts.uncategorized === 0
          ? `${salesforceCounts.flagged.toLocaleString('en-US')} flagged accounts, all categorized by ${settings.organizations.statusField}.`
          : `${salesforceCounts.flagged.toLocaleString('en-US')} flagged, ${salesforceCounts.uncategorized.toLocaleString('en-US')} without a mapped ${settings.organizations.statusField} value: they can be linked, but not created in the PRM.`,
    });
  }
  const count = (decision: string, origin?: string) => decisionRows.filter((row) => row.decision === decision && (!origin || row.origin === origin)).reduce((sum, row) => sum + Number(row.n), 0);
  const decided = count('link') + count('create_new') + count('dont_sync');
  const prm = { organizations: n(orgs), eligible: n(eligible), unlinked: n(unlinked), contacts: n(contacts) };
  return {
    checklist,
    ready: connected && missing.length === 0,
    refreshedAt,
    completedAt: completedAt ?? null,
    prm,
    salesforce: salesforceCounts,
    decisions: {
      link: count('link'),
      preselected: count('link', 'preselected'),
      createNew: count('create_new'),
      dontSync: count('dont_sync'),
      undecided: Math.max(0, prm.unlinked - decided),
      accountsCreate: Number(accountRows.find((row) => row.decision === 'create_in_prm')?.n ?? 0),
      accountsDontSync: Number(accountRows.find((row) => row.decision === 'dont_sync')?.n ?? 0),
    },
    missing,
  };
}
