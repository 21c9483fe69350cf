// Integration settings (spec §3): one JSON document per integration with a version for optimistic
// concurrency, its field mappings as rows (the sync and the mapping screen query them), and an audit
// trail of every change (who, when, before, after).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.string('integration', 40).primary();
    t.jsonb('document').notNullable();
    t.integer('version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('updated_by', 254).notNullable();
  });

  await knex.schema.createTable('settings_audit', (t) => {
    t.bigIncrements('id');
    t.string('integration', 40).notNullable();
    t.string('actor', 254).notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('version').notNullable();
    t.jsonb('before'); // null for the first save
    t.jsonb('after').notNullable();
  });
  await knex.raw('CREATE INDEX settings_audit_integration ON settings_audit (integration, changed_at DESC, id DESC)');

  await knex.schema.createTable('field_mappings', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('integration', 40).notNullable();
    t.string('object', 20).notNullable().checkIn(['organizations', 'contacts', 'deals'], 'field_mappings_object_check');
    t.integer('position').notNullable();
    t.string('prm_field', 100).notNullable();
    t.string('sf_field', 80).notNullable();
    t.string('direction', 20).notNullable().checkIn(['both', 'to_salesforce', 'to_prm'], 'field_mappings_direction_check');
    t.boolean('first_sync_only').notNullable().defaultTo(false);
    t.jsonb('value_map'); // [{ prm, sf }] for picklists; null otherwise
    t.unique(['integration', 'object', 'sf_field'], { indexName: 'field_mappings_sf_field_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('field_mappings');
  await knex.schema.dropTableIfExists('settings_audit');
  await knex.schema.dropTableIfExists('settings');
}
