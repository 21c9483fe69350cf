// Write-ahead for the sync's Salesforce writes: the values a run is about to send are stored on the link
// before the call and cleared by the commit that confirms them. A run that dies in between leaves them
// behind, so the next merge can tell its own unconfirmed write from a Salesforce user's edit.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_links', (t) => {
    t.jsonb('pending');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_links', (t) => {
    t.dropColumn('pending');
  });
}
