// "Delete integration": forgets everything prm-sync knows about the Salesforce side — settings, field
// mappings, tokens and the connected app, links, cursors, job controls and the integration's progress
// facts (wizard completion) — in one transaction. PRM records (organizations, contacts, groups, deals)
// are never touched; run history, the integration log and the settings audit trail are kept.
import type { Knex } from 'knex';
import type { ConnectionStore } from '../../auth/salesforce-connection.ts';
import { defaultSettings } from '../../settings/defaults.ts';
import { DEFAULT_INTEGRATION } from '../../settings/service.ts';

export interface DeletionSummary {
  settings: number;
  mappings: number;
  links: number;
}

export async function deleteIntegration(db: Knex, connections: ConnectionStore, actor: string): Promise<DeletionSummary> {
  return db.transaction(async (trx) => {
    const current = (await trx('settings').where({ integration: DEFAULT_INTEGRATION }).first()) as { document: unknown; version: number } | undefined;
    const mappings = await trx('field_mappings').where({ integration: DEFAULT_INTEGRATION }).delete();
    const settings = await trx('settings').where({ integration: DEFAULT_INTEGRATION }).delete();
    const links = await trx('sync_links').delete();
    await trx('sync_cursors').delete();
    await trx('sync_contact_lookups').delete();
    await trx('job_controls').delete();
    await connections.deleteAll(trx);
    await trx('integration_state').delete();
    if (current) {
      // The audit trail records the deletion: version 0 means "back to the defaults".
      await trx('settings_audit').insert({
        integration: DEFAULT_INTEGRATION,
        actor,
        version: 0,
        before: trx.raw('?::jsonb', [JSON.stringify(current.document)]),
        after: trx.raw('?::jsonb', [JSON.stringify(defaultSettings())]),
      });
    }
    return { settings, mappings, links };
  });
}
