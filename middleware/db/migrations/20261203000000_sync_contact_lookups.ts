// Accounts linked by a sync run whose Salesforce contacts that run has not yet looked up. Those contacts did
// not change, so no incremental pull will ever bring them; the run that links an account looks them up in
// its contact pass. Stored in the transaction that links the account and removed once the lookup is done,
// so a run killed in between leaves the lookup to the next run instead of losing it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_contact_lookups', (t) => {
    t.text('sf_account_id').primary();
    t.timestamp('linked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sync_contact_lookups');
}
