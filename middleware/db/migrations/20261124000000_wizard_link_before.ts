// Write-ahead for the wizard's links: what both records held before Apply's first write to them, stored
// before that write and removed with the history entry that takes it over. An Apply killed after writing
// and started again would otherwise read the values it wrote as "before", and undo could not restore them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wizard_link_before', (t) => {
    t.text('object').notNullable(); // organization | contact
    t.uuid('prm_id').notNullable();
    t.text('sf_id').notNullable();
    t.jsonb('prm_values').notNullable(); // the PRM row as read
    t.jsonb('sf_values').notNullable(); // the Salesforce fields as read
    t.timestamp('stored_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['object', 'prm_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('wizard_link_before');
}
