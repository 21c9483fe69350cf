// The world of the Salesforce-side cases: an emulated org over HTTP driven by the real jsforce, a test
// database, the real sync engine (and deal import), and the app on the same database (for /healthz and
// for reading synced records back through the REST API). One synced pair — a partner and its contact —
// is the bystander every case must leave untouched on both sides; a second synced account is the home
// of the contacts the cases create.
import assert from 'node:assert/strict';
import { buildApp } from '../../../middleware/app.ts';
import { loadConfig } from '../../../middleware/config.ts';
import { openSyncEnv, insertContact, insertOrganization, linkFor, type SyncEnv } from '../../helpers/sync-env.ts';
import { updateRow } from '../../sf-emulator/store/dml.ts';
import { API_TOKEN } from './console-world.ts';

export interface SyncWorld {
  env: SyncEnv;
  app: Awaited<ReturnType<typeof buildApp>>;
  /** Salesforce ids of the bystander pair and of the account new contacts go under. */
  bystander: { account: string; contact: string };
  home: { account: string; organization: string };
  /** A Salesforce record as the org holds it (every field), or undefined. */
  record(object: string, id: string): Record<string, unknown> | undefined;
  /** Creates a record through the org's own validation. */
  create(object: string, values: Record<string, unknown>): string;
  /**
   * Puts values on a record past the org's validation, as Salesforce holds them after a picklist value was
   * deleted with "keep the value on records", or as data no API would accept (to prove the sync survives it).
   */
  force(object: string, id: string, values: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function openSyncWorld(): Promise<SyncWorld> {
  const env = await openSyncEnv({ plan: { publicUrl: 'https://prm.example.com' } });
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', PRM_SYNC_API_TOKEN: API_TOKEN }), database: env.database });
  const org = env.emulator.org;
  const bystanderOrg = await insertOrganization(env, { name: 'Bystander GmbH', phone: '+49 30 1234' });
  const bystanderContact = await insertContact(env, bystanderOrg, { first_name: 'Bea', last_name: 'Stander', email: 'bea@bystander.example' });
  const home = await insertOrganization(env, { name: 'Contacts Home Ltd' });
  const first = await env.cycle();
  assert.equal(first.status, 'succeeded', first.error ?? '');
  const sfIdOf = async (object: 'organization' | 'contact', prmId: string) => String((await linkFor(env, object, prmId)).sf_id);
  return {
    env,
    app,
    bystander: { account: await sfIdOf('organization', bystanderOrg), contact: await sfIdOf('contact', bystanderContact) },
    home: { account: await sfIdOf('organization', home), organization: home },
    record: (object, id) => org.retrieve(object, id) as Record<string, unknown> | undefined,
    create(object, values) {
      const result = org.create(object, values);
      assert.ok(result.success && result.id, `${object}: ${JSON.stringify(result.errors)}`);
      return result.id;
    },
    force(object, id, values) {
      const table = org.store.table(object);
      const row = org.row(object, id);
      assert.ok(table && row, `${object} ${id} exists`);
      updateRow(org.store, table, row, values, org.store.defaultUserId);
    },
    async close() {
      await app.close();
      await env.close();
    },
  };
}

/** A flagged partner account, created through the org's validation. */
export function flaggedAccount(world: SyncWorld, values: Record<string, unknown>): string {
  return world.create('Account', { PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active', BillingCity: 'Berlin', ...values });
}

/** The tables the Salesforce-side cases snapshot. */
export const SYNC_TABLES = ['organizations', 'contacts', 'sync_links', 'deal_registrations', 'group_members'] as const;
