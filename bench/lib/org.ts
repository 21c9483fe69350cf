// The emulated Salesforce org of a measured run, living in the orchestrator process and reached by the
// worker over loopback HTTP. Records created or changed here go straight into the org's store: they are
// the org's state before a run, and no API call is counted for them.
import { startEmulator, type RunningEmulator } from '../../test/sf-emulator/index.ts';
import { accountVariant, createRandom, type SeedOrganization } from '../../scripts/seed/prm-generator.ts';
import { accountFields, benchChunks, contactFields } from './prm-data.ts';

export type Org = RunningEmulator & {
  /**
   * Moves the org's clock on (its SystemModstamps and Date header follow), so that cycles can run as far
   * apart on the org's clock as the schedule puts them without the bench waiting that long.
   */
  advanceClock(ms: number): void;
};

export async function startOrg(latencyMs = 0): Promise<Org> {
  let offsetMs = 0;
  const emulator = await startEmulator({ port: 0, size: 0, seed: 'bench', latencyMs, now: () => Date.now() + offsetMs });
  return Object.assign(emulator, {
    advanceClock(ms: number) {
      offsetMs += ms;
    },
  });
}

function created(result: { success: boolean; id?: string | null; errors?: unknown }, what: string): string {
  if (!result.success || !result.id) throw new Error(`The emulated org refused ${what}: ${JSON.stringify(result.errors)}`);
  return result.id;
}

/** Flagged accounts with two contacts each, from the same generator as the PRM side (another seed). */
export function seedSalesforceAccounts(org: Org, accounts: number, seed: string): { accounts: number; contacts: number } {
  let contactCount = 0;
  let accountCount = 0;
  for (const chunk of benchChunks(accounts, seed)) {
    const accountIds = new Map<string, string>();
    for (const organization of chunk.organizations) {
      accountIds.set(organization.id, created(org.org.create('Account', accountFields(organization)), `account ${organization.name}`));
      accountCount += 1;
    }
    for (const contact of chunk.contacts) {
      created(org.org.create('Contact', contactFields(contact, accountIds.get(contact.organization_id) as string)), `contact ${contact.last_name}`);
      contactCount += 1;
    }
  }
  return { accounts: accountCount, contacts: contactCount };
}

/** Accounts and contacts that carry a PRM id (written by a sync or a load). */
export function countLinkedInOrg(org: Org): { accounts: number; contacts: number } {
  return {
    accounts: org.org.query('SELECT COUNT() FROM Account WHERE PRM_Id__c != null').totalSize,
    contacts: org.org.query('SELECT COUNT() FROM Contact WHERE PRM_Id__c != null').totalSize,
  };
}

let websiteRevision = 0;

/** Changes the website of `count` synced accounts in Salesforce, as a user editing them would. */
export function changeSalesforceAccounts(org: Org, count: number): number {
  if (count === 0) return 0;
  websiteRevision += 1;
  const { records } = org.org.query(`SELECT Id FROM Account WHERE PRM_Id__c != null ORDER BY Id LIMIT ${Math.floor(count)}`);
  for (const record of records) {
    const result = org.org.update('Account', String(record.Id), { Website: `https://www.revision-${websiteRevision}.example` });
    created({ ...result, id: String(record.Id) }, `the change of account ${String(record.Id)}`);
  }
  return records.length;
}

/** Share of the wizard scenario's PRM organizations that have a counterpart among the accounts. */
export const WIZARD_MATCHED_SHARE = 0.7;

/**
 * The Salesforce side of the wizard scenario: as many flagged accounts as the PRM has organizations (same
 * generator and seed), 70 % of them a variant of one organization as another system holds it (legal form
 * dropped, abbreviations, typos, other phone format), 30 % unrelated companies.
 */
export function seedWizardAccounts(org: Org, records: number, seed: string): number {
  const random = createRandom(`${seed}:variants`);
  const others = [...benchChunks(Math.ceil(records * (1 - WIZARD_MATCHED_SHARE)) + 1, `${seed}:unrelated`)].flatMap((chunk) => chunk.organizations);
  let index = 0;
  for (const chunk of benchChunks(records, seed)) {
    for (const organization of chunk.organizations) {
      const source = random.chance(WIZARD_MATCHED_SHARE) ? organization : (others[index % others.length] as SeedOrganization);
      created(org.org.create('Account', { ...accountFields(source), ...accountVariant(source, random) }), `account ${source.name}`);
      index += 1;
    }
  }
  return index;
}
